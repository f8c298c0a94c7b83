package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.core.route.Router;
import dev.llmunit.junit.internal.Budgets;
import dev.llmunit.wiremock.AnthropicFixtures;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The same suite played back twice gets the same verdicts, down to the budgets' actual values. */
class DeterminismTest {

    @TempDir
    Path firstReportDir;

    @TempDir
    Path secondReportDir;

    /** The budget results each inner test's ledger gives, by test: what the extension judges after the test. */
    static final Map<String, List<BudgetResult>> BUDGETS = new ConcurrentHashMap<>();

    @LlmTest(providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
    @CostBudget(perTest = "0.001")
    static class PlayedBack {
        @AfterEach
        void keepBudgets(TestInfo test, LlmCalls calls) {
            BUDGETS.put(test.getTestMethod().orElseThrow().getName(),
                    Budgets.checkTest(test.getTestMethod().orElseThrow(), PlayedBack.class, calls.all()));
        }

        @Test
        @LatencyBudget(perCall = "100ms", p95 = "100ms")
        void withinBudgets(Router router, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<same-1>").withFixedDelay(Duration.ofMillis(40))
                    .replyText("one", reply -> reply.usage(1000, 200)));
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<same-2>").withFixedDelay(Duration.ofMillis(60))
                    .replyText("two", reply -> reply.usage(500, 100)));
            router.route(ask("<same-1>"));
            router.route(ask("<same-2>"));
        }

        @Test
        @LatencyBudget(perCall = "50ms")
        void overLatencyBudget(Router router, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<same-slow>").withFixedDelay(Duration.ofMillis(80))
                    .replyText("slow", reply -> reply.usage(1000, 200)));
            router.route(ask("<same-slow>"));
        }

        @Test
        @LatencyBudget(perCall = "2s")
        void afterARetry(Router router, FixtureServer server) {
            server.stubAll(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<same-retry>")
                    .withFixedDelay(Duration.ofMillis(30))
                    .sequence(steps -> steps.serverError().replyText("second try")));
            router.route(ask("<same-retry>"));
        }

        @Test
        void afterAFallback(Router router, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<same-fallback>").insufficientQuota());
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("<same-fallback>").withFixedDelay(Duration.ofMillis(25))
                    .replyText("claude"));
            router.route(ask("<same-fallback>"));
        }
    }

    /** One run's verdicts: per test, passed or the failure message, and the budget results. */
    private static Map<String, String> verdicts(EngineExecutionResults results) {
        Map<String, String> verdicts = new TreeMap<>();
        results.testEvents().finished().stream().forEach(event -> {
            String name = event.getTestDescriptor().getDisplayName();
            var result = event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow();
            verdicts.put(name, result.getStatus() + result.getThrowable().map(failure -> ": " + failure.getMessage()).orElse(""));
        });
        return verdicts;
    }

    @Test
    void givesTheSameVerdictsAndBudgetResultsOnEveryPlayback() {
        // GIVEN
        BUDGETS.clear();
        EngineExecutionResults first = run(firstReportDir, PlayedBack.class);
        Map<String, String> firstVerdicts = verdicts(first);
        Map<String, List<BudgetResult>> firstBudgets = new TreeMap<>(BUDGETS);
        BUDGETS.clear();
        // WHEN
        EngineExecutionResults second = run(secondReportDir, PlayedBack.class);
        // THEN
        assertThat(firstVerdicts).hasSize(4);
        assertThat(firstVerdicts.get("withinBudgets(Router, FixtureServer)")).isEqualTo("SUCCESSFUL");
        assertThat(firstVerdicts.get("overLatencyBudget(Router, FixtureServer)")).startsWith("FAILED")
                .contains("latency.perCall: 80 ms against a limit of 50 ms");
        assertThat(firstBudgets.get("withinBudgets")).extracting(BudgetResult::kind, BudgetResult::actual, BudgetResult::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BudgetResult.COST_PER_TEST, "0.000405", true),
                        org.assertj.core.groups.Tuple.tuple(BudgetResult.LATENCY_PER_CALL, "60", true),
                        org.assertj.core.groups.Tuple.tuple(BudgetResult.LATENCY_P95, "60", true));
        // 30 ms for each of the two recorded attempts, plus the 500 ms backoff chosen (not measured) before the retry
        assertThat(firstBudgets.get("afterARetry")).extracting(BudgetResult::kind, BudgetResult::actual)
                .contains(org.assertj.core.groups.Tuple.tuple(BudgetResult.LATENCY_PER_CALL, "560"));
        assertThat(verdicts(second)).isEqualTo(firstVerdicts);
        assertThat(new TreeMap<>(BUDGETS)).isEqualTo(firstBudgets);
    }
}
