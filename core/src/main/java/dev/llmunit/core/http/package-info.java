/**
 * An HTTP client for LangChain4j provider models that keeps the response headers of failed calls, so the router can honour {@code Retry-After}.
 */
@NullMarked
package dev.llmunit.core.http;

import org.jspecify.annotations.NullMarked;
