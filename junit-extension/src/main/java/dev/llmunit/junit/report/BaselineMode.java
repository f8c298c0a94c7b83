package dev.llmunit.junit.report;

import java.util.Locale;

/** What the run does with the committed baseline, set with {@code llmunit.baseline}. */
public enum BaselineMode {
    /** Fail the run when a test got worse than the baseline allows; the default. No file, no gate. */
    CHECK,
    /** Accept this run's values: rewrite the baseline, keeping the entries of tests this run did not run. */
    UPDATE,
    /** Neither check nor write the baseline. */
    OFF;

    /**
     * The name as written in settings.
     *
     * @return {@code check}, {@code update} or {@code off}
     */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
