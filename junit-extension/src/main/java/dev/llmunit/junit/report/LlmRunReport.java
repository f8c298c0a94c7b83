package dev.llmunit.junit.report;

import dev.llmunit.junit.BudgetResult;
import dev.llmunit.wiremock.MissingFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The end of a test execution (once per JVM, or once per test class when Surefire forks several
 * JVMs): writes the execution's part of the report, merges every part of the
 * run into {@code report.json} and {@code report.html}, prints the summary, and judges the suite
 * cost budget and the baseline (or updates it).
 *
 * <pre>{@code
 * RunVerdict verdict = LlmRunReport.finish(records, missingFixtures,
 *         RunOptions.fromConfiguration(context::getConfigurationParameter, Path.of(""), System.out));
 * if (verdict.failed()) {
 *     throw new AssertionError(verdict.failureMessage());
 * }
 * }</pre>
 *
 * <p>Several Surefire forks of one run share a {@link RunOptions#runKey() run key}: each writes
 * {@code parts/<runKey>-<pid>.json}, and each merge (under a file lock, so forks finishing together
 * take turns) covers the parts written so far; the last fork's merge covers all of them. Parts of
 * other run keys are left from earlier runs and are deleted. Each fork gates only its own tests, so
 * a regression is reported once.
 */
public final class LlmRunReport {

    /** The merged report's JSON file name. */
    public static final String REPORT_JSON = "report.json";
    /** The merged report's HTML file name. */
    public static final String REPORT_HTML = "report.html";
    /** The folder, inside the report directory, of each JVM's part. */
    public static final String PARTS_DIR = "parts";

    // FileChannel.lock guards against other JVMs only; threads of this JVM take this lock first.
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    /** Test executions this JVM has finished; each writes its own part so none overwrites another. */
    private static final AtomicInteger EXECUTIONS = new AtomicInteger();

    private static final RunJudge.Wording WORDING = new RunJudge.Wording("run with -D" + RunOptions.BASELINE + "=update");

    private LlmRunReport() {}

    /**
     * Writes, merges, prints and judges the run's report.
     *
     * @param records the execution's finished tests
     * @param missingFixtures the requests the execution's fixture servers had no recording for
     * @param options where to write and how to judge
     * @return the verdict; a regression or a broken suite budget is a failed verdict, never an exception
     * @throws IllegalStateException when a baseline or part file is malformed, naming the file, the JSON path and the fix
     * @throws UncheckedIOException when a file cannot be read or written
     */
    public static RunVerdict finish(List<TestRecord> records, List<MissingFixture> missingFixtures, RunOptions options) {
        return finish(records, missingFixtures, List.of(), options);
    }

    /**
     * Writes, merges, prints and judges the run's report, with the finished classes' class budgets.
     *
     * @param records the execution's finished tests
     * @param missingFixtures the requests the execution's fixture servers had no recording for
     * @param classBudgets the execution's classes' {@code perClass} budget results
     * @param options where to write and how to judge
     * @return the verdict
     */
    public static RunVerdict finish(List<TestRecord> records, List<MissingFixture> missingFixtures,
            List<ReportClassBudget> classBudgets, RunOptions options) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(missingFixtures, "missingFixtures");
        Objects.requireNonNull(options, "options");
        LlmReport part = LlmReport.of(options.runKey(), records, missingFixtures, classBudgets).withExcerpts(options.excerpts());
        Path dir = options.reportDir();
        Path json = dir.resolve(REPORT_JSON);
        Path html = dir.resolve(REPORT_HTML);
        RunJudge.Judgement judgement;
        IN_PROCESS.lock();
        try {
            Files.createDirectories(dir.resolve(PARTS_DIR));
            try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                Path own = dir.resolve(PARTS_DIR).resolve(partFileName(options.runKey(), ProcessHandle.current().pid(),
                        EXECUTIONS.incrementAndGet()));
                part.writeJson(own);
                LlmReport merged = mergeParts(dir.resolve(PARTS_DIR), options.runKey(), own, part);
                // This run's report first: whatever judging finds (an unreadable baseline), the report
                // in the directory is this run's, never an earlier one's.
                merged.writeJson(json);
                merged.writeHtml(html);
                judgement = RunJudge.judge(merged, part.tests(), options.baselineFile(), options.baselineMode(),
                        options.costTolerance(), options.latencyTolerance(), options.suiteCostBudget(), WORDING);
                judgement.report().writeJson(json);
                judgement.report().writeHtml(html);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("llmunit could not write its report in " + dir + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
        RunJudge.summary(judgement, html).forEach(options.console()::println);
        options.console().flush();
        return new RunVerdict(judgement.failed(), judgement.failureMessage(), judgement.regressions(),
                Optional.ofNullable(judgement.suiteBudget()), json, html);
    }

    /**
     * Holds one finished test against the baseline, as soon as it finishes, so a regression fails
     * the test itself (reported under its own name) rather than the run as a whole.
     *
     * @param test the finished test
     * @param baseline the committed baseline
     * @param options the tolerances and the baseline file's name, for the messages
     * @return the test's regressions; empty when it is within its baseline, new, or skipped
     */
    public static List<Regression> regressions(TestRecord test, Baseline baseline, RunOptions options) {
        return baseline.compare(RunJudge.display(options.baselineFile()), List.of(ReportTest.of(test)), options.costTolerance(),
                options.latencyTolerance()).regressions();
    }

    /**
     * The failure message of a test that regressed: each regression with before and after, and how
     * to accept it.
     *
     * @param regressions the test's regressions, not empty
     * @param options the baseline file's name
     * @return the message
     */
    public static String regressionFailure(List<Regression> regressions, RunOptions options) {
        return RunJudge.failureMessage(regressions, null, RunJudge.display(options.baselineFile()), WORDING);
    }

    /**
     * The failure message of a broken suite cost budget, listing the most expensive tests.
     *
     * @param suiteBudget the broken result
     * @param options the baseline file's name
     * @return the message
     */
    public static String suiteBudgetFailure(BudgetResult suiteBudget, RunOptions options) {
        return RunJudge.failureMessage(List.of(), suiteBudget, RunJudge.display(options.baselineFile()), WORDING);
    }

    /**
     * The file name of a JVM's part.
     *
     * @param runKey the run key; characters other than letters, digits, {@code .}, {@code _} and {@code -} become {@code _}
     * @param pid the JVM's process id
     * @param execution the number of this test execution within the JVM: Surefire runs each test class
     *     separately when it forks several JVMs, so one JVM may finish a run several times
     * @return such as {@code pid4711-1767225600000-4712-1.json}
     */
    static String partFileName(String runKey, long pid, int execution) {
        String safe = runKey.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.length() > 80 ? safe.substring(0, 80) : safe) + "-" + pid + "-" + execution + ".json";
    }

    /** Every part of the run, oldest first and this execution's last, so a test reported twice keeps its newest record. */
    private static LlmReport mergeParts(Path partsDir, String runKey, Path own, LlmReport ownPart) throws IOException {
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(partsDir, "*.json")) {
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith(".") && !file.equals(own)) {
                    others.add(file);
                }
            }
        }
        others.sort(Comparator.comparing(LlmRunReport::modified).thenComparing(Path::toString));
        List<LlmReport> parts = new ArrayList<>();
        for (Path file : others) {
            if (runKey.equals(ReportJson.runKey(file))) {
                parts.add(LlmReport.read(file));
            } else {
                // Left by an earlier run: merging it would resurrect tests that no longer exist.
                Files.deleteIfExists(file);
            }
        }
        parts.add(ownPart);
        return LlmReport.merge(parts);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
