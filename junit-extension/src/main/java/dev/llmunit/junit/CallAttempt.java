package dev.llmunit.junit;

import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One attempt inside an {@link LlmCall}: a provider tried once. A routed call that retried or fell
 * back has several; a call that the first provider served has one.
 *
 * @param provider the provider tried, such as {@code openai}
 * @param model the model asked for, or {@code null} when the router did not know it
 * @param retry {@code 0} for a provider's first try, then 1, 2, …
 * @param error why the attempt failed, or {@code null} when it succeeded
 * @param latency the provider's latency: the recorded latency of the fixture that answered when
 *     there is one, otherwise the time measured by the HTTP client
 * @param latencyRecorded whether {@code latency} came from a recording (and so is the same on every run)
 * @param waitBefore the backoff the router waited before this attempt
 * @param usage the tokens the provider reported; {@link Usage#NONE} for a failed attempt
 * @param cost what the attempt cost, or {@code null} when the model has no known price
 * @param fixture the name of the fixture that answered, or {@code null} when no fixture did (live
 *     calls, transport faults, missing fixtures)
 */
public record CallAttempt(
        String provider,
        @Nullable String model,
        int retry,
        @Nullable ErrorKind error,
        Duration latency,
        boolean latencyRecorded,
        Duration waitBefore,
        Usage usage,
        @Nullable Usd cost,
        @Nullable String fixture) {

    /** Validates the parts. */
    public CallAttempt {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(waitBefore, "waitBefore");
        Objects.requireNonNull(usage, "usage");
        if (retry < 0) {
            throw new IllegalArgumentException("retry must be at least 0, but was " + retry);
        }
    }

    /**
     * Whether the provider answered.
     *
     * @return {@code true} when the attempt has no error
     */
    public boolean succeeded() {
        return error == null;
    }

    @Override
    public String toString() {
        return provider + (retry > 0 ? " (retry " + retry + ")" : "") + ": "
                + (error == null ? "ok" : error.name()) + " in " + latency.toMillis() + " ms"
                + (latencyRecorded ? " (recorded)" : "")
                + (cost == null ? "" : ", " + cost)
                + (fixture == null ? "" : ", fixture " + fixture);
    }
}
