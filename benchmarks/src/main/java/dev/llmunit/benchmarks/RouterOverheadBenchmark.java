package dev.llmunit.benchmarks;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.route.RoutedResponse;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the router adds to one successful call: the same in-memory {@link ChatModel} called
 * directly ({@link #direct}) and through a two-provider {@link Router} whose first provider
 * answers ({@link #routed}, {@link #routedWithResult}).
 *
 * <p>The router runs as shipped: priority strategy, a resilience4j circuit breaker and retry per
 * provider at their defaults, cost accounting from the bundled price catalog, and observation on
 * {@link ObservationRegistry#NOOP}, the default and the case that must cost nothing. The model answers at once with a response built in
 * {@link #setUp()}, so the difference between the scores is the router's own work: strategy,
 * retry wrapper, breaker permission and outcome, latency histogram, the {@code Attempt} record
 * and the {@code RoutedResponse}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RouterOverheadBenchmark -prof gc}.
 * Targets: {@code routed - direct <= 1 us} and {@code gc.alloc.rate.norm} of
 * {@code routed - direct <= 1024 B/op}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
// 2 s warmup iterations: on a busy 2-core machine the routed path was still compiling in the 3rd 1 s iteration.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class RouterOverheadBenchmark {

    private ChatRequest request;
    private ChatModel model;
    private Router router;

    /** Builds the request, the prepared response, the model double and the router once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        request = BenchmarkSetup.triageRequest();
        PreparedChatModel primary = PreparedChatModel.answering("billing", "gpt-4o-mini-2024-07-18");
        model = primary;
        router = BenchmarkSetup.twoPricedProviders(primary).observationRegistry(ObservationRegistry.NOOP).build();

        // Fail the run, rather than measure the wrong path, if the router does not serve from the primary.
        RoutedResponse check = router.route(request);
        if (!"primary".equals(check.provider()) || check.attempts().size() != 1 || check.trace().unpricedAttempts() != 0
                || check.chatResponse().tokenUsage().totalTokenCount() != 25) {
            throw new IllegalStateException("expected one successful attempt on 'primary', got " + check.attempts());
        }
    }

    /** Checks no measured call took the failure path. */
    @TearDown(Level.Trial)
    public void checkStillHealthy() {
        if (router.circuitState("primary") != CircuitState.CLOSED || router.errors().total("primary") != 0) {
            throw new IllegalStateException("the primary provider failed during the benchmark: " + router.health("primary"));
        }
    }

    /**
     * Baseline: the model called directly through LangChain4j's {@link ChatModel#chat(ChatRequest)}.
     *
     * @return the model's response
     */
    @Benchmark
    public ChatResponse direct() {
        return model.chat(request);
    }

    /**
     * The same model behind the router, used as a plain LangChain4j {@link ChatModel}.
     *
     * @return the primary provider's response
     */
    @Benchmark
    public ChatResponse routed() {
        return router.chat(request);
    }

    /**
     * The same model behind the router, keeping the serving provider and the attempts.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse routedWithResult() {
        return router.route(request);
    }
}
