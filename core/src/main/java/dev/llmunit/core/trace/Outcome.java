package dev.llmunit.core.trace;

/** How one attempt to call a provider ended. */
public enum Outcome {
    /** The provider answered; this attempt's response is the routed response. */
    SUCCEEDED,
    /** The provider was called and failed; the attempt's error says how. */
    FAILED,
    /** llmunit did not call the provider: its circuit breaker was open or its concurrency limit was reached. */
    REJECTED
}
