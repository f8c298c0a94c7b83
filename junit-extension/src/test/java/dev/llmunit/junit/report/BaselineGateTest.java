package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.Records.call;
import static dev.llmunit.junit.report.Records.passed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineGateTest {

    private static final String ID = "com.example.TriageTest#routesARefund";

    @TempDir
    Path dir;

    private final Records.Console console = new Records.Console();

    private void baseline(String cost, int calls, long latencyP95Ms) throws IOException {
        Files.writeString(dir.resolve("llmunit-baseline.json"), "{\"version\": 1, \"tests\": {\"" + ID + "\": {\"costUsd\": \""
                + cost + "\", \"calls\": " + calls + ", \"latencyP95Ms\": " + latencyP95Ms + "}}}", StandardCharsets.UTF_8);
    }

    private RunVerdict run(BaselineMode mode, TestRecord... records) {
        return LlmRunReport.finish(List.of(records), List.of(), Records.options(dir, mode, "run-1", console));
    }

    @Test
    void failsOnACostThirtyPercentOverTheBaselineShowingBeforeAndAfter() throws IOException {
        baseline("0.0004", 1, 800);

        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, "0.00052", 800)));

        assertThat(verdict.failed()).isTrue();
        assertThat(verdict.regressions()).extracting(Regression::metric).containsExactly(Regression.Metric.COST);
        assertThat(verdict.failureMessage())
                .contains(ID + ": cost $0.000400 -> $0.000520 (+30.0 %, tolerance +10 %)")
                .contains("-Dllmunit.baseline=update")
                .contains("commit");
    }

    @Test
    void passesACostFivePercentOverTheBaseline() throws IOException {
        baseline("0.0004", 1, 800);

        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, "0.00042", 800)));

        assertThat(verdict.failed()).isFalse();
        assertThat(verdict.failureMessage()).isEmpty();
    }

    @Test
    void failsWhenTheTestMakesMoreCallsThanBefore() throws IOException {
        baseline("0.0004", 1, 800);

        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, "0.0002", 800), call(2, "0.0002", 800)));

        assertThat(verdict.failed()).isTrue();
        assertThat(verdict.failureMessage()).contains(ID + ": calls 1 -> 2");
    }

    @Test
    void failsOnALatencyTwentyFivePercentOverTheBaseline() throws IOException {
        baseline("0.0004", 1, 800);

        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, "0.0004", 1000)));

        assertThat(verdict.failed()).isTrue();
        assertThat(verdict.failureMessage()).contains("latency p95 800 ms -> 1000 ms (+25.0 %, tolerance +20 %)");
    }

    @Test
    void passesALatencyFifteenPercentOverTheBaseline() throws IOException {
        baseline("0.0004", 1, 800);

        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, "0.0004", 920)));

        assertThat(verdict.failed()).isFalse();
    }

    @Test
    void failsWhenTheCostBecomesUnknown() throws IOException {
        baseline("0.0004", 1, 800);

        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, null, 800)));

        assertThat(verdict.failed()).isTrue();
        assertThat(verdict.failureMessage()).contains("cost $0.000400 -> unknown");
    }

    @Test
    void listsATestMissingFromTheBaselineAsNewWithoutFailing() throws IOException {
        baseline("0.0004", 1, 800);

        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, "0.0004", 800)),
                passed("com.example.NewTest#answers", call(1, "0.5", 5000)));

        assertThat(verdict.failed()).isFalse();
        LlmReport report = LlmReport.read(verdict.reportJson());
        assertThat(report.test("com.example.NewTest#answers")).isPresent();
        assertThat(Files.readString(verdict.reportJson())).contains("\"status\": \"new\"");
        assertThat(console.text()).contains("1 new");
    }

    @Test
    void doesNotJudgeASkippedTest() throws IOException {
        baseline("0.0004", 1, 800);

        RunVerdict verdict = run(BaselineMode.CHECK, Records.test(ID, TestStatus.SKIPPED));

        assertThat(verdict.failed()).isFalse();
    }

    @Test
    void withoutABaselineFileSaysHowToCreateOne() {
        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, "0.0004", 800)));

        assertThat(verdict.failed()).isFalse();
        assertThat(console.text()).contains("no baseline (run with -Dllmunit.baseline=update to create");
    }

    @Test
    void updateWritesABaselineThatTheSameRunThenPasses() throws IOException {
        baseline("0.0001", 1, 100);
        Files.writeString(dir.resolve("llmunit-baseline.json"), Files.readString(dir.resolve("llmunit-baseline.json"))
                .replace("}}}", "}, \"com.example.OtherShard#kept\": {\"costUsd\": \"0.3\", \"calls\": 2, \"latencyP95Ms\": 10}}}"));

        RunVerdict updated = run(BaselineMode.UPDATE, passed(ID, call(1, "0.0004", 800)));
        RunVerdict checked = run(BaselineMode.CHECK, passed(ID, call(1, "0.0004", 800)));

        assertThat(updated.failed()).isFalse();
        assertThat(console.text()).contains("baseline updated");
        Baseline written = Baseline.read(dir.resolve("llmunit-baseline.json"));
        assertThat(written.tests()).containsOnlyKeys("com.example.OtherShard#kept", ID);
        assertThat(written.tests().get(ID)).isEqualTo(new Baseline.Entry(dev.llmunit.core.cost.Usd.usd("0.0004"), 1, 800));
        assertThat(checked.failed()).isFalse();
    }

    @Test
    void updateKeepsTheOldEntryOfATestThatFailed() throws IOException {
        // GIVEN a baseline, and a run in which the test failed halfway with a cheaper, shorter call
        baseline("0.0004", 2, 800);

        run(BaselineMode.UPDATE, Records.test(ID, TestStatus.FAILED, call(1, "0.0001", 100)));

        // THEN the failed run's figures are not accepted: the next green run must not look like a regression
        assertThat(Baseline.read(dir.resolve("llmunit-baseline.json")).tests().get(ID))
                .isEqualTo(new Baseline.Entry(dev.llmunit.core.cost.Usd.usd("0.0004"), 2, 800));
    }

    @Test
    void aBaselineThatIsNotJsonFailsNamingTheFileAndTheFix() throws IOException {
        Files.writeString(dir.resolve("llmunit-baseline.json"), "{\"version\": 1, \"tests\": {", StandardCharsets.UTF_8);

        RunVerdict verdict = run(BaselineMode.CHECK, passed(ID, call(1, "0.0004", 800)));

        // THEN the run fails naming the file, the problem and the fix, and this run's report was still written
        assertThat(verdict.failed()).isTrue();
        assertThat(verdict.failureMessage())
                .contains(dir.resolve("llmunit-baseline.json").toString())
                .contains("not valid JSON")
                .contains("-Dllmunit.baseline=update");
        assertThat(LlmReport.read(verdict.reportJson()).test(ID)).isPresent();
    }

    @Test
    void aBaselineWithAWrongValueNamesTheJsonPath() throws IOException {
        Files.writeString(dir.resolve("llmunit-baseline.json"),
                "{\"version\": 1, \"tests\": {\"" + ID + "\": {\"costUsd\": \"0.1\", \"calls\": \"two\", \"latencyP95Ms\": 1}}}");

        assertThatThrownBy(() -> Baseline.read(dir.resolve("llmunit-baseline.json")))
                .hasMessageContaining("$.tests[\"" + ID + "\"].calls")
                .hasMessageContaining("\"two\"");
    }

    @Test
    void aBrokenSuiteCostBudgetFailsListingTheMostExpensiveTests() {
        RunOptions options = Records.options(dir, BaselineMode.OFF, "run-1", console);
        options = new RunOptions(options.reportDir(), options.baselineFile(), options.baselineMode(), options.costTolerance(),
                options.latencyTolerance(), dev.llmunit.core.cost.Usd.usd("0.001"), options.runKey(), options.console());

        RunVerdict verdict = LlmRunReport.finish(List.of(passed("a.A#cheap", call(1, "0.0001", 1)),
                passed("a.A#dear", call(1, "0.002", 1))), List.of(), options);

        assertThat(verdict.failed()).isTrue();
        assertThat(verdict.suiteBudget()).hasValueSatisfying(budget -> {
            assertThat(budget.kind()).isEqualTo("cost.suite");
            assertThat(budget.passed()).isFalse();
            assertThat(budget.offendingCalls()).first().asString().startsWith("a.A#dear");
        });
        assertThat(verdict.failureMessage()).contains("llmunit.budget.suite.cost");
    }
}
