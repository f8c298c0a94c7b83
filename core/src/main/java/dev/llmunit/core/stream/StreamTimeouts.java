package dev.llmunit.core.stream;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The streaming router's timeouts, set through {@link StreamingRouterBuilder#timeouts(java.util.function.Consumer)}.
 * Each is off (null) by default; the provider client's own read timeout still applies.
 *
 * <ul>
 *   <li>{@link #firstToken(Duration)}: from the start of an attempt to its first token. Expiry is a
 *       {@link dev.llmunit.core.error.ErrorKind#TIMEOUT} that is retried and falls back like any
 *       other, unseen by the caller.</li>
 *   <li>{@link #betweenTokens(Duration)}: the longest gap between two tokens. Expiry is a mid-stream
 *       failure, handled by the {@link MidStreamPolicy}.</li>
 *   <li>{@link #total(Duration)}: from the start of the routed call to the end of the answer,
 *       retries included. Expiry ends the call; it is never retried.</li>
 * </ul>
 */
public final class StreamTimeouts {

    private @Nullable Duration firstToken;
    private @Nullable Duration betweenTokens;
    private @Nullable Duration total;

    StreamTimeouts() {}

    /**
     * The longest wait for an attempt's first token.
     *
     * @param timeout positive
     * @return these timeouts
     */
    public StreamTimeouts firstToken(Duration timeout) {
        this.firstToken = positive("firstToken", timeout);
        return this;
    }

    /**
     * The longest gap between two tokens of a stream.
     *
     * @param timeout positive
     * @return these timeouts
     */
    public StreamTimeouts betweenTokens(Duration timeout) {
        this.betweenTokens = positive("betweenTokens", timeout);
        return this;
    }

    /**
     * The longest a whole streamed call may take, retries and restarts included.
     *
     * @param timeout positive
     * @return these timeouts
     */
    public StreamTimeouts total(Duration timeout) {
        this.total = positive("total", timeout);
        return this;
    }

    /**
     * The time-to-first-token timeout.
     *
     * @return the timeout, or null when off
     */
    public @Nullable Duration firstToken() {
        return firstToken;
    }

    /**
     * The between-tokens timeout.
     *
     * @return the timeout, or null when off
     */
    public @Nullable Duration betweenTokens() {
        return betweenTokens;
    }

    /**
     * The total timeout.
     *
     * @return the timeout, or null when off
     */
    public @Nullable Duration total() {
        return total;
    }

    StreamTimeouts copy() {
        StreamTimeouts copy = new StreamTimeouts();
        copy.firstToken = firstToken;
        copy.betweenTokens = betweenTokens;
        copy.total = total;
        return copy;
    }

    private static Duration positive(String name, Duration timeout) {
        Objects.requireNonNull(timeout, () -> name + " timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive, but was " + timeout.toMillis() + " ms");
        }
        return timeout;
    }

    @Override
    public String toString() {
        return "StreamTimeouts[firstToken=" + firstToken + ", betweenTokens=" + betweenTokens + ", total=" + total + "]";
    }
}
