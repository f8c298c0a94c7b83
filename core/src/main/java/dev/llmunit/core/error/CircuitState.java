package dev.llmunit.core.error;

/** The state of a provider's circuit breaker, as the health snapshot reports it. */
public enum CircuitState {
    /** Calls flow; failures are being counted. */
    CLOSED,
    /** Too many recent failures: calls are refused without reaching the provider until the wait ends. */
    OPEN,
    /** The wait ended: a few trial calls decide whether to close again or reopen. */
    HALF_OPEN,
    /** Forced open or disabled by an operator through resilience4j. */
    FORCED
}
