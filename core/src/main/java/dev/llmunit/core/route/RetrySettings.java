package dev.llmunit.core.route;

import java.time.Duration;

/**
 * How the router retries one provider before falling back, set through
 * {@link RouterBuilder#retry(java.util.function.Consumer)}. Only retryable kinds are retried
 * (rate limited, timeout, provider unavailable); an open circuit is never retried.
 *
 * <p>The wait before retry {@code n} is the provider's {@code Retry-After} (or
 * {@code retry-after-ms}) when it sent one, otherwise {@code initialBackoff × multiplier^(n-1)},
 * randomised by ±{@code jitter} and capped at {@code maxBackoff}. A {@code Retry-After} longer than
 * {@code maxRetryAfter} is not waited for: the router falls back at once.
 */
public final class RetrySettings {

    /** Default retries per provider: {@value}. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** Default first backoff: 500 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** Default backoff multiplier: {@value}. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default jitter: ±{@value} of the backoff. */
    public static final double DEFAULT_JITTER = 0.5;
    /** Default backoff cap: 20 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);
    /** Default longest {@code Retry-After} the router waits for: 30 s. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private double jitter = DEFAULT_JITTER;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;

    RetrySettings() {}

    /**
     * Retries per provider per call; 0 disables retrying.
     *
     * @param maxRetries at least 0 (default {@value #DEFAULT_MAX_RETRIES})
     * @return these settings
     */
    public RetrySettings maxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be at least 0, but was " + maxRetries);
        }
        this.maxRetries = maxRetries;
        return this;
    }

    /**
     * The first backoff wait.
     *
     * @param initialBackoff at least 1 ms (default 500 ms)
     * @return these settings
     */
    public RetrySettings initialBackoff(Duration initialBackoff) {
        if (initialBackoff.toMillis() < 1) {
            throw new IllegalArgumentException("initialBackoff must be at least 1 ms, but was " + initialBackoff);
        }
        this.initialBackoff = initialBackoff;
        return this;
    }

    /**
     * The growth of the backoff per retry.
     *
     * @param multiplier at least 1.0 (default {@value #DEFAULT_MULTIPLIER})
     * @return these settings
     */
    public RetrySettings multiplier(double multiplier) {
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1.0, but was " + multiplier);
        }
        this.multiplier = multiplier;
        return this;
    }

    /**
     * The random spread of each backoff, as a fraction of it.
     *
     * @param jitter from 0.0 (none) to below 1.0 (default {@value #DEFAULT_JITTER})
     * @return these settings
     */
    public RetrySettings jitter(double jitter) {
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be at least 0.0 and below 1.0, but was " + jitter);
        }
        this.jitter = jitter;
        return this;
    }

    /**
     * The longest backoff wait.
     *
     * @param maxBackoff at least 1 ms (default 20 s); backoffs above it are cut to it
     * @return these settings
     */
    public RetrySettings maxBackoff(Duration maxBackoff) {
        if (maxBackoff.toMillis() < 1) {
            throw new IllegalArgumentException("maxBackoff must be at least 1 ms, but was " + maxBackoff);
        }
        this.maxBackoff = maxBackoff;
        return this;
    }

    /**
     * The longest {@code Retry-After} the router waits for; a longer one falls back instead.
     *
     * @param maxRetryAfter at least 0 (default 30 s)
     * @return these settings
     */
    public RetrySettings maxRetryAfter(Duration maxRetryAfter) {
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter must not be negative, but was " + maxRetryAfter);
        }
        this.maxRetryAfter = maxRetryAfter;
        return this;
    }

    /** @return retries per provider per call */
    public int maxRetries() {
        return maxRetries;
    }

    /** @return the first backoff wait */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the backoff growth per retry */
    public double multiplier() {
        return multiplier;
    }

    /** @return the backoff spread as a fraction */
    public double jitter() {
        return jitter;
    }

    /** @return the longest backoff */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the longest {@code Retry-After} waited for */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }
}
