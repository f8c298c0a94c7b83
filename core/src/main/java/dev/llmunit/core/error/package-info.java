/**
 * The typed error taxonomy of llmunit: {@link dev.llmunit.core.error.LlmException} and its kinds, the classifier that maps provider failures onto them, and per-provider error counts and health.
 */
@NullMarked
package dev.llmunit.core.error;

import org.jspecify.annotations.NullMarked;
