package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.Cost;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.optimize.OptimizedRequest;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import dev.llmunit.core.trace.StreamTiming;
import dev.llmunit.core.trace.Trace;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The mutable state of one routed call: its attempts, timing and the current provider's retry count. */
final class RouteCall {

    /** The request sent: the caller's, or the optimizer's rewrite of it. */
    ChatRequest request;
    /** What the optimizer did, or null without one. */
    @Nullable OptimizedRequest optimization;
    final long sequence = Trace.nextSequence();
    final long startNanos = System.nanoTime();
    final List<Attempt> attempts = new ArrayList<>(2);
    final @Nullable Observation observation;
    @Nullable LlmException lastFailure;
    /** Set by a streamed call's exchange when its answer completes; null for a plain call. */
    @Nullable StreamTiming stream;
    /**
     * Whether the current provider's breaker granted this call a permission that is not yet
     * settled: the breaker judges the call once, after its retries, not each attempt.
     */
    boolean breakerPermitted;
    /** When the current provider's breaker permission was granted, on {@link System#nanoTime()}'s clock. */
    long breakerStartNanos;
    /** The current provider's last failure that reached the provider (not a refusal before the call). */
    @Nullable LlmException providerFailure;
    private int retry = -1;
    private long lastEnd;
    private int inputTokens = -1;

    RouteCall(ChatRequest request, @Nullable Observation observation) {
        this.request = request;
        this.observation = observation;
    }

    /** Sends the optimizer's rewrite instead of the caller's request, and notes what was done for the trace. */
    void optimized(OptimizedRequest optimized) {
        this.optimization = optimized;
        this.request = optimized.request();
        this.inputTokens = -1;
    }

    /** Resets the retry count when the router moves on to another provider. */
    void startProvider() {
        retry = -1;
        breakerPermitted = false;
        providerFailure = null;
    }

    /** Whether the current attempt is a retry of the current provider. */
    boolean retrying() {
        return retry >= 0;
    }

    /** The request's input tokens, estimated once per call and only when a budget needs them. */
    int inputTokens(TokenEstimator estimator) {
        if (inputTokens < 0) {
            inputTokens = estimator.estimateInputTokens(request);
        }
        return inputTokens;
    }

    void succeed(ProviderState provider, long start, long end, Usage usage, Cost cost) {
        Duration wait = nextTry(start);
        attempts.add(new Attempt(provider.name, cost.model(), retry, Outcome.SUCCEEDED, null, wait, start, end, usage, cost));
        lastEnd = end;
    }

    void fail(ProviderState provider, long start, long end, LlmException failure) {
        Duration wait = nextTry(start);
        attempts.add(new Attempt(provider.name, provider.modelName, retry, Outcome.FAILED, failure, wait, start, end, Usage.NONE, null));
        lastEnd = end;
        lastFailure = failure;
        providerFailure = failure;
    }

    LlmException reject(ProviderState provider, long start, LlmException failure) {
        long end = System.nanoTime();
        Duration wait = nextTry(start);
        attempts.add(new Attempt(provider.name, provider.modelName, retry, Outcome.REJECTED, failure, wait, start, end, Usage.NONE, null));
        lastEnd = end;
        lastFailure = failure;
        return failure;
    }

    Trace trace() {
        return new Trace(sequence, attempts, startNanos, System.nanoTime(), optimization, stream);
    }

    /**
     * Notes the backoff the retry policy chose, on the thread that is about to wait it out. The
     * next attempt records this planned wait rather than the measured gap, so a trace read from
     * playback fixtures (jitter off) is the same on every run; oversleeping counts as overhead.
     */
    static void planWait(long millis) {
        PLANNED_WAIT_MILLIS.set(millis);
    }

    private static final ThreadLocal<@Nullable Long> PLANNED_WAIT_MILLIS = new ThreadLocal<>();

    /** Counts a new try of the current provider; returns the backoff before it (zero for a first try). */
    private Duration nextTry(long start) {
        retry++;
        if (retry == 0) {
            // The benchmarked path: a first try reads no thread-local. A value left by a retry that
            // never came is harmless, since the policy sets a fresh one before every retry.
            return Duration.ZERO;
        }
        Long planned = PLANNED_WAIT_MILLIS.get();
        if (planned == null) {
            return Duration.ofNanos(Math.max(0, start - lastEnd));
        }
        PLANNED_WAIT_MILLIS.remove();
        return Duration.ofMillis(planned);
    }
}
