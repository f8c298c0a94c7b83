package dev.llmunit.core.trace;

import dev.llmunit.core.cost.Cost;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One try of one provider during a routed call.
 *
 * @param provider the provider's name in the router
 * @param model the model name the attempt was priced by: the one the provider returned, else the configured one; null when neither is known
 * @param retry 0 for the first try of this provider in the call, 1 for its first retry, and so on
 * @param outcome how the try ended
 * @param error the classified failure; null exactly when the outcome is {@link Outcome#SUCCEEDED}
 * @param waitBefore the backoff the router chose before this try of the provider: the {@code Retry-After}
 *     it honoured or its exponential backoff ({@link Duration#ZERO} for a first try); planned, not
 *     measured, so a replayed trace repeats exactly (time overslept counts as the router's overhead)
 * @param startNanos {@link System#nanoTime()} when the try started
 * @param endNanos {@link System#nanoTime()} when the try ended
 * @param usage the tokens the provider reported; {@link Usage#NONE} when it reported none or failed
 * @param cost what the attempt cost; null when it made no billable call (a failure or a refusal)
 */
public record Attempt(
        String provider,
        @Nullable String model,
        int retry,
        Outcome outcome,
        @Nullable LlmException error,
        Duration waitBefore,
        long startNanos,
        long endNanos,
        Usage usage,
        @Nullable Cost cost) {

    /** Checks the invariants: a success has no error, a failure has one, time runs forward. */
    public Attempt {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(waitBefore, "waitBefore");
        Objects.requireNonNull(usage, "usage");
        if ((outcome == Outcome.SUCCEEDED) != (error == null)) {
            throw new IllegalArgumentException("an attempt has an error exactly when it did not succeed, but outcome was "
                    + outcome + " and error was " + error);
        }
        if (retry < 0) {
            throw new IllegalArgumentException("retry must be at least 0, but was " + retry);
        }
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("endNanos must not precede startNanos, but was " + endNanos + " < " + startNanos);
        }
    }

    /**
     * The kind of the failure.
     *
     * @return the error kind, or null for a successful attempt
     */
    public @Nullable ErrorKind errorKind() {
        return error == null ? null : error.kind();
    }

    /**
     * How long the try took, waiting excluded.
     *
     * @return the duration from start to end
     */
    public Duration duration() {
        return Duration.ofNanos(endNanos - startNanos);
    }

    @Override
    public String toString() {
        return provider + (retry > 0 ? " (retry " + retry + ")" : "") + ": "
                + (error == null ? outcome.name() : outcome + " " + error.kind()) + " in " + duration().toMillis() + " ms"
                + (cost == null ? "" : ", " + cost);
    }
}
