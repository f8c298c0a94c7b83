package dev.llmunit.core.trace;

import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One try of one provider during a routed call.
 *
 * @param provider the provider's name in the router
 * @param model the provider's model name, or null when none was configured
 * @param retry 0 for the first try of this provider in the call, 1 for its first retry, and so on
 * @param outcome how the try ended
 * @param error the classified failure; null exactly when the outcome is {@link Outcome#SUCCEEDED}
 * @param waitBefore the backoff the retry waited before this try ({@link Duration#ZERO} for a first try)
 * @param startNanos {@link System#nanoTime()} when the try started
 * @param endNanos {@link System#nanoTime()} when the try ended
 */
public record Attempt(
        String provider,
        @Nullable String model,
        int retry,
        Outcome outcome,
        @Nullable LlmException error,
        Duration waitBefore,
        long startNanos,
        long endNanos) {

    /** Checks the invariants: a success has no error, a failure has one, time runs forward. */
    public Attempt {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(waitBefore, "waitBefore");
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
                + (error == null ? outcome.name() : outcome + " " + error.kind()) + " in " + duration().toMillis() + " ms";
    }
}
