package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.Records.call;
import static dev.llmunit.junit.report.Records.passed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.wiremock.LlmProvider;
import dev.llmunit.wiremock.MissingFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmRunReportTest {

    @TempDir
    Path dir;

    private final Records.Console console = new Records.Console();

    private Path parts() {
        return dir.resolve("target/llmunit/parts");
    }

    /** Another fork of the same run: the same key, another pid. */
    private void otherForkWrote(String runKey, long pid, TestRecord... records) {
        LlmReport.of(runKey, List.of(records), List.of()).writeJson(parts().resolve(LlmRunReport.partFileName(runKey, pid, 1)));
    }

    @Test
    void mergesThePartsOfTwoForksOfTheSameRun() {
        otherForkWrote("run-1", 1, passed("com.example.B#fromOtherFork", call(1, "0.0002", 300)));

        RunVerdict verdict = LlmRunReport.finish(List.of(passed("com.example.A#fromThisFork", call(1, "0.0001", 200))),
                List.of(), Records.options(dir, BaselineMode.OFF, "run-1", console));

        LlmReport merged = LlmReport.read(verdict.reportJson());
        assertThat(merged.tests()).extracting(ReportTest::id)
                .containsExactly("com.example.A#fromThisFork", "com.example.B#fromOtherFork");
        assertThat(merged.totals().cost()).hasToString("$0.0003");
        assertThat(verdict.reportHtml()).exists();
    }

    @Test
    void keepsEveryExecutionOfOneJvm() {
        // Surefire with several forks runs each test class as its own execution, so one JVM finishes several times
        LlmRunReport.finish(List.of(passed("com.example.A#firstClass", call(1, "0.0001", 200))), List.of(),
                Records.options(dir, BaselineMode.OFF, "run-1", console));
        RunVerdict verdict = LlmRunReport.finish(List.of(passed("com.example.B#secondClass", call(1, "0.0002", 300))), List.of(),
                Records.options(dir, BaselineMode.OFF, "run-1", console));

        assertThat(LlmReport.read(verdict.reportJson()).tests()).extracting(ReportTest::id)
                .containsExactly("com.example.A#firstClass", "com.example.B#secondClass");
    }

    @Test
    void deletesPartsOfOtherRuns() throws Exception {
        otherForkWrote("yesterday", 7, passed("com.example.Gone#removed", call(1, "0.1", 1)));

        RunVerdict verdict = LlmRunReport.finish(List.of(passed("com.example.A#kept")), List.of(),
                Records.options(dir, BaselineMode.OFF, "run-1", console));

        assertThat(LlmReport.read(verdict.reportJson()).tests()).extracting(ReportTest::id).containsExactly("com.example.A#kept");
        try (Stream<Path> files = Files.list(parts())) {
            assertThat(files.map(file -> file.getFileName().toString())).allMatch(name -> name.startsWith("run-1-"));
        }
    }

    @Test
    void aTestInTwoPartsKeepsThisForksRecord() {
        otherForkWrote("run-1", 1, passed("com.example.A#same", call(1, "0.9", 1)));

        RunVerdict verdict = LlmRunReport.finish(List.of(passed("com.example.A#same", call(1, "0.1", 1))), List.of(),
                Records.options(dir, BaselineMode.OFF, "run-1", console));

        assertThat(LlmReport.read(verdict.reportJson()).test("com.example.A#same").orElseThrow().cost()).hasToString("$0.10");
    }

    @Test
    void printsAShortSummaryWithTheReportPath() {
        MissingFixture missing = new MissingFixture(LlmProvider.OPENAI, "gpt-4o-mini", "hello", "POST", "/openai/v1/chat/completions",
                null, null, "no fixture");

        RunVerdict verdict = LlmRunReport.finish(List.of(passed("a.A#x", call(1, "0.004312", 640)),
                Records.test("a.A#y", TestStatus.FAILED)), List.of(missing), Records.options(dir, BaselineMode.OFF, "run-1", console));

        assertThat(console.text().lines()).hasSizeLessThanOrEqualTo(6);
        assertThat(console.text())
                .contains("llmunit: 2 tests (1 passed, 1 failed, 0 skipped), 1 call, $0.004312, latency p50 640 ms / p95 640 ms")
                .contains("missing fixtures 1")
                .contains("report.html");
        assertThat(LlmReport.read(verdict.reportJson()).missingFixtures()).extracting(ReportMissingFixture::lastUserMessage)
                .containsExactly("hello");
    }

    @Test
    void capsBreachLinesAtTenOnTheConsole() {
        List<TestRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.add(Records.withBudget(passed("a.A#t" + i, call(1, "0.01", 1)), new dev.llmunit.junit.BudgetResult(
                    dev.llmunit.junit.BudgetResult.COST_PER_TEST, "0.001", "0.01", false, List.of("#1"))));
        }

        LlmRunReport.finish(records, List.of(), Records.options(dir, BaselineMode.OFF, "run-1", console));

        assertThat(console.text()).contains("… and 2 more").contains("budget breaches 12");
    }
}
