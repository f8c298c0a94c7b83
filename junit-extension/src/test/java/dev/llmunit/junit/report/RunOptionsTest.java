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
