package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.Records.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.junit.Reducer;
import dev.llmunit.junit.Repetitions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on a repeated test compares the lower bound of its Wilson 95 % pass-rate interval. */
class PassRateGateTest {

    private static final String ID = "com.example.TriageTest#classifiesRepeatedly";

    @TempDir
    Path dir;

    private final Records.Console console = new Records.Console();

    @Test
    void updateKeepsTheLowerBoundAndTheSameRunsPassTheGate() throws IOException {
        run(BaselineMode.UPDATE, repeated(5, 4));

        assertThat(Files.readString(dir.resolve("llmunit-baseline.json"))).contains("\"passRateLower\": 0.3755");
        assertThat(run(BaselineMode.CHECK, repeated(5, 4)).failed()).isFalse();
    }

    @Test
    void aLowerBoundBelowTheBaselineIsARegressionShowingBeforeAndAfter() throws IOException {
        run(BaselineMode.UPDATE, repeated(5, 5));

        RunVerdict verdict = run(BaselineMode.CHECK, repeated(5, 3));

        assertThat(verdict.regressions()).extracting(Regression::metric).containsExactly(Regression.Metric.PASS_RATE);
        assertThat(verdict.failureMessage()).contains(ID + ": pass rate lower bound (Wilson 95 %) 56.6 % -> 23.1 %");
    }

    @Test
    void aHigherLowerBoundFromMoreRunsIsNoRegression() throws IOException {
        run(BaselineMode.UPDATE, repeated(5, 4));

        assertThat(run(BaselineMode.CHECK, repeated(20, 16)).failed()).isFalse();
    }

    @Test
    void theReportReadsTheRepetitionsBack() throws IOException {
        run(BaselineMode.OFF, repeated(5, 4));

        LlmReport report = LlmReport.read(dir.resolve("target/llmunit/report.json"));
        Repetitions repetitions = report.tests().get(0).repetitions();
        assertThat(repetitions).isNotNull();
        assertThat(repetitions.passedRuns()).isEqualTo(4);
        assertThat(repetitions.reducer()).hasToString("minPassRate(0.8)");
        assertThat(Files.readString(dir.resolve("target/llmunit/report.json"), StandardCharsets.UTF_8))
                .contains("\"label\": \"flaky\"").contains("\"wilsonLower\": 0.3755");
    }

    @Test
    void theHtmlReportShowsEachRepeatedTestWithItsIntervalLabelAndRuns() throws IOException {
        run(BaselineMode.OFF, repeated(5, 4));

        String html = Files.readString(dir.resolve("target/llmunit/report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<h2>Repeated tests (1)</h2>").contains("minPassRate(0.8)").contains(">flaky<")
                .contains("4 / 5").contains("80.0 %").contains("37.6 % – 96.4 %").contains("title=\"run 5: wrong category\"");
    }

    private RunVerdict run(BaselineMode mode, TestRecord record) {
        return LlmRunReport.finish(List.of(record), List.of(), Records.options(dir, mode, "run-1", console));
    }

    private static TestRecord repeated(int runs, int passed) {
        List<Repetitions.Run> outcomes = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            outcomes.add(new Repetitions.Run(i, i <= passed, i <= passed ? "" : "wrong category"));
        }
        Repetitions repetitions = Repetitions.judge(Reducer.parse("minPassRate(0.8)"), outcomes);
        return new TestRecord(ID, "classifiesRepeatedly", repetitions.passed() ? TestStatus.PASSED : TestStatus.FAILED,
                List.of(call(1, "0.0001", 500)), List.of(), "", repetitions);
    }
}
