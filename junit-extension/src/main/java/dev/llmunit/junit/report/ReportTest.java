package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.Repetitions;
import dev.llmunit.junit.internal.Percentiles;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One test in the report: how it ended, its calls and its budgets.
 *
 * @param id {@code <class>#<method>}, unique in a report and stable across runs
 * @param displayName the JUnit display name
 * @param status how it ended
 * @param failure the first line of the failure, empty when it did not fail
 * @param calls its calls, kept in sequence order
 * @param budgets the budgets checked after it, in the order they were checked
 * @param repetitions a repeated test's runs and its reducer's verdict, or {@code null} when it ran once
 * @param ensembles its ensemble runs, in sequence order; their members' calls are among {@code calls}
 */
public record ReportTest(String id, String displayName, TestStatus status, String failure, List<ReportCall> calls,
        List<BudgetResult> budgets, @Nullable Repetitions repetitions, List<ReportEnsemble> ensembles) {

    /**
     * A test that ran once and ran no ensemble.
     *
     * @param id its id
     * @param displayName its display name
     * @param status how it ended
     * @param failure the first line of its failure, or empty
     * @param calls its calls
     * @param budgets its budgets
     */
    public ReportTest(String id, String displayName, TestStatus status, String failure, List<ReportCall> calls,
            List<BudgetResult> budgets) {
        this(id, displayName, status, failure, calls, budgets, null, List.of());
    }

    /**
     * A test that ran no ensemble.
     *
     * @param id its id
     * @param displayName its display name
     * @param status how it ended
     * @param failure the first line of its failure, or empty
     * @param calls its calls
     * @param budgets its budgets
     * @param repetitions its runs and verdict, or {@code null} when it ran once
     */
    public ReportTest(String id, String displayName, TestStatus status, String failure, List<ReportCall> calls,
            List<BudgetResult> budgets, @Nullable Repetitions repetitions) {
        this(id, displayName, status, failure, calls, budgets, repetitions, List.of());
    }

    /**
     * This test with its calls' and ensembles' prompts and answers kept as a setting says.
     *
     * @param excerpts keep, redact or drop
     * @return a copy
     */
    ReportTest withExcerpts(dev.llmunit.wiremock.Excerpts excerpts) {
        return new ReportTest(id, displayName, status, failure, calls.stream().map(call -> call.withExcerpts(excerpts)).toList(),
                budgets, repetitions, ensembles.stream().map(ensemble -> ensemble.withExcerpts(excerpts)).toList());
    }

    /** Validates, copies, and puts the calls in sequence order whatever order they came in. */
    public ReportTest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
        List<ReportCall> sorted = new ArrayList<>(Objects.requireNonNull(calls, "calls"));
        sorted.sort(Comparator.comparingInt(ReportCall::sequence));
        calls = List.copyOf(sorted);
        budgets = List.copyOf(Objects.requireNonNull(budgets, "budgets"));
        List<ReportEnsemble> runs = new ArrayList<>(Objects.requireNonNull(ensembles, "ensembles"));
        runs.sort(Comparator.comparingInt(ReportEnsemble::sequence));
        ensembles = List.copyOf(runs);
    }

    /**
     * Copies what the extension recorded for a finished test.
     *
     * @param record the test's record
     * @return the report's view of it
     */
    public static ReportTest of(TestRecord record) {
        return new ReportTest(record.id(), record.displayName(), record.status(), record.failure(),
                record.calls().stream().map(ReportCall::of).toList(), record.budgets(), record.repetitions(),
                record.ensembles().stream().map(ReportEnsemble::of).toList());
    }

    /**
     * What the test's calls cost together.
     *
     * @return the exact sum, or {@code null} when some call's cost is unknown (unknown never counts as free)
     */
    public @Nullable Usd cost() {
        Usd sum = Usd.ZERO;
        for (ReportCall call : calls) {
            if (call.cost() == null) {
                return null;
            }
            sum = sum.plus(call.cost());
        }
        return sum;
    }

    /**
     * Whether every call's cost is known.
     *
     * @return {@code false} when {@link #cost()} is {@code null}
     */
    public boolean costKnown() {
        return cost() != null;
    }

    /**
     * How many calls the test made.
     *
     * @return the call count
     */
    public int callCount() {
        return calls.size();
    }

    /**
     * The 95th percentile of the calls' judged latency, nearest rank.
     *
     * @return milliseconds; 0 when the test made no call
     */
    public long latencyP95Ms() {
        return Percentiles.nearestRank(calls.stream().mapToLong(ReportCall::latencyMs).toArray(), 95);
    }

    /**
     * llmunit's own measured time across the test's calls.
     *
     * @return milliseconds with 3 decimals
     */
    public BigDecimal overheadMs() {
        return calls.stream().map(ReportCall::overheadMs).reduce(new BigDecimal("0.000"), BigDecimal::add);
    }

    /**
     * The budgets the test broke.
     *
     * @return the broken budgets in the order they were checked
     */
    public List<BudgetResult> breaches() {
        return budgets.stream().filter(budget -> !budget.passed()).toList();
    }
}
