package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.Records.call;
import static dev.llmunit.junit.report.Records.passed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMergeTest {

    @TempDir
    Path dir;

    private final Records.Console out = new Records.Console();
    private final Records.Console err = new Records.Console();

    private Path shard(String name, String runKey, TestRecord... records) {
        Path file = dir.resolve(name).resolve("report.json");
        LlmReport.of(runKey, List.of(records), List.of()).writeJson(file);
        return file;
    }

    private int merge(String... args) {
        return ReportMerge.run(args, dir, out.stream, err.stream);
    }

    @Test
    void exitsOneOnARegressionAndZeroAfterTheBaselineIsUpdated() {
        shard("old", "ci-1", passed("a.A#one", call(1, "0.0004", 100)));
        assertThat(merge("--update-baseline", "old/report.json")).isZero();
        shard("shard1", "ci-2-1", passed("a.A#one", call(1, "0.0008", 100)));
        shard("shard2", "ci-2-2", passed("a.B#two", call(1, "0.0001", 100)));

        int regressed = merge("shard1/report.json", "shard2/report.json");
        int updated = merge("--update-baseline", "shard1/report.json", "shard2/report.json");
        int passed = merge("--baseline", "llmunit-baseline.json", "shard1/report.json", "shard2/report.json");

        assertThat(regressed).isEqualTo(ReportMerge.FAILED);
        assertThat(err.text()).contains("a.A#one: cost $0.000400 -> $0.000800 (+100.0 %, tolerance +10 %)")
                .contains("--update-baseline");
        assertThat(updated).isEqualTo(ReportMerge.PASSED);
        assertThat(passed).isEqualTo(ReportMerge.PASSED);
        LlmReport merged = LlmReport.read(dir.resolve("target/llmunit-merged/report.json"));
        assertThat(merged.tests()).extracting(ReportTest::id).containsExactly("a.A#one", "a.B#two");
        assertThat(merged.runKey()).isEqualTo(LlmReport.MERGED_RUN_KEY);
    }

    @Test
    void writesTheMergeWhereOutSays() {
        shard("shard1", "ci", passed("a.A#one"));

        assertThat(merge("--out", "merged", "shard1/report.json")).isZero();

        assertThat(dir.resolve("merged/report.json")).exists();
        assertThat(dir.resolve("merged/report.html")).exists();
    }

    @Test
    void exitsTwoNamingBothReportsWhenATestIsInTwoShardsWhicheverOrderTheyAreGiven() {
        // GIVEN the same test in two shards, cheap in one and expensive in the other
        shard("shard1", "ci-1", passed("a.A#one", call(1, "0.0004", 100)));
        shard("shard2", "ci-2", passed("a.A#one", call(1, "0.0008", 100)), passed("a.B#two"));

        // WHEN merged in either order
        int forward = merge("shard1/report.json", "shard2/report.json");
        String forwardMessage = err.text();
        int backward = merge("shard2/report.json", "shard1/report.json");

        // THEN both refuse, naming the test and both files, instead of the last file winning
        assertThat(forward).isEqualTo(ReportMerge.ERROR);
        assertThat(backward).isEqualTo(ReportMerge.ERROR);
        assertThat(forwardMessage).contains("the test a.A#one is in two reports")
                .contains(dir.resolve("shard1/report.json").toString()).contains(dir.resolve("shard2/report.json").toString())
                .contains("each test must run in one shard only").doesNotContain("usage:");
        assertThat(dir.resolve("target/llmunit-merged/report.json")).doesNotExist();
    }

    @Test
    void exitsTwoWithAMessageForAMissingFile() {
        assertThat(merge("nowhere/report.json")).isEqualTo(ReportMerge.ERROR);

        assertThat(err.text()).contains("nowhere").contains("does not exist").doesNotContain("\tat ");
    }

    @Test
    void exitsTwoWithUsageForNoReports() {
        assertThat(merge("--update-baseline")).isEqualTo(ReportMerge.ERROR);

        assertThat(err.text()).contains("usage: ReportMerge");
    }
}
