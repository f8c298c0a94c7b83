package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.route.RouteCandidate;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.jspecify.annotations.Nullable;

/** One provider of one router: its settings, its resilience4j guards and its live statistics. */
final class ProviderState implements RouteCandidate {

    /** Weight of the newest sample in the latency moving average. */
    private static final double LATENCY_SMOOTHING = 0.3;

    final DefaultRouter owner;
    final String name;
    final ChatModel model;
    final @Nullable String modelName;
    final int weight;
    final int priority;
    final @Nullable Integer maxInputTokens;
    final Optional<ModelPrice> price;
    final CircuitBreaker breaker;
    final Retry retry;
    final @Nullable Bulkhead bulkhead;
    final @Nullable Integer defaultMaxOutputTokens;
    final @Nullable RouterMetrics metrics;
    /** The contextual name of this provider's attempt observations, built once. */
    final String attemptName;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong averageLatencyNanos = new AtomicLong();
    private final LongAdder calls = new LongAdder();
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);

    ProviderState(DefaultRouter owner, String name, ChatModel model, @Nullable String modelName, int weight, int priority,
            @Nullable Integer maxInputTokens, Optional<ModelPrice> price, CircuitBreaker breaker, Retry retry,
            @Nullable Bulkhead bulkhead, @Nullable Integer defaultMaxOutputTokens, @Nullable MeterRegistry meterRegistry,
            String routerName) {
        this.owner = owner;
        this.name = name;
        this.model = model;
        this.modelName = modelName;
        this.weight = weight;
        this.priority = priority;
        this.maxInputTokens = maxInputTokens;
        this.price = price;
        this.breaker = breaker;
        this.retry = retry;
        this.bulkhead = bulkhead;
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
        this.attemptName = "llm attempt " + name;
        this.metrics = meterRegistry == null ? null : new RouterMetrics(meterRegistry, routerName, this);
    }

    void callStarted() {
        calls.increment();
        inFlight.incrementAndGet();
    }

    void callEnded() {
        inFlight.decrementAndGet();
    }

    void recordSuccessLatency(long nanos) {
        latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
        long previous;
        long next;
        do {
            previous = averageLatencyNanos.get();
            next = previous == 0 ? Math.max(1, nanos) : previous + (long) (LATENCY_SMOOTHING * (nanos - previous));
        } while (!averageLatencyNanos.compareAndSet(previous, next));
    }

    long calls() {
        return calls.sum();
    }

    Duration latencyPercentile(double percentile) {
        return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(latencyMicros.getValueAtPercentile(percentile)));
    }

    Duration latencyMax() {
        return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(latencyMicros.getMaxValue()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public @Nullable String modelName() {
        return modelName;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public @Nullable Integer maxInputTokens() {
        return maxInputTokens;
    }

    @Override
    public Optional<ModelPrice> price() {
        return price;
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public Duration averageLatency() {
        return Duration.ofNanos(averageLatencyNanos.get());
    }

    @Override
    public CircuitState circuitState() {
        switch (breaker.getState()) {
            case CLOSED:
                return CircuitState.CLOSED;
            case OPEN:
                return CircuitState.OPEN;
            case HALF_OPEN:
                return CircuitState.HALF_OPEN;
            default:
                return CircuitState.FORCED;
        }
    }

    @Override
    public String toString() {
        return name + (modelName == null ? "" : " (" + modelName + ")");
    }
}
