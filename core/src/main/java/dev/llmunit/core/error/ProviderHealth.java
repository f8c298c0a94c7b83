package dev.llmunit.core.error;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A point-in-time view of one provider: its breaker, its recent errors, its latency and its load.
 *
 * @param provider the provider's name in the router
 * @param circuitState the breaker's state now
 * @param recentErrorRate the share of failed calls in the breaker's sliding window, 0.0 to 1.0 (0 with no calls)
 * @param calls the number of calls made to the provider since the router was built, retries included
 * @param errors failures since the router was built, by kind (kinds with none are absent)
 * @param inFlight calls to the provider running now
 * @param latencyP50 the median latency of successful calls ({@link Duration#ZERO} before the first)
 * @param latencyP95 the 95th percentile latency of successful calls
 * @param latencyP99 the 99th percentile latency of successful calls
 * @param latencyMax the slowest successful call
 */
public record ProviderHealth(
        String provider,
        CircuitState circuitState,
        double recentErrorRate,
        long calls,
        Map<ErrorKind, Long> errors,
        int inFlight,
        Duration latencyP50,
        Duration latencyP95,
        Duration latencyP99,
        Duration latencyMax) {

    /** Copies the error map so a snapshot never changes after it was taken. */
    public ProviderHealth {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(circuitState, "circuitState");
        errors = Map.copyOf(errors);
    }
}
