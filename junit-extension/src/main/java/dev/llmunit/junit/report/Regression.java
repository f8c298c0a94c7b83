package dev.llmunit.junit.report;

import java.util.Objects;

/**
 * One way a test got worse than the committed baseline allows.
 *
 * @param testId the test's id
 * @param metric what got worse
 * @param before the baseline's value as text, such as {@code $0.000400}, {@code 1} or {@code 800 ms}
 * @param after this run's value as text, in the same form; {@code unknown} for an unpriced cost
 * @param description the whole line without the id, such as
 *     {@code cost $0.000400 -> $0.000520 (+30.0 %, tolerance +10 %)}
 */
public record Regression(String testId, Metric metric, String before, String after, String description) {

    /** What the baseline gate compares. */
    public enum Metric {
        /** The test's total cost, judged with the cost tolerance; an unknown cost after a known one regresses. */
        COST,
        /** The number of calls the test made; any increase regresses. */
        CALLS,
        /**
         * The lower bound of a repeated test's Wilson 95 % pass-rate interval: it regresses when it falls
         * below the baseline's, so a drop the runs cannot tell from chance does not fail the gate.
         */
        PASS_RATE,
        /** The 95th-percentile judged latency of the test's calls, judged with the latency tolerance. */
        LATENCY_P95
    }

    /** Validates. */
    public Regression {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(description, "description");
    }

    /**
     * The line a failure message shows.
     *
     * @return {@code <id>: <description>}
     */
    public String message() {
        return testId + ": " + description;
    }

    @Override
    public String toString() {
        return message();
    }
}
