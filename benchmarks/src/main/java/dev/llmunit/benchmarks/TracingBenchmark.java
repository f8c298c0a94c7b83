package dev.llmunit.benchmarks;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.RouterBuilder;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.llmunit.core.route.Router;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing adds to a routed call. The direct path it wraps is the same router with tracing
 * not configured ({@link #direct}). {@link #noopRegistry} configures a real
 * {@code ObservationRegistry} with no handler (observation's noop fast path: an app that wired
 * Micrometer but enabled no tracing). {@link #simpleMeterRegistry} gives the router a
 * {@link SimpleMeterRegistry} for llmunit's metrics (call timer, tokens, cost, fallbacks, retries,
 * breaker state). {@link #observedIntoMeters} also turns every observation into Micrometer timers
 * through {@link DefaultMeterObservationHandler}, Micrometer's own handler, for comparison: that
 * cost is Micrometer's per observation (two per call: the route and its attempt).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TracingBenchmark -prof gc}. Targets:
 * {@code noopRegistry - direct <= 50 ns}, {@code simpleMeterRegistry - direct <= 1 us}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class TracingBenchmark {

    private ChatRequest request;
    private Router untraced;
    private Router noop;
    private Router metered;
    private Router observed;

    /** Builds three routers over the same prepared model: untraced, noop registry, simple meter registry. */
    @Setup(Level.Trial)
    public void setUp() {
        request = BenchmarkSetup.triageRequest();
        untraced = router().build();
        noop = router().observationRegistry(ObservationRegistry.create()).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        metered = router().meterRegistry(meters).build();
        SimpleMeterRegistry observedMeters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(observedMeters));
        observed = router().observationRegistry(observations).meterRegistry(observedMeters).build();

        metered.route(request);
        observed.route(request);
        Timer served = meters.find("llmunit.calls").tag("llmunit.provider", "primary").tag("llmunit.outcome", "succeeded").timer();
        if (served == null || served.count() != 1 || observedMeters.find("llmunit.route").timer() == null) {
            throw new IllegalStateException("the routers recorded no meters: " + meters.getMetersAsString());
        }
    }

    private static RouterBuilder router() {
        return BenchmarkSetup.twoPricedProviders(PreparedChatModel.answering("billing", "gpt-4o-mini-2024-07-18"));
    }

    /**
     * Baseline: the router with no tracing configured.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse direct() {
        return untraced.route(request);
    }

    /**
     * Tracing through an observation registry that has no handler.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse noopRegistry() {
        return noop.route(request);
    }

    /**
     * llmunit's metrics recorded into a {@link SimpleMeterRegistry}.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse simpleMeterRegistry() {
        return metered.route(request);
    }

    /**
     * llmunit's metrics plus every observation turned into timers by Micrometer's
     * {@link DefaultMeterObservationHandler}.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse observedIntoMeters() {
        return observed.route(request);
    }
}
