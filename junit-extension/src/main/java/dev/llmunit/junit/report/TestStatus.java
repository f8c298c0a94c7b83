package dev.llmunit.junit.report;

import java.util.Locale;

/** How a test ended, as the report and the gate see it. */
public enum TestStatus {
    /** The test passed, budgets included. */
    PASSED,
    /** The test failed: an assertion, an exception, or a broken budget. */
    FAILED,
    /** The test was disabled or aborted (an assumption did not hold). */
    SKIPPED;

    /**
     * The name used in {@code report.json}.
     *
     * @return {@code passed}, {@code failed} or {@code skipped}
     */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
