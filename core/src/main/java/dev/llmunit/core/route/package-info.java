/**
 * The router: a LangChain4j {@code ChatModel} that orders named providers with a {@link dev.llmunit.core.route.RoutingStrategy}, retries, trips circuit breakers and falls back.
 */
@NullMarked
package dev.llmunit.core.route;

import org.jspecify.annotations.NullMarked;
