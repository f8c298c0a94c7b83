package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.internal.Percentiles;
import dev.llmunit.wiremock.Excerpts;
import dev.llmunit.wiremock.MissingFixture;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A run's report as data: what {@code report.json} holds, read back exactly as it was written.
 * Build one from the extension's records with {@link #of}, combine the reports of CI shards with
 * {@link #merge}, and write it with {@link #writeJson} and {@link #writeHtml}.
 *
 * <pre>{@code
 * LlmReport merged = LlmReport.merge(List.of(LlmReport.read(shard1), LlmReport.read(shard2)));
 * merged.writeJson(out.resolve("report.json"));
 * }</pre>
 *
 * <p>The {@link #totals() totals} are always computed from the tests, so they can never disagree.
 *
 * @param runKey the run the report belongs to; parts of one run share it
 * @param tests the tests, sorted by id; ids are unique
 * @param missingFixtures requests the fixture server had no recording for, in the order reported
 * @param suiteBudget the suite cost budget's result, or {@code null} when none was set
 * @param baseline the comparison with the committed baseline, or {@code null} when none was checked
 * @param classBudgets the classes' {@code perClass} cost budgets, judged once per class at its end, sorted by class
 */
public record LlmReport(String runKey, List<ReportTest> tests, List<ReportMissingFixture> missingFixtures,
        @Nullable BudgetResult suiteBudget, @Nullable BaselineComparison baseline, List<ReportClassBudget> classBudgets) {

    /** The run key of a report merged from reports of different runs (CI shards). */
    public static final String MERGED_RUN_KEY = "merged";

    /** How many of the most expensive tests a broken suite budget lists. */
    public static final int SUITE_BUDGET_OFFENDERS = 5;

    /** Validates, copies, and sorts the tests by id so the same tests always give the same report. */
    public LlmReport {
        Objects.requireNonNull(runKey, "runKey");
        List<ReportTest> sorted = new ArrayList<>(Objects.requireNonNull(tests, "tests"));
        sorted.sort(Comparator.comparing(ReportTest::id));
        Set<String> seen = new HashSet<>();
        for (ReportTest test : sorted) {
            if (!seen.add(test.id())) {
                throw new IllegalArgumentException("a report holds each test once, but " + test.id() + " is there twice");
            }
        }
        tests = List.copyOf(sorted);
        missingFixtures = List.copyOf(Objects.requireNonNull(missingFixtures, "missingFixtures"));
        List<ReportClassBudget> byClass = new ArrayList<>(Objects.requireNonNull(classBudgets, "classBudgets"));
        byClass.sort(Comparator.comparing(ReportClassBudget::className));
        classBudgets = List.copyOf(byClass);
    }

    /**
     * A report without class budgets.
     *
     * @param runKey the run the report belongs to
     * @param tests the tests
     * @param missingFixtures requests without a recording
     * @param suiteBudget the suite budget's result, or {@code null}
     * @param baseline the baseline comparison, or {@code null}
     */
    public LlmReport(String runKey, List<ReportTest> tests, List<ReportMissingFixture> missingFixtures,
            @Nullable BudgetResult suiteBudget, @Nullable BaselineComparison baseline) {
        this(runKey, tests, missingFixtures, suiteBudget, baseline, List.of());
    }

    /**
     * The report of finished tests, as one JVM of a run writes it. A test id reported twice keeps its later record.
     *
     * @param runKey the run's key
     * @param records the finished tests, in any order
     * @param missingFixtures the requests that had no recording
     * @return the report, without suite budget or baseline
     */
    public static LlmReport of(String runKey, List<TestRecord> records, List<MissingFixture> missingFixtures) {
        return of(runKey, records, missingFixtures, List.of());
    }

    /**
     * The report of finished tests and classes, as one JVM of a run writes it.
     *
     * @param runKey the run's key
     * @param records the finished tests, in any order
     * @param missingFixtures the requests that had no recording
     * @param classBudgets the finished classes' {@code perClass} budget results
     * @return the report, without suite budget or baseline
     */
    public static LlmReport of(String runKey, List<TestRecord> records, List<MissingFixture> missingFixtures,
            List<ReportClassBudget> classBudgets) {
        Map<String, ReportTest> byId = new LinkedHashMap<>();
        records.forEach(record -> byId.put(record.id(), ReportTest.of(record)));
        return new LlmReport(runKey, List.copyOf(byId.values()),
                missingFixtures.stream().map(ReportMissingFixture::of).distinct().toList(), null, null, classBudgets);
    }

    /**
     * Reads a {@code report.json} (or a part of one).
     *
     * @param file the file
     * @return the report
     * @throws IllegalStateException when the file is not a report, naming the file, the JSON path and the fix
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    public static LlmReport read(Path file) {
        return ReportJson.read(file);
    }

    /**
     * Combines reports: tests of all of them, sorted by id, where a test in several keeps the one of
     * the later report; missing fixtures of all of them, each once. Suite budgets and baseline
     * comparisons are dropped, since they judged only a part: judge the merge again.
     *
     * @param reports the reports, earliest first
     * @return the merged report, with the common run key or {@value #MERGED_RUN_KEY} when they differ
     */
    public static LlmReport merge(List<LlmReport> reports) {
        Map<String, ReportTest> byId = new LinkedHashMap<>();
        Map<String, ReportClassBudget> classes = new LinkedHashMap<>();
        Set<ReportMissingFixture> missing = new LinkedHashSet<>();
        Set<String> runKeys = new LinkedHashSet<>();
        for (LlmReport report : reports) {
            report.tests().forEach(test -> byId.put(test.id(), test));
            report.classBudgets().forEach(budget -> classes.put(budget.className(), budget));
            missing.addAll(report.missingFixtures());
            runKeys.add(report.runKey());
        }
        String runKey = runKeys.size() == 1 ? runKeys.iterator().next() : MERGED_RUN_KEY;
        return new LlmReport(runKey, List.copyOf(byId.values()), List.copyOf(missing), null, null, List.copyOf(classes.values()));
    }

    /**
     * The run at a glance.
     *
     * @return totals computed from the tests
     */
    public ReportTotals totals() {
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        int calls = 0;
        int unpriced = 0;
        int breaches = (suiteBudget != null && !suiteBudget.passed() ? 1 : 0)
                + (int) classBudgets.stream().filter(result -> !result.budget().passed()).count();
        Usd cost = Usd.ZERO;
        BigDecimal overhead = new BigDecimal("0.000");
        List<Long> latencies = new ArrayList<>();
        for (ReportTest test : tests) {
            switch (test.status()) {
                case PASSED -> passed++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
            breaches += test.breaches().size();
            for (ReportCall call : test.calls()) {
                calls++;
                if (call.cost() == null) {
                    unpriced++;
                } else {
                    cost = cost.plus(call.cost());
                }
                overhead = overhead.add(call.overheadMs());
                latencies.add(call.latencyMs());
            }
        }
        long[] values = latencies.stream().mapToLong(Long::longValue).toArray();
        return new ReportTotals(tests.size(), passed, failed, skipped, calls, cost, unpriced,
                Percentiles.nearestRank(values, 50), Percentiles.nearestRank(values, 95), breaches,
                missingFixtures.size(), overhead);
    }

    /**
     * A test by id.
     *
     * @param id the test's id
     * @return the test, or empty when the report does not hold it
     */
    public Optional<ReportTest> test(String id) {
        return tests.stream().filter(test -> test.id().equals(id)).findFirst();
    }

    /**
     * Checks the suite cost budget against the whole report. An unpriced call breaks it: unknown never
     * passes as free. A breach lists the {@value #SUITE_BUDGET_OFFENDERS} most expensive tests, unpriced ones first.
     *
     * @param limit the most the suite may cost
     * @return a {@link BudgetResult#COST_SUITE} result
     */
    public BudgetResult checkSuiteCost(Usd limit) {
        ReportTotals totals = totals();
        boolean passed = totals.costKnown() && !totals.cost().isGreaterThan(limit);
        String actual = totals.costKnown() ? totals.cost().toPlainString() : "unknown";
        List<String> offenders = passed ? List.of() : tests.stream()
                .filter(test -> test.callCount() > 0)
                .sorted(Comparator.comparing((ReportTest test) -> test.cost() == null ? null : test.cost().amount(),
                        Comparator.nullsFirst(Comparator.<BigDecimal>reverseOrder())).thenComparing(ReportTest::id))
                .limit(SUITE_BUDGET_OFFENDERS)
                .map(test -> test.id() + ": " + Formats.usd(test.cost()) + " in " + Formats.plural(test.callCount(), "call"))
                .toList();
        return new BudgetResult(BudgetResult.COST_SUITE, limit.toPlainString(), actual, passed, offenders);
    }

    /**
     * This report with the suite budget's result.
     *
     * @param result the result, or {@code null} for none
     * @return a copy
     */
    public LlmReport withSuiteBudget(@Nullable BudgetResult result) {
        return new LlmReport(runKey, tests, missingFixtures, result, baseline, classBudgets);
    }

    /**
     * This report with its prompts and answers kept as a setting says: each call's prompt and
     * answer, each ensemble's prompt, answers and member answers, and each missing fixture's last
     * user message and difference.
     *
     * @param excerpts keep, redact or drop
     * @return this report for {@link Excerpts#KEEP}, else a copy
     */
    public LlmReport withExcerpts(Excerpts excerpts) {
        if (excerpts == Excerpts.KEEP) {
            return this;
        }
        List<ReportTest> kept = tests.stream().map(test -> test.withExcerpts(excerpts)).toList();
        List<ReportMissingFixture> missing = missingFixtures.stream().map(fixture -> new ReportMissingFixture(fixture.provider(),
                fixture.model(), excerpts.apply(fixture.lastUserMessage()), fixture.url(), fixture.closestFixture(),
                fixture.difference() == null ? null : excerpts.apply(fixture.difference()))).toList();
        return new LlmReport(runKey, kept, missing, suiteBudget, baseline, classBudgets);
    }

    /**
     * This report with a baseline comparison.
     *
     * @param comparison the comparison, or {@code null} for none
     * @return a copy
     */
    public LlmReport withBaseline(@Nullable BaselineComparison comparison) {
        return new LlmReport(runKey, tests, missingFixtures, suiteBudget, comparison, classBudgets);
    }

    /**
     * The content of {@code report.json}.
     *
     * @return pretty JSON with {@code "\n"} line endings, the same for the same report
     */
    public String toJson() {
        return JsonFiles.toJson(ReportJson.toTree(this));
    }

    /**
     * The content of {@code report.html}: one self-contained page.
     *
     * @return the HTML, the same for the same report
     */
    public String toHtml() {
        return ReportHtml.render(this);
    }

    /**
     * Writes {@link #toJson()} to a file, replacing it atomically.
     *
     * @param file such as {@code target/llmunit/report.json}
     */
    public void writeJson(Path file) {
        JsonFiles.writeAtomically(file, toJson());
    }

    /**
     * Writes {@link #toHtml()} to a file, replacing it atomically.
     *
     * @param file such as {@code target/llmunit/report.html}
     */
    public void writeHtml(Path file) {
        JsonFiles.writeAtomically(file, toHtml());
    }
}
