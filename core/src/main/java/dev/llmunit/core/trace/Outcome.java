package dev.llmunit.core.trace;

/** How one attempt to call a provider ended. */
public enum Outcome {
    /** The provider answered; this attempt's response is the routed response. */
    SUCCEEDED,
    /** The provider was called and failed; the attempt's error says how. */
    FAILED,
    /**
     * llmunit did not call the provider: a budget refused the estimate, its concurrency limit was
     * reached or its circuit breaker was open.
     */
    REJECTED
}
