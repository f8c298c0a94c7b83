package dev.llmunit.junit.report;

import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.LlmCall;
import java.util.List;
import java.util.Objects;

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
 */
public record TestRecord(String id, String displayName, TestStatus status, List<LlmCall> calls, List<BudgetResult> budgets,
        String failure) {

    /** Validates and copies. */
    public TestRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(status, "status");
        calls = List.copyOf(Objects.requireNonNull(calls, "calls"));
        budgets = List.copyOf(Objects.requireNonNull(budgets, "budgets"));
        Objects.requireNonNull(failure, "failure");
    }
}
