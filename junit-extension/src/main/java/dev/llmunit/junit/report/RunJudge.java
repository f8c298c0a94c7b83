package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.BudgetResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one place a merged run is judged (suite budget, baseline check or update) and summed up for
 * the console, shared by {@link LlmRunReport} and {@link ReportMerge} so both say the same things.
 */
final class RunJudge {

    /** How many regression and breach lines the console shows before "… and N more". */
    static final int CONSOLE_LINES = 10;

    private RunJudge() {}

    /**
     * How to talk about the baseline: what to run to accept a regression or create the file.
     *
     * @param accept such as {@code run with -Dllmunit.baseline=update}
     */
    record Wording(String accept) {}

    record Judgement(LlmReport report, List<Regression> regressions, @Nullable BudgetResult suiteBudget, String baselineLine,
            String failureMessage) {

        boolean failed() {
            return !failureMessage.isEmpty();
        }
    }

    /**
     * Judges a run.
     *
     * @param merged the whole run, as the report shows it
     * @param gated the tests whose regressions count: this execution's part, or the whole merge
     */
    static Judgement judge(LlmReport merged, List<ReportTest> gated, Path baselineFile, BaselineMode mode,
            BigDecimal costTolerance, BigDecimal latencyTolerance, @Nullable Usd suiteCostBudget, Wording wording) {
        BudgetResult suite = suiteCostBudget == null ? null : merged.checkSuiteCost(suiteCostBudget);
        LlmReport report = merged.withSuiteBudget(suite);
        String name = display(baselineFile);
        List<Regression> regressions = List.of();
        String baselineLine;
        switch (mode) {
            case OFF -> baselineLine = "baseline off";
            case UPDATE -> {
                Baseline before = Files.exists(baselineFile) ? Baseline.read(baselineFile) : Baseline.empty();
                Baseline after = before.updatedWith(merged);
                after.write(baselineFile);
                baselineLine = "baseline updated: " + name + " now holds " + Formats.plural(after.tests().size(), "test")
                        + "; commit it";
            }
            case CHECK -> {
                if (!Files.exists(baselineFile)) {
                    baselineLine = "no baseline (" + wording.accept() + " to create " + name + ")";
                } else {
                    Baseline baseline;
                    try {
                        baseline = Baseline.read(baselineFile);
                    } catch (IllegalStateException | java.io.UncheckedIOException unreadable) {
                        // Judged without it: the report still says everything else; the failure names the file and the fix.
                        String problem = unreadable.getMessage();
                        return new Judgement(report, List.of(), suite, "baseline unreadable (" + name + ")",
                                "llmunit: cannot check the run against the baseline: " + problem
                                        + (suite != null && !suite.passed() ? "\n" + failureMessage(List.of(), suite, name, wording) : ""));
                    }
                    regressions = baseline.compare(name, gated, costTolerance, latencyTolerance).regressions();
                    BaselineComparison whole = baseline.compare(name, merged.tests(), costTolerance, latencyTolerance);
                    report = report.withBaseline(whole);
                    int added = whole.idsWith(BaselineComparison.Status.NEW).size();
                    baselineLine = "baseline: " + (regressions.isEmpty() ? "no regression" : Formats.plural(regressions.size(), "regression"))
                            + (added == 0 ? "" : ", " + added + " new (not in " + name + " yet)");
                }
            }
            default -> throw new IllegalStateException("unknown baseline mode " + mode);
        }
        return new Judgement(report, regressions, suite, baselineLine, failureMessage(regressions, suite, name, wording));
    }

    static String failureMessage(List<Regression> regressions, @Nullable BudgetResult suite, String baselineName,
            Wording wording) {
        StringBuilder message = new StringBuilder();
        if (!regressions.isEmpty()) {
            message.append("llmunit: ").append(Formats.plural(regressions.size(), "regression")).append(" against the baseline ")
                    .append(baselineName).append(":\n");
            regressions.forEach(regression -> message.append("  ").append(regression.message()).append('\n'));
            message.append("If the change is intended, accept it: ").append(wording.accept()).append(" and commit ")
                    .append(baselineName).append('.');
        }
        if (suite != null && !suite.passed()) {
            if (message.length() > 0) {
                message.append('\n');
            }
            message.append("llmunit: the suite cost ").append(suite.actual().equals("unknown") ? "is unknown (unpriced calls)"
                            : "$" + suite.actual() + " is over")
                    .append(" the budget of $").append(suite.limit()).append(" (").append(RunOptions.SUITE_COST_BUDGET)
                    .append("); the most expensive tests:");
            suite.offendingCalls().forEach(line -> message.append("\n  ").append(line));
        }
        return message.toString();
    }

    /** The console summary: a few lines, then one per breach or regression up to {@value #CONSOLE_LINES}. */
    static List<String> summary(Judgement judgement, Path reportHtml) {
        ReportTotals totals = judgement.report().totals();
        List<String> lines = new ArrayList<>();
        lines.add("llmunit: " + Formats.plural(totals.tests(), "test") + " (" + totals.passed() + " passed, " + totals.failed()
                + " failed, " + totals.skipped() + " skipped), " + Formats.plural(totals.calls(), "call") + ", "
                + Formats.usd(totals.cost()) + (totals.costKnown() ? "" : " + " + Formats.plural(totals.unpricedCalls(), "unpriced call"))
                + ", latency p50 " + totals.latencyP50Ms() + " ms / p95 " + totals.latencyP95Ms() + " ms, llmunit overhead "
                + totals.overheadMs().setScale(1, RoundingMode.HALF_UP).toPlainString() + " ms");
        lines.add("llmunit: budget breaches " + totals.budgetBreaches() + ", missing fixtures " + totals.missingFixtures() + ", "
                + judgement.baselineLine());
        List<String> problems = new ArrayList<>();
        BudgetResult suite = judgement.suiteBudget();
        if (suite != null && !suite.passed()) {
            problems.add("(suite): " + suite);
        }
        for (ReportClassBudget classBudget : judgement.report().classBudgets()) {
            if (!classBudget.budget().passed()) {
                problems.add(classBudget.className() + " (class): " + classBudget.budget());
            }
        }
        for (ReportTest test : judgement.report().tests()) {
            test.breaches().forEach(budget -> problems.add(test.id() + ": " + budget));
        }
        judgement.regressions().forEach(regression -> problems.add("regression " + regression.message()));
        problems.stream().limit(CONSOLE_LINES).forEach(line -> lines.add("llmunit:   " + line));
        if (problems.size() > CONSOLE_LINES) {
            lines.add("llmunit:   … and " + (problems.size() - CONSOLE_LINES) + " more");
        }
        lines.add("llmunit: report " + display(reportHtml));
        return lines;
    }

    /** A path as a reader wants it: relative to the working directory when inside it. */
    static String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        return absolute.startsWith(here) && !absolute.equals(here) ? here.relativize(absolute).toString() : absolute.toString();
    }
}
