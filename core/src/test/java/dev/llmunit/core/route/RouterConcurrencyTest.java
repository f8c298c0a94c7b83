package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.failingAtRandom;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RouterConcurrencyTest {

    private static final int THREADS = 64;
    private static final int CALLS_PER_THREAD = 1_000;
    private static final ChatRequest REQUEST = request("Busy day");

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void losesNoCallAndCountsEveryAttemptUnderLoad() throws Exception {
        // GIVEN three providers in round robin, b rate limited ~30 % of the time, one quick retry,
        // at most two attempts, so some calls that start on b fail outright, and a breaker that opens
        // only on a window of nothing but failures (30 % failures open the default one now and then)
        ScriptedChatModel a = answering("from a");
        ScriptedChatModel b = failingAtRandom(0.3, ScriptedChatModel::rateLimited, "from b");
        ScriptedChatModel c = answering("from c");
        Router router = Router.builder()
                .strategy(RoutingStrategy.roundRobin())
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .maxAttempts(2)
                .circuitBreaker(cb -> cb.failureRateThreshold(100))
                .provider("a", a)
                .provider("b", b)
                .provider("c", c)
                .build();
        LongAdder responses = new LongAdder();
        LongAdder failures = new LongAdder();
        LongAdder unexpected = new LongAdder();
        Map<String, LongAdder> callsMade = new ConcurrentHashMap<>();
        Map<String, LongAdder> failedAttempts = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);

        // WHEN 64 threads route 1,000 calls each
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    List<Attempt> attempts;
                    try {
                        RoutedResponse response = router.route(REQUEST);
                        attempts = response.attempts();
                        responses.increment();
                    } catch (LlmException.AllProvidersFailed failure) {
                        attempts = failure.attempts();
                        failures.increment();
                    } catch (RuntimeException other) {
                        unexpected.increment();
                        continue;
                    }
                    for (Attempt attempt : attempts) {
                        if (attempt.outcome() != Outcome.REJECTED) {
                            callsMade.computeIfAbsent(attempt.provider(), name -> new LongAdder()).increment();
                        }
                        if (attempt.outcome() == Outcome.FAILED) {
                            failedAttempts.computeIfAbsent(attempt.provider(), name -> new LongAdder()).increment();
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(110, TimeUnit.SECONDS);
        }

        // THEN every call ended in a response or a typed failure
        assertThat(unexpected.sum()).isZero();
        assertThat(responses.sum() + failures.sum()).isEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(failures.sum()).as("calls whose two attempts both failed on b").isPositive();

        // AND the doubles' call counts match the attempts the router recorded
        assertThat(count(callsMade, "a")).isEqualTo(a.calls());
        assertThat(count(callsMade, "b")).isEqualTo(b.calls());
        assertThat(count(callsMade, "c")).isEqualTo(c.calls());
        assertThat(router.health("b").calls()).isEqualTo(b.calls());

        // AND the router counted exactly the failures b threw, and none for a or c
        assertThat(b.failures()).isPositive();
        assertThat(count(failedAttempts, "b")).isEqualTo(b.failures());
        assertThat(router.errors().count("b", ErrorKind.RATE_LIMITED)).isEqualTo(b.failures());
        assertThat(router.errors().total("b")).isEqualTo(b.failures());
        assertThat(router.errors().total("a")).isZero();
        assertThat(router.errors().total("c")).isZero();
        assertThat(router.health().values()).allSatisfy(health -> assertThat(health.inFlight()).isZero());
    }

    private static long count(Map<String, LongAdder> counts, String provider) {
        LongAdder counter = counts.get(provider);
        return counter == null ? 0 : counter.sum();
    }
}
