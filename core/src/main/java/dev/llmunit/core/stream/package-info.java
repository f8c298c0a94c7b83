/**
 * Streaming routing: {@link dev.llmunit.core.stream.StreamingRouter}, a LangChain4j
 * {@code StreamingChatModel} over the router's provider pipeline, with a
 * {@link dev.llmunit.core.stream.MidStreamPolicy} for failures after the first token and
 * {@link dev.llmunit.core.stream.StreamTimeouts} for time to first token, gaps between tokens and
 * the whole answer.
 */
@NullMarked
package dev.llmunit.core.stream;

import org.jspecify.annotations.NullMarked;
