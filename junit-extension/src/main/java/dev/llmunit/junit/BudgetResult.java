package dev.llmunit.junit;

import java.util.List;
import java.util.Objects;

/**
 * One budget checked for a test (or a class, or the suite): what kind, the limit, what the test
 * actually used, and whether it stayed within. Budgets come from {@link CostBudget},
 * {@link LatencyBudget}, {@link MinConfidence} and the suite's {@code llmunit.budget.suite.cost}.
 *
 * @param kind what was checked, one of the {@code KIND_…} constants, such as {@value #COST_PER_TEST}
 * @param limit the limit as written, such as {@code 0.002} (USD) or {@code 800} (milliseconds)
 * @param actual what the test used, in the same unit; {@code unknown} when it cannot be known
 *     (a model without a price, a response without confidence), which never passes
 * @param passed whether the test stayed within the limit
 * @param offendingCalls the calls that broke the budget, one line each; empty when it passed
 */
public record BudgetResult(String kind, String limit, String actual, boolean passed, List<String> offendingCalls) {

    /** The most a single call may cost, USD. */
    public static final String COST_PER_CALL = "cost.perCall";
    /** The most a test's calls may cost together, USD. */
    public static final String COST_PER_TEST = "cost.perTest";
    /** The most a test class's calls may cost together, USD. */
    public static final String COST_PER_CLASS = "cost.perClass";
    /** The most the whole suite's calls may cost together, USD. */
    public static final String COST_SUITE = "cost.suite";
    /** The longest a single call may take, milliseconds. */
    public static final String LATENCY_PER_CALL = "latency.perCall";
    /** The longest the test's median call may take, milliseconds. */
    public static final String LATENCY_P50 = "latency.p50";
    /** The longest the test's 95th-percentile call may take, milliseconds. */
    public static final String LATENCY_P95 = "latency.p95";
    /** The longest the test's 99th-percentile call may take, milliseconds. */
    public static final String LATENCY_P99 = "latency.p99";
    /** The longest any call may take to its first token (streamed calls; others count their whole latency), milliseconds. */
    public static final String LATENCY_TTFT = "latency.ttft";
    /** The least confidence any call may have, 0 to 1. */
    public static final String CONFIDENCE_MIN = "confidence.min";

    /** Validates and copies. */
    public BudgetResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(actual, "actual");
        offendingCalls = List.copyOf(Objects.requireNonNull(offendingCalls, "offendingCalls"));
    }

    /**
     * The limit with its unit, as messages and the report show it.
     *
     * @return such as {@code $0.002}, {@code 800 ms} or {@code 0.800}
     */
    public String limitWithUnit() {
        return withUnit(limit);
    }

    /**
     * What the test used, with its unit.
     *
     * @return such as {@code $0.0031}, {@code 912 ms}, {@code 0.640}, or {@code unknown}
     */
    public String actualWithUnit() {
        return withUnit(actual);
    }

    /**
     * The result in one line with units, as failure messages, the console and the report say it.
     *
     * @return such as {@code cost.perTest: $0.0031 against a limit of $0.002}, or for
     *     {@value #CONFIDENCE_MIN} {@code confidence.min: 0.640 against a minimum of 0.800}
     */
    public String describe() {
        return kind + ": " + actualWithUnit() + (kind.equals(CONFIDENCE_MIN) ? " against a minimum of " : " against a limit of ")
                + limitWithUnit();
    }

    private String withUnit(String value) {
        if (value.equals("unknown")) {
            return value;
        }
        if (kind.startsWith("cost.")) {
            return "$" + value;
        }
        if (kind.startsWith("latency.")) {
            return value + " ms";
        }
        return value;
    }

    @Override
    public String toString() {
        return describe() + (passed ? " (within)" : " (BROKEN)");
    }
}
