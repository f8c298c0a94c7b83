package dev.llmunit.engine;

import static dev.llmunit.engine.EngineTestKits.failureOf;
import static dev.llmunit.engine.EngineTestKits.failedNames;
import static dev.llmunit.engine.EngineTestKits.passedNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.CostBudget;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.LlmRouter;
import dev.llmunit.wiremock.FixtureServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Eval cases run as tests on the extension's run path: graded answers, weights and thresholds,
 * cost and latency from the ledger, a judge model whose cost counts, repeats with reducers, and
 * every case in report.json.
 */
class EngineExecutionTest {

    @TempDir
    Path reportDir;

    @LlmCases(value = "evals/basic/*.yaml", prompt = "{{question}}")
    static class PromptCases {
        @LlmRouter
        static Router router(FixtureServer server) {
            return Stubs.router(server);
        }
    }

    @LlmCases("evals/formats/*")
    static class MethodCases {
        static int instances;

        MethodCases() {
            instances++;
        }

        @LlmRouter
        static Router router(FixtureServer server) {
            return Stubs.router(server);
        }

        @LlmTarget
        String answer(@Var("question") String question, Router router, LlmCalls calls) {
            String text = router.chat(question);
            if (calls.count() != 1) {
                throw new IllegalStateException("the case's ledger should hold its one call, but held " + calls.count());
            }
            return text;
        }
    }

    @LlmCases(value = "evals/rubric/*.yaml", prompt = "{{question}}", judge = "openai:gpt-4o-mini")
    @CostBudget(perTest = "0.0001")
    static class JudgedCases {
        @LlmRouter
        static Router router(FixtureServer server) {
            return Stubs.router(server);
        }
    }

    @LlmCases(value = "evals/repeat/*.yaml", prompt = "{{question}}")
    static class RepeatedCases {
        @LlmRouter
        static Router router(FixtureServer server) {
            return Stubs.router(server);
        }
    }

    @Test
    void gradesEachCaseOfAPromptTargetWithEveryAssertionType() {
        EngineExecutionResults results = EngineTestKits.run(reportDir, PromptCases.class);

        assertThat(passedNames(results)).containsExactly("answers in JSON", "names the capital of France", "passes on its weighted score");
        assertThat(failedNames(results)).containsExactly("fails its cost and latency limits", "fails when the answer misses",
                "unknown confidence never passes");
        assertThat(failureOf(results, "fails when the answer misses"))
                .contains("llmunit case 'wrong' (llmunit/evals/basic/answers.yaml:50) failed")
                .contains("2 of 2 assertions failed")
                .contains("FAIL contains (line 55)").contains("Berlin")
                .contains("FAIL equals (line 56): expected \"Paris\" but the answer was \"The capital of France is Paris.\"");
        assertThat(failureOf(results, "fails its cost and latency limits"))
                .contains("cost $0.000021 > $0.00001 over 1 call")
                .contains("latency 120 ms > 100 ms over 1 call");
        assertThat(failureOf(results, "unknown confidence never passes")).contains("confidence unknown");
        // The engine's run closes its suite: the console summary and the report count the cases.
        assertThat(results.containerEvents().failed().count()).isZero();
    }

    @Test
    void aMethodTargetGetsTheCaseVariablesAndItsRouterAndReadsCsvAndJsonLines() {
        MethodCases.instances = 0;
        EngineExecutionResults results = EngineTestKits.run(reportDir, MethodCases.class);

        assertThat(failedNames(results)).isEmpty();
        assertThat(passedNames(results)).containsExactlyInAnyOrder("csv capital", "csv json", "csv similar", "jsonl-capital", "jsonl-json");
        assertThat(MethodCases.instances).as("one instance answers all cases").isEqualTo(1);
    }

    @Test
    void theJudgeModelGradesThroughItsOwnRecordedCallsWhoseCostCountsForTheBudgetButNotTheCaseCost() throws IOException {
        EngineExecutionResults results = EngineTestKits.run(reportDir, JudgedCases.class);

        assertThat(failedNames(results)).isEmpty();
        JsonNode test = onlyTest(report(), "refund-policy");
        assertThat(test.path("calls")).hasSize(2);
        assertThat(test.path("calls").get(0).path("source").asText()).isEqualTo("router");
        assertThat(test.path("calls").get(1).path("source").asText()).isEqualTo("judge");
        // target 30 x $0.15/M + 9 x $0.60/M = $0.0000099; judge 80 x $0.15/M + 20 x $0.60/M = $0.000024
        assertThat(test.path("costUsd").asText()).isEqualTo("0.0000339");
        assertThat(test.path("budgets").get(0).path("kind").asText()).isEqualTo("cost.perTest");
        assertThat(test.path("budgets").get(0).path("actual").asText()).isEqualTo("0.0000339");
    }

    @Test
    void repeatedCasesPlayDistinctSamplesAndPassOrFailByTheirReducer() throws IOException {
        EngineExecutionResults results = EngineTestKits.run(reportDir, RepeatedCases.class);

        assertThat(passedNames(results)).containsExactly("a flaky answer judged by its pass rate");
        assertThat(failureOf(results, "the same runs fail pass^4"))
                .contains("2/4 runs passed (50 %, Wilson 95 % 15–85 %), flaky; pass^4 measured 0.000: FAILED")
                .contains("run 2: 1 of 1 assertions failed");
        JsonNode coin = onlyTest(report(), "coin");
        JsonNode repetitions = coin.path("repetitions");
        assertThat(repetitions.path("reducer").asText()).isEqualTo("minPassRate(0.5)");
        assertThat(repetitions.path("verdict").asText()).isEqualTo("passed");
        assertThat(repetitions.path("label").asText()).isEqualTo("flaky");
        assertThat(repetitions.path("passedRuns").asInt()).isEqualTo(2);
        assertThat(repetitions.path("wilsonLower").decimalValue()).isEqualByComparingTo("0.1500");
        assertThat(repetitions.path("outcomes").findValuesAsText("passed")).containsExactly("true", "false", "true", "false");
        assertThat(coin.path("calls").findValuesAsText("fixture"))
                .containsExactly("coin sample 1", "coin sample 2", "coin sample 3", "coin sample 4");
    }

    @Test
    void everyCaseIsInTheReportWithItsClassFileAndKey() throws IOException {
        EngineTestKits.run(reportDir, Map.of(), PromptCases.class, MethodCases.class);

        JsonNode report = report();
        assertThat(report.path("tests").findValuesAsText("id")).contains(
                "dev.llmunit.engine.EngineExecutionTest$PromptCases#basic/answers.yaml[capital]",
                "dev.llmunit.engine.EngineExecutionTest$MethodCases#formats/cases.jsonl[jsonl-json]");
        assertThat(report.path("totals").path("tests").asInt()).isEqualTo(11);
        assertThat(report.path("totals").path("failed").asInt()).isEqualTo(3);
        JsonNode capital = onlyTest(report, "capital");
        assertThat(capital.path("costUsd").asText()).isEqualTo(Stubs.CAPITAL_COST);
        assertThat(capital.path("calls").get(0).path("latencyMs").asLong()).isEqualTo(120);
    }

    private JsonNode report() throws IOException {
        return new ObjectMapper().readTree(Files.readString(reportDir.resolve("report.json")));
    }

    private static JsonNode onlyTest(JsonNode report, String key) {
        for (JsonNode test : report.path("tests")) {
            if (test.path("id").asText().endsWith("[" + key + "]")) {
                return test;
            }
        }
        throw new AssertionError("no test with key " + key + " in " + report.path("tests").findValuesAsText("id"));
    }
}
