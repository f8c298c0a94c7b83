package dev.llmunit.junit.report;

import dev.llmunit.junit.BudgetResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the run ended as the report judged it: regressions against the baseline and the suite cost
 * budget. The extension fails the run with {@link #failureMessage()} when {@link #failed()}.
 *
 * @param failed whether the run must fail: a regression, or a broken suite cost budget
 * @param failureMessage what failed and how to accept it; empty when it did not fail
 * @param regressions this execution's regressions against the baseline; empty when none, or not checked
 * @param suiteBudget the suite cost budget's result, or empty when none was set
 * @param reportJson the merged {@code report.json}
 * @param reportHtml the merged {@code report.html}
 */
public record RunVerdict(boolean failed, String failureMessage, List<Regression> regressions,
        Optional<BudgetResult> suiteBudget, Path reportJson, Path reportHtml) {

    /** Validates and copies. */
    public RunVerdict {
        Objects.requireNonNull(failureMessage, "failureMessage");
        regressions = List.copyOf(Objects.requireNonNull(regressions, "regressions"));
        Objects.requireNonNull(suiteBudget, "suiteBudget");
        Objects.requireNonNull(reportJson, "reportJson");
        Objects.requireNonNull(reportHtml, "reportHtml");
        if (failed == failureMessage.isEmpty()) {
            throw new IllegalArgumentException("a failed verdict needs a failure message and a passed one none");
        }
    }
}
