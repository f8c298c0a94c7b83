package dev.llmunit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.benchmarks.OverheadGuard.Figures;
import dev.llmunit.benchmarks.OverheadGuard.Verdict;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

class OverheadGuardTest {

    /** Figures like those of a quiet run: every difference well inside its bound. */
    private static Map<String, Figures> quietRun() {
        Map<String, Figures> figures = new LinkedHashMap<>();
        put(figures, "RouterOverheadBenchmark.direct", 80, 80, 472);
        put(figures, "RouterOverheadBenchmark.routed", 400, 400, 1176);
        put(figures, "ErrorHandlingBenchmark.direct", 3_000, 3_000, 3_128);
        put(figures, "ErrorHandlingBenchmark.routed", 12_000, 12_000, 11_900);
        put(figures, "EnsembleBenchmark.threeMembersInARow", 1_200, 1_200, 3_528);
        put(figures, "EnsembleBenchmark.ensembleOnCallingThread", 6_000, 6_000, 8_144);
        put(figures, "EnsembleBenchmark.slowestMember", 400, 400, 1_176);
        put(figures, "EnsembleBenchmark.ensemble", 30_000, 12_000, 8_300);
        return figures;
    }

    private static void put(Map<String, Figures> figures, String benchmark, double wallNanos, double cpuNanos, double bytes) {
        figures.put(benchmark, new Figures(benchmark, wallNanos, wallNanos * 1.2, wallNanos * 0.3, cpuNanos, bytes));
    }

    @Test
    void aQuietRunPassesEveryCheck() {
        List<Verdict> verdicts = OverheadGuard.evaluate(quietRun());

        assertThat(verdicts).hasSameSizeAs(OverheadGuard.CHECKS).allMatch(Verdict::passed);
        assertThat(OverheadGuard.report(quietRun(), verdicts))
                .contains("RouterOverheadBenchmark.routed", "ok   allocation routed call: routed - direct", "704 B", "(target 1024 B, bound 1024 B)")
                .doesNotContain("FAIL");
    }

    @Test
    void theRoutedCallAllocatingOneObjectTooManyFails() {
        Map<String, Figures> figures = quietRun();
        put(figures, "RouterOverheadBenchmark.routed", 400, 400, 472 + 1024 + 16);

        List<Verdict> failed = OverheadGuard.evaluate(figures).stream().filter(verdict -> !verdict.passed()).toList();

        assertThat(failed).singleElement().satisfies(verdict -> {
            assertThat(verdict.check().name()).isEqualTo("routed call: routed - direct");
            assertThat(verdict.check().metric()).isEqualTo(OverheadGuard.Metric.ALLOCATION);
            assertThat(verdict.value()).isEqualTo(1040);
        });
        assertThat(OverheadGuard.report(figures, OverheadGuard.evaluate(figures)))
                .contains("FAIL allocation routed call: routed - direct", "1040 B");
    }

    @Test
    void anErrorPathSlowerThanTenTimesItsTargetFailsOnCpuTime() {
        Map<String, Figures> figures = quietRun();
        put(figures, "ErrorHandlingBenchmark.routed", 12_000, 3_000 + 200_001, 11_900);

        List<Verdict> failed = OverheadGuard.evaluate(figures).stream().filter(verdict -> !verdict.passed()).toList();

        assertThat(failed).extracting(verdict -> verdict.check().name() + " " + verdict.check().metric())
                .containsExactly("error handling: routed - direct CPU");
    }

    @Test
    void aSlowWallClockAloneDoesNotFailTheCpuChecks() {
        Map<String, Figures> figures = quietRun();
        // A machine so busy that the routed call's wall time is 40 µs: its CPU time says the router is fine.
        put(figures, "RouterOverheadBenchmark.routed", 40_000, 400, 1176);

        assertThat(OverheadGuard.evaluate(figures)).allMatch(Verdict::passed);
    }

    @Test
    void anEnsembleRunThatBlocksFailsOnWallTime() {
        Map<String, Figures> figures = quietRun();
        put(figures, "EnsembleBenchmark.ensemble", 400 + 2_000_001, 12_000, 8_300);

        assertThat(OverheadGuard.evaluate(figures).stream().filter(verdict -> !verdict.passed()))
                .extracting(verdict -> verdict.check().metric()).containsExactly(OverheadGuard.Metric.WALL);
    }

    @Test
    void aBenchmarkThatDidNotRunIsAnErrorNamingIt() {
        Map<String, Figures> figures = quietRun();
        figures.remove("ErrorHandlingBenchmark.direct");

        assertThatThrownBy(() -> OverheadGuard.evaluate(figures))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no result for ErrorHandlingBenchmark.direct")
                .hasMessageContaining("dev.llmunit.benchmarks.ErrorHandlingBenchmark");
    }

    @Test
    void everyBenchmarkTheGuardRunsIsABenchmarkMethod() throws Exception {
        for (String benchmark : OverheadGuard.benchmarks()) {
            int dot = benchmark.indexOf('.');
            Class<?> type = Class.forName("dev.llmunit.benchmarks." + benchmark.substring(0, dot));
            Method method = type.getMethod(benchmark.substring(dot + 1));
            assertThat(method.isAnnotationPresent(Benchmark.class)).as(benchmark).isTrue();
        }
        assertThat(OverheadGuard.benchmarks()).hasSize(8);
    }
    @Test
    void aSecondRunOfTheFailedChecksKeepsTheBetterFigureOfEachBenchmark() {
        Map<String, Figures> first = quietRun();
        put(first, "ErrorHandlingBenchmark.routed", 18_000_000, 840_000, 16_400);
        List<Verdict> verdicts = OverheadGuard.evaluate(first);
        List<String> again = OverheadGuard.benchmarksOf(verdicts.stream().filter(verdict -> !verdict.passed()).toList());
        assertThat(again).containsExactly("ErrorHandlingBenchmark.direct", "ErrorHandlingBenchmark.routed");

        Map<String, Figures> second = new LinkedHashMap<>();
        put(second, "ErrorHandlingBenchmark.direct", 3_500, 3_500, 3_200);
        put(second, "ErrorHandlingBenchmark.routed", 14_000, 14_000, 11_800);
        Map<String, Figures> combined = OverheadGuard.better(first, second);

        assertThat(combined.keySet()).containsExactlyElementsOf(first.keySet());
        assertThat(combined.get("ErrorHandlingBenchmark.direct")).isEqualTo(first.get("ErrorHandlingBenchmark.direct"));
        assertThat(combined.get("ErrorHandlingBenchmark.routed").cpuNanos()).isEqualTo(14_000);
        assertThat(combined.get("ErrorHandlingBenchmark.routed").allocatedBytes()).isEqualTo(11_800);
        assertThat(OverheadGuard.evaluate(combined)).allMatch(Verdict::passed);
    }

    @Test
    void aRegressionFailsTheSecondRunToo() {
        Map<String, Figures> first = quietRun();
        put(first, "RouterOverheadBenchmark.routed", 400, 400, 2_000);
        Map<String, Figures> second = new LinkedHashMap<>();
        put(second, "RouterOverheadBenchmark.direct", 80, 80, 472);
        put(second, "RouterOverheadBenchmark.routed", 390, 390, 2_000);

        assertThat(OverheadGuard.evaluate(OverheadGuard.better(first, second))).filteredOn(verdict -> !verdict.passed())
                .extracting(verdict -> verdict.check().name()).containsExactly("routed call: routed - direct");
    }
}
