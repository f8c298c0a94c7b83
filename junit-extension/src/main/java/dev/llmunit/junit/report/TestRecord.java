package dev.llmunit.junit.report;

import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.EnsembleCall;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.Repetitions;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one finished test contributes to the run's report: its id, how it ended, its calls and its budgets.
 *
 * @param id {@code <fully qualified class>#<method>}, with {@code [n]} appended for the n-th
 *     invocation of a parameterized or repeated test; unique within a run and stable across runs
 * @param displayName the test's JUnit display name
 * @param status how it ended
 * @param calls the calls its ledger holds, in order
 * @param budgets the budgets checked after it, in the order they were checked
 * @param failure the first line of the failure message, or an empty string when it did not fail
 * @param repetitions the runs of a repeated test and its reducer's verdict, or {@code null} when it ran once
 * @param ensembles the ensemble runs its ledger holds, in order (their members' calls are among {@code calls})
 */
public record TestRecord(String id, String displayName, TestStatus status, List<LlmCall> calls, List<BudgetResult> budgets,
        String failure, @Nullable Repetitions repetitions, List<EnsembleCall> ensembles) {

    /**
     * The record of a test that ran once and ran no ensemble.
     *
     * @param id the test's id
     * @param displayName its display name
     * @param status how it ended
     * @param calls its calls
     * @param budgets its budgets
     * @param failure the first line of its failure, or empty
     */
    public TestRecord(String id, String displayName, TestStatus status, List<LlmCall> calls, List<BudgetResult> budgets,
            String failure) {
        this(id, displayName, status, calls, budgets, failure, null, List.of());
    }

    /**
     * The record of a test that ran no ensemble.
     *
     * @param id the test's id
     * @param displayName its display name
     * @param status how it ended
     * @param calls its calls
     * @param budgets its budgets
     * @param failure the first line of its failure, or empty
     * @param repetitions its runs and verdict, or {@code null} when it ran once
     */
    public TestRecord(String id, String displayName, TestStatus status, List<LlmCall> calls, List<BudgetResult> budgets,
            String failure, @Nullable Repetitions repetitions) {
        this(id, displayName, status, calls, budgets, failure, repetitions, List.of());
    }

    /** Validates and copies. */
    public TestRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(status, "status");
        calls = List.copyOf(Objects.requireNonNull(calls, "calls"));
        budgets = List.copyOf(Objects.requireNonNull(budgets, "budgets"));
        Objects.requireNonNull(failure, "failure");
        ensembles = List.copyOf(Objects.requireNonNull(ensembles, "ensembles"));
    }
}
