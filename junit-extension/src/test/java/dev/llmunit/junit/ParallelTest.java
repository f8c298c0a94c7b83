package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tests running in parallel each get their own router and ledger; nothing crosses between them. */
class ParallelTest {

    static final int TESTS = 100;

    @TempDir
    Path reportDir;

    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    @LlmTest
    static class HundredPrompts {
        @BeforeAll
        static void stubEveryPrompt(FixtureServer server) {
            // Stubbed once, before any test runs, so no test races another's stubbing.
            for (int i = 1; i <= TESTS; i++) {
                server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<prompt " + i + ">")
                        .withFixedDelay(Duration.ofMillis(10 + i % 7)).replyText("answer " + i));
            }
        }

        static IntStream numbers() {
            return IntStream.rangeClosed(1, TESTS);
        }

        @ParameterizedTest
        @MethodSource("numbers")
        void seesOnlyItsOwnCall(int n, Router router, LlmCalls calls) {
            THREADS.add(Thread.currentThread().getName());

            String answer = router.route(ask("<prompt " + n + ">")).chatResponse().aiMessage().text();

            assertThat(answer).isEqualTo("answer " + n);
            assertThat(calls.all()).singleElement().satisfies(call -> {
                assertThat(call.prompt()).isEqualTo("<prompt " + n + ">");
                assertThat(call.answer()).isEqualTo("answer " + n);
                assertThat(call.judgedLatency()).isEqualTo(Duration.ofMillis(10 + n % 7));
            });
        }
    }

    @Test
    void givesEachOfAHundredConcurrentTestsALedgerWithExactlyItsOwnCall() {
        // GIVEN
        THREADS.clear();
        Map<String, String> parallel = Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "8");
        // WHEN
        var results = run(reportDir, parallel, HundredPrompts.class);
        // THEN
        assertAllSucceeded(results, TESTS);
        assertThat(THREADS).as("threads the tests ran on").hasSizeGreaterThan(1);
    }
}
