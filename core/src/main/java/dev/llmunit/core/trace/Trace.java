package dev.llmunit.core.trace;

import dev.llmunit.core.cost.Cost;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.optimize.OptimizedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Everything llmunit knows about one routed call: its id, every attempt with tokens and cost, and
 * its time split into provider time, backoff waits and llmunit's own overhead. Totals are computed
 * from the attempts when asked, so a trace holds nothing but its attempts and two timestamps.
 *
 * @param sequence a number unique in this JVM, the basis of {@link #requestId()}
 * @param attempts every attempt in order
 * @param startNanos {@link System#nanoTime()} when routing started
 * @param endNanos {@link System#nanoTime()} when routing ended
 * @param optimization what the router's or ensemble's {@link dev.llmunit.core.optimize.QueryOptimizer} did to
 *     the request before the attempts (task type, strategies, tokens before and after), or null without an optimizer
 * @param stream how a streamed answer arrived (time to first token, tokens per second); null for a call that did not stream
 */
public record Trace(long sequence, List<Attempt> attempts, long startNanos, long endNanos, @Nullable OptimizedRequest optimization,
        @Nullable StreamTiming stream) {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Copies the attempts; checks time runs forward. */
    public Trace {
        attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("endNanos must not precede startNanos, but was " + endNanos + " < " + startNanos);
        }
    }

    /**
     * A trace of a call made without an optimizer.
     *
     * @param sequence a number unique in this JVM, the basis of {@link #requestId()}
     * @param attempts every attempt in order
     * @param startNanos {@link System#nanoTime()} when routing started
     * @param endNanos {@link System#nanoTime()} when routing ended
     */
    public Trace(long sequence, List<Attempt> attempts, long startNanos, long endNanos) {
        this(sequence, attempts, startNanos, endNanos, null, null);
    }

    /**
     * A trace of a call that did not stream.
     *
     * @param sequence a number unique in this JVM, the basis of {@link #requestId()}
     * @param attempts every attempt in order
     * @param startNanos {@link System#nanoTime()} when routing started
     * @param endNanos {@link System#nanoTime()} when routing ended
     * @param optimization what the optimizer did to the request, or null without an optimizer
     */
    public Trace(long sequence, List<Attempt> attempts, long startNanos, long endNanos, @Nullable OptimizedRequest optimization) {
        this(sequence, attempts, startNanos, endNanos, optimization, null);
    }

    /**
     * The next sequence number for a new trace.
     *
     * @return a number not returned before in this JVM
     */
    public static long nextSequence() {
        return SEQUENCE.incrementAndGet();
    }

    /**
     * The request's id, for logs and reports.
     *
     * @return {@code "llm-"} and the sequence in hex
     */
    public String requestId() {
        return requestId(sequence);
    }

    /**
     * The request id of a sequence number, for code that has the number before the trace exists.
     *
     * @param sequence a number from {@link #nextSequence()}
     * @return {@code "llm-"} and the sequence in hex
     */
    public static String requestId(long sequence) {
        return "llm-" + Long.toHexString(sequence);
    }

    /**
     * The cost of every attempt that has a known price.
     *
     * @return the exact sum; attempts with unknown prices add nothing (see {@link #unpricedAttempts()})
     */
    public Usd totalCost() {
        Usd total = Usd.ZERO;
        for (Attempt attempt : attempts) {
            Cost cost = attempt.cost();
            if (cost != null) {
                total = total.plus(cost.usd());
            }
        }
        return total;
    }

    /**
     * Attempts that were billed but whose model has no price, so {@link #totalCost()} is a lower bound.
     *
     * @return the count, 0 when every cost is known
     */
    public int unpricedAttempts() {
        int unpriced = 0;
        for (Attempt attempt : attempts) {
            if (attempt.cost() != null && attempt.cost().isUnknown()) {
                unpriced++;
            }
        }
        return unpriced;
    }

    /**
     * The tokens of every attempt together.
     *
     * @return the summed usage
     */
    public Usage totalUsage() {
        Usage total = Usage.NONE;
        for (Attempt attempt : attempts) {
            total = total.plus(attempt.usage());
        }
        return total;
    }

    /**
     * Wall time of the whole routed call.
     *
     * @return end minus start
     */
    public Duration totalTime() {
        return Duration.ofNanos(endNanos - startNanos);
    }

    /**
     * Time spent inside provider calls, all attempts together.
     *
     * @return the sum of attempt durations
     */
    public Duration providerTime() {
        long nanos = 0;
        for (Attempt attempt : attempts) {
            nanos += attempt.endNanos() - attempt.startNanos();
        }
        return Duration.ofNanos(nanos);
    }

    /**
     * Time spent waiting between retries.
     *
     * @return the sum of attempt waits
     */
    public Duration waitTime() {
        long nanos = 0;
        for (Attempt attempt : attempts) {
            nanos += attempt.waitBefore().toNanos();
        }
        return Duration.ofNanos(nanos);
    }

    /**
     * llmunit's own time: routing, accounting and bookkeeping, neither provider time nor waits.
     *
     * @return total minus provider time minus waits, never negative
     */
    public Duration overhead() {
        long nanos = (endNanos - startNanos) - providerTime().toNanos() - waitTime().toNanos();
        return Duration.ofNanos(Math.max(0, nanos));
    }
}
