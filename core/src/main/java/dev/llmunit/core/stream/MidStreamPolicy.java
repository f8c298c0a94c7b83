package dev.llmunit.core.stream;

/**
 * What the streaming router does when a stream fails after its first token reached the caller.
 * Before the first token every failure is retried and falls back as in the plain router, unseen by
 * the caller; after it the caller holds text that cannot be taken back, so the policy decides.
 */
public enum MidStreamPolicy {
    /**
     * End the answer: the handler's {@code onError} receives an
     * {@link dev.llmunit.core.error.LlmException.StreamInterrupted} with the partial text. The default.
     */
    FAIL,
    /**
     * Ask again from the start (same retry, backoff and fallback as any retryable failure) and
     * stream the new answer from its first token. A {@link RoutedStreamingHandler} is told first
     * ({@link RoutedStreamingHandler#onRestart}) so it can drop what it showed; the final response
     * holds only the new answer.
     */
    RESTART,
    /**
     * Ask the next attempt to continue the partial answer (the partial text as the assistant's
     * message, then {@link StreamingRouterBuilder#continuePrompt(String) a request to go on}) and
     * stream only the continuation: the caller sees one answer without repeats, and the final
     * response's text is the partial text plus the continuation.
     */
    CONTINUE
}
