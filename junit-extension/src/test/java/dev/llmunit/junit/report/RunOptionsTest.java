package dev.llmunit.junit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    private static final Path HERE = Path.of("/work/module");

    private static RunOptions read(Map<String, String> settings) {
        return RunOptions.fromConfiguration(key -> Optional.ofNullable(settings.get(key)), HERE, System.out);
    }

    @Test
    void usesTheDefaultsWhenNothingIsSet() {
        RunOptions options = read(Map.of());

        assertThat(options.reportDir()).isEqualTo(HERE.resolve("target/llmunit"));
        assertThat(options.baselineFile()).isEqualTo(HERE.resolve("llmunit-baseline.json"));
        assertThat(options.baselineMode()).isEqualTo(BaselineMode.CHECK);
        assertThat(options.costTolerance()).isEqualByComparingTo("0.10");
        assertThat(options.latencyTolerance()).isEqualByComparingTo("0.20");
        assertThat(options.suiteCostBudget()).isNull();
        assertThat(options.runKey()).isEqualTo(RunOptions.defaultRunKey());
    }

    @Test
    void readsEverySetting() {
        RunOptions options = read(Map.of(RunOptions.REPORT_DIR, "/tmp/out", RunOptions.BASELINE, "UPDATE",
                RunOptions.BASELINE_FILE, "ci/baseline.json", RunOptions.COST_TOLERANCE, "5%",
                RunOptions.LATENCY_TOLERANCE, "0.5", RunOptions.SUITE_COST_BUDGET, "0.05", RunOptions.RUN, "ci-42"));

        assertThat(options.reportDir()).isEqualTo(Path.of("/tmp/out"));
        assertThat(options.baselineMode()).isEqualTo(BaselineMode.UPDATE);
        assertThat(options.baselineFile()).isEqualTo(HERE.resolve("ci/baseline.json"));
        assertThat(options.costTolerance()).isEqualByComparingTo("0.05");
        assertThat(options.latencyTolerance()).isEqualByComparingTo("0.5");
        assertThat(options.suiteCostBudget()).hasToString("$0.05");
        assertThat(options.runKey()).isEqualTo("ci-42");
    }

    @Test
    void printsTheSummaryUnlessTheConsoleIsOffAndWritesTheReportEitherWay(@org.junit.jupiter.api.io.TempDir Path dir) {
        for (String console : new String[] {"on", "off"}) {
            // GIVEN
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            RunOptions options = RunOptions.fromConfiguration(key -> Optional.ofNullable(Map.of(RunOptions.REPORT_DIR,
                    dir.resolve(console).toString(), RunOptions.CONSOLE, console, RunOptions.BASELINE, "off").get(key)),
                    HERE, new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));

            // WHEN a run finishes
            RunVerdict verdict = LlmRunReport.finish(java.util.List.of(Records.passed("a.B#c", Records.call(1, "0.0001", 100))),
                    java.util.List.of(), options);

            // THEN the summary is printed only when the console is on; the report is written in both cases
            String text = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
            if (console.equals("on")) {
                assertThat(text).contains("llmunit: 1 test (1 passed");
            } else {
                assertThat(text).isEmpty();
            }
            assertThat(verdict.reportJson()).exists();
        }
    }

    @Test
    void rejectsAConsoleSettingOtherThanOnOrOff() {
        assertThatThrownBy(() -> read(Map.of(RunOptions.CONSOLE, "quiet")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("llmunit.report.console must be on or off, but was \"quiet\"");
    }

    @Test
    void rejectsAToleranceThatIsNotANumberNamingKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of(RunOptions.COST_TOLERANCE, "ten")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llmunit.baseline.tolerance.cost")
                .hasMessageContaining("\"ten\"")
                .hasMessageContaining("0.10");
    }

    @Test
    void rejectsANegativeTolerance() {
        assertThatThrownBy(() -> read(Map.of(RunOptions.LATENCY_TOLERANCE, "-0.1")))
                .hasMessageContaining("llmunit.baseline.tolerance.latency").hasMessageContaining("-0.1");
    }

    @Test
    void rejectsAnUnknownBaselineModeListingTheValidOnes() {
        assertThatThrownBy(() -> read(Map.of(RunOptions.BASELINE, "strict")))
                .hasMessageContaining("llmunit.baseline").hasMessageContaining("\"strict\"")
                .hasMessageContaining("check, update or off");
    }

    @Test
    void rejectsASuiteBudgetThatIsNotAnAmount() {
        assertThatThrownBy(() -> read(Map.of(RunOptions.SUITE_COST_BUDGET, "five dollars")))
                .hasMessageContaining("llmunit.budget.suite.cost").hasMessageContaining("\"five dollars\"");
    }
}
