package dev.llmunit.benchmarks;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.http.HttpErrorResponse;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.trace.Attempt;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.retry.internal.RetryImpl;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
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
 * What the router adds to a call whose first provider fails: the primary answers HTTP 429 with an
 * OpenAI {@code rate_limit_exceeded} body and {@code retry-after-ms: 0} (a fresh
 * {@link HttpErrorResponse} per call, as an HTTP client throws it), the router classifies it as
 * {@code RATE_LIMITED}, retries the primary once (the provider asked for no wait, so no backoff
 * sleeps), classifies the second 429 the same way and falls back to the secondary, which answers.
 *
 * <p>{@link #direct} makes the same three model calls without the router: the primary twice (each
 * throwing the same 429, caught) and then the secondary, so the difference is the router's error
 * handling: classification, the retry wrapper and its wait planning, breaker outcomes, the fallback,
 * three {@code Attempt}s, cost accounting and the trace.
 *
 * <p>The circuit breakers judge a 20 s time window and never before {@code Integer.MAX_VALUE} calls:
 * a primary that always fails would otherwise open its breaker after 10 calls and the benchmark
 * would measure the skip instead of the retry (resilience4j caps the minimum at the window size for
 * a count-based window, hence the time-based one). Run: {@code java -jar benchmarks/target/benchmarks.jar ErrorHandlingBenchmark
 * -prof gc}. Targets: {@code routed - direct <= 5 us} and {@code gc.alloc.rate.norm} of
 * {@code routed - direct <= 6144 B/op}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ErrorHandlingBenchmark {

    /** What OpenAI answers when a request is throttled (the body shape of its 429s). */
    static final String RATE_LIMIT_BODY = "{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini on requests per min (RPM):"
            + " Limit 500, Used 500, Requested 1.\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";

    private ChatRequest request;
    private ChatModel failing;
    private ChatModel fallback;
    private Router router;

    /** Builds the failing primary, the answering secondary and the router, and checks the router takes the measured path. */
    @Setup(Level.Trial)
    public void setUp() {
        // resilience4j sleeps every planned wait, even 0 ms, and Thread.sleep(0) is a sched_yield on JDK 17: on a busy
        // machine that hands the core away for milliseconds and would measure the scheduler, not the router. The fork is
        // the benchmark's own JVM, so it skips zero waits there (resilience4j's hook for exactly this).
        RetryImpl.setSleepFunction(millis -> {
            if (millis > 0) {
                Thread.sleep(millis);
            }
        });
        request = BenchmarkSetup.triageRequest();
        failing = new ThrottledChatModel();
        PreparedChatModel secondary = PreparedChatModel.answering("billing", "claude-haiku-4-5-20251001");
        fallback = secondary;
        router = Router.builder()
                .provider("primary", failing, p -> p.modelName("gpt-4o-mini"))
                .provider("secondary", secondary, p -> p.modelName("claude-haiku-4-5"))
                .retry(retry -> retry.maxRetries(1))
                .circuitBreaker(breaker -> breaker.slidingWindow(20, Integer.MAX_VALUE, SlidingWindowType.TIME_BASED))
                .observationRegistry(ObservationRegistry.NOOP)
                .build();

        RoutedResponse check = router.route(request);
        List<Attempt> attempts = check.attempts();
        if (!"secondary".equals(check.provider()) || attempts.size() != 3
                || attempts.get(0).errorKind() != ErrorKind.RATE_LIMITED || attempts.get(1).errorKind() != ErrorKind.RATE_LIMITED
                || !"primary".equals(attempts.get(1).provider()) || check.trace().unpricedAttempts() != 0) {
            throw new IllegalStateException("expected two rate-limited attempts on 'primary' and an answer from 'secondary', got "
                    + attempts);
        }
    }

    /** Checks every measured call took the path: the primary's breaker stayed closed and only it failed. */
    @TearDown(Level.Trial)
    public void checkPath() {
        if (router.circuitState("primary") != CircuitState.CLOSED || router.errors().total("secondary") != 0) {
            throw new IllegalStateException("the benchmark left its path: " + router.health("primary") + ", " + router.health("secondary"));
        }
    }

    /**
     * Baseline: the same three calls without the router, the two failures caught.
     *
     * @return the secondary's response
     */
    @Benchmark
    public ChatResponse direct() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                failing.chat(request);
            } catch (HttpErrorResponse throttled) {
                // what a caller without a router would have to catch before trying the next model
            }
        }
        return fallback.chat(request);
    }

    /**
     * The router: classify, retry once, classify, fall back.
     *
     * @return the secondary's response
     */
    @Benchmark
    public ChatResponse routed() {
        return router.chat(request);
    }

    /** Throws an HTTP 429 asking for no wait on every call, like a throttled provider behind an HTTP client. */
    static final class ThrottledChatModel implements ChatModel {
        private static final Map<String, List<String>> HEADERS =
                Map.of("retry-after-ms", List.of("0"), "content-type", List.of("application/json"));

        @Override
        public ChatResponse doChat(ChatRequest chatRequest) {
            throw new HttpErrorResponse(429, RATE_LIMIT_BODY, HEADERS);
        }
    }
}
