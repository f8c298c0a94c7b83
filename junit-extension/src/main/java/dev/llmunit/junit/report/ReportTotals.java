package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The run at a glance, computed from a report's tests (never read from a file, so it always
 * agrees with them).
 *
 * @param tests how many tests ran, skipped ones included
 * @param passed how many passed
 * @param failed how many failed
 * @param skipped how many were skipped
 * @param calls how many LLM calls the tests made
 * @param cost the exact sum of every priced call; {@code unpricedCalls} says how many are left out
 * @param unpricedCalls calls whose model has no known price
 * @param latencyP50Ms the median judged latency of all calls, nearest rank; 0 without calls
 * @param latencyP95Ms the 95th-percentile judged latency of all calls, nearest rank; 0 without calls
 * @param budgetBreaches broken budgets, the suite cost budget included
 * @param missingFixtures requests without a recording
 * @param overheadMs llmunit's own measured time across all calls, milliseconds with 3 decimals
 */
public record ReportTotals(int tests, int passed, int failed, int skipped, int calls, Usd cost, int unpricedCalls,
        long latencyP50Ms, long latencyP95Ms, int budgetBreaches, int missingFixtures, BigDecimal overheadMs) {

    /** Validates. */
    public ReportTotals {
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(overheadMs, "overheadMs");
    }

    /**
     * Whether {@link #cost()} is the whole cost.
     *
     * @return {@code true} when every call was priced
     */
    public boolean costKnown() {
        return unpricedCalls == 0;
    }
}
