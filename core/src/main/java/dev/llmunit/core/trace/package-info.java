/**
 * What happened during a routed call: each {@link dev.llmunit.core.trace.Attempt} with its provider, outcome, error kind and timing.
 */
@NullMarked
package dev.llmunit.core.trace;

import org.jspecify.annotations.NullMarked;
