package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.Records.call;
import static dev.llmunit.junit.report.Records.passed;
import static dev.llmunit.junit.report.Records.test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmunit.junit.BudgetResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<TestRecord> suite() {
        return List.of(
                Records.withBudget(passed("com.example.B#second", call(2, "0.000300", 900), call(1, "0.000135", 400)),
                        new BudgetResult(BudgetResult.COST_PER_TEST, "0.0001", "0.000435", false, List.of("#1 openai"))),
                test("com.example.A#first", TestStatus.FAILED, call(1, "0.0001", 640)),
                test("com.example.C#skipped", TestStatus.SKIPPED),
                passed("com.example.D#unpriced", call(1, null, 1200)));
    }

    private static JsonNode write(List<TestRecord> records) throws Exception {
        return JSON.readTree(LlmReport.of("run-1", records, List.of()).toJson());
    }

    @Test
    void writesEveryFieldOfTheContractWithItsType() throws Exception {
        JsonNode root = write(suite());

        JsonNode test = root.get("tests").get(1);
        assertThat(test.get("id").textValue()).isEqualTo("com.example.B#second");
        assertThat(test.get("status").textValue()).isEqualTo("passed");
        assertThat(test.get("costUsd").isTextual()).isTrue();
        assertThat(test.get("displayName").textValue()).isEqualTo("second()");
        assertThat(test.get("failure").textValue()).isEmpty();
        assertThat(test.get("latencyP95Ms").longValue()).isEqualTo(900);
        assertThat(test.get("callCount").intValue()).isEqualTo(2);
        JsonNode call = test.get("calls").get(0);
        assertThat(call.get("provider").textValue()).isEqualTo("openai");
        assertThat(call.get("model").textValue()).isEqualTo("gpt-4o-mini");
        assertThat(call.get("inputTokens").isIntegralNumber()).isTrue();
        assertThat(call.get("outputTokens").longValue()).isEqualTo(30);
        assertThat(call.get("cachedTokens").longValue()).isEqualTo(20);
        assertThat(call.get("reasoningTokens").longValue()).isEqualTo(5);
        assertThat(call.get("costUsd").textValue()).isEqualTo("0.000135");
        assertThat(call.get("latencyMs").longValue()).isEqualTo(400);
        assertThat(call.get("attempts").intValue()).isEqualTo(1);
        assertThat(call.get("fixture").textValue()).isEqualTo("fixture-1");
        assertThat(call.get("overheadMs").decimalValue()).isEqualByComparingTo("1.235");
        assertThat(call.get("latencyRecorded").booleanValue()).isTrue();
        assertThat(call.get("fallbacks").isArray()).isTrue();
        assertThat(call.get("retries").intValue()).isZero();
        assertThat(call.get("confidence").doubleValue()).isEqualTo(0.9);
        assertThat(call.get("error").isNull()).isTrue();
        assertThat(call.get("source").textValue()).isEqualTo("router");
        assertThat(call.get("prompt").textValue()).isEqualTo("prompt 1");
        JsonNode budget = test.get("budgets").get(0);
        assertThat(budget.get("kind").textValue()).isEqualTo("cost.perTest");
        assertThat(budget.get("limit").textValue()).isEqualTo("0.0001");
        assertThat(budget.get("actual").textValue()).isEqualTo("0.000435");
        assertThat(budget.get("passed").booleanValue()).isFalse();
        JsonNode totals = root.get("totals");
        assertThat(totals.get("tests").intValue()).isEqualTo(4);
        assertThat(totals.get("calls").intValue()).isEqualTo(4);
        assertThat(totals.get("passed").intValue()).isEqualTo(2);
        assertThat(totals.get("failed").intValue()).isEqualTo(1);
        assertThat(totals.get("skipped").intValue()).isEqualTo(1);
        assertThat(totals.get("latencyP50Ms").longValue()).isEqualTo(640);
        assertThat(totals.get("latencyP95Ms").longValue()).isEqualTo(1200);
        assertThat(totals.get("budgetBreaches").intValue()).isEqualTo(1);
        assertThat(totals.get("missingFixtures").intValue()).isZero();
        assertThat(totals.get("overheadMs").isNumber()).isTrue();
        assertThat(root.get("missingFixtures").isArray()).isTrue();
    }

    @Test
    void writesCostsAsExactDecimalStrings() throws Exception {
        JsonNode root = write(suite());

        assertThat(root.get("tests").get(1).get("costUsd").textValue()).isEqualTo("0.000435");
        assertThat(root.get("tests").get(0).get("costUsd").textValue()).isEqualTo("0.0001");
        assertThat(root.get("totals").get("costUsd").textValue()).isEqualTo("0.000535");
    }

    @Test
    void writesAnUnknownCostAsNullWithCostKnownFalse() throws Exception {
        JsonNode root = write(suite());

        JsonNode unpriced = root.get("tests").get(3);
        assertThat(unpriced.get("costUsd").isNull()).isTrue();
        assertThat(unpriced.get("costKnown").booleanValue()).isFalse();
        assertThat(unpriced.get("calls").get(0).get("costUsd").isNull()).isTrue();
        assertThat(unpriced.get("calls").get(0).get("costKnown").booleanValue()).isFalse();
        assertThat(root.get("totals").get("unpricedCalls").intValue()).isEqualTo(1);
        assertThat(root.get("totals").get("costKnown").booleanValue()).isFalse();
    }

    @Test
    void sortsTestsByIdAndCallsBySequenceWhateverTheInputOrder() throws Exception {
        List<TestRecord> shuffled = new ArrayList<>(suite());
        Collections.reverse(shuffled);

        JsonNode root = write(shuffled);

        assertThat(root.get("tests").findValuesAsText("id")).containsExactly(
                "com.example.A#first", "com.example.B#second", "com.example.C#skipped", "com.example.D#unpriced");
        assertThat(root.get("tests").get(1).get("calls").findValuesAsText("prompt")).containsExactly("prompt 1", "prompt 2");
    }

    @Test
    void identicalInputGivesIdenticalTestsAndTotals() throws Exception {
        List<TestRecord> reversed = new ArrayList<>(suite());
        Collections.reverse(reversed);

        assertThat(write(reversed).get("tests")).isEqualTo(write(suite()).get("tests"));
        assertThat(write(reversed).get("totals")).isEqualTo(write(suite()).get("totals"));
        assertThat(LlmReport.of("run-1", reversed, List.of()).toJson())
                .isEqualTo(LlmReport.of("run-1", suite(), List.of()).toJson());
    }

    @Test
    void writesUnixLineEndingsOnly() {
        assertThat(LlmReport.of("run-1", suite(), List.of()).toJson()).doesNotContain("\r").endsWith("}\n");
    }

    @Test
    void givesAStreamedCallItsFirstTokenAndRateAndAPlainCallNeither(@TempDir Path dir) throws Exception {
        List<TestRecord> records = List.of(passed("com.example.S#streams", Records.streamedCall(1, 1150, 310, 42.16),
                call(2, "0.0001", 400)));

        JsonNode calls = write(records).get("tests").get(0).get("calls");

        assertThat(calls.get(0).get("timeToFirstTokenMs").longValue()).isEqualTo(310);
        assertThat(calls.get(0).get("tokensPerSecond").decimalValue()).isEqualByComparingTo("42.2");
        assertThat(calls.get(1).has("timeToFirstTokenMs")).isFalse();
        assertThat(calls.get(1).has("tokensPerSecond")).isFalse();
        LlmReport report = LlmReport.of("run-1", records, List.of());
        Path file = dir.resolve("report.json");
        report.writeJson(file);
        assertThat(LlmReport.read(file)).isEqualTo(report);
    }

    @Test
    void aNegativeFirstTokenInAReadReportNamesTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        LlmReport.of("run-1", List.of(passed("com.example.S#streams", Records.streamedCall(1, 1150, 310, 42.0))), List.of())
                .writeJson(file);
        Files.writeString(file, Files.readString(file).replaceFirst("(\"timeToFirstTokenMs\"\\s*:\\s*)310", "$1-5"));

        assertThatThrownBy(() -> LlmReport.read(file)).hasMessageContaining("timeToFirstTokenMs").hasMessageContaining("-5");
    }

    @Test
    void readsBackTheSameReportItWrote(@TempDir Path dir) {
        LlmReport report = LlmReport.of("run-1", suite(), List.of());
        Path file = dir.resolve("report.json");
        report.writeJson(file);

        LlmReport read = LlmReport.read(file);

        assertThat(read).isEqualTo(report);
        assertThat(read.totals()).isEqualTo(report.totals());
    }

    @Test
    void mergeKeepsTheLaterReportsTestForADuplicateId() {
        LlmReport first = LlmReport.of("run-1", List.of(passed("a.A#x", call(1, "0.1", 10)), passed("a.A#y")), List.of());
        LlmReport second = LlmReport.of("run-1", List.of(passed("a.A#x", call(1, "0.2", 10))), List.of());

        LlmReport merged = LlmReport.merge(List.of(first, second));

        assertThat(merged.tests()).extracting(ReportTest::id).containsExactly("a.A#x", "a.A#y");
        assertThat(merged.test("a.A#x").orElseThrow().cost()).hasToString("$0.20");
        assertThat(merged.runKey()).isEqualTo("run-1");
    }

    @Test
    void readingAMalformedReportNamesTheFileAndTheJsonPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        Files.writeString(file, "{\"tests\": [{\"id\": \"a.A#x\", \"status\": \"green\"}]}", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> LlmReport.read(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("$.tests[0].status")
                .hasMessageContaining("\"green\"");
    }
}
