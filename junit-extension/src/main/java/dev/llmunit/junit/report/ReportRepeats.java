package dev.llmunit.junit.report;

import dev.llmunit.junit.Reducer;
import dev.llmunit.junit.Repetitions;
import java.util.List;
import java.util.Locale;

/**
 * The report's section on repeated tests (an {@code @LlmRepeat} method, an eval case with
 * {@code repeat}): per test its reducer and verdict, the pass rate with its Wilson 95 % interval
 * drawn as a bar, the label, and each run's outcome. Its own section, so the page's layout can
 * change around it.
 */
final class ReportRepeats {

    private ReportRepeats() {}

    static void section(StringBuilder html, LlmReport report) {
        List<ReportTest> repeated = report.tests().stream().filter(test -> test.repetitions() != null).toList();
        if (repeated.isEmpty()) {
            return;
        }
        ReportHtml.openSection(html, "repeats", "Repeated tests (" + repeated.size() + ")");
        html.append("<p class=\"note\">Each run played its own recorded sample. The bar is the pass rate's Wilson 95 %")
                .append(" interval; the baseline gate compares its lower end.</p>\n")
                .append("<table class=\"sortable\" id=\"repeats-table\">\n<thead><tr><th>Test</th><th>Label</th><th>Verdict</th>")
                .append("<th>Reducer</th><th class=\"num\" data-type=\"num\">Passed</th>")
                .append("<th class=\"num\" data-type=\"num\">Pass rate</th><th class=\"num\" data-type=\"num\">Wilson 95 %</th>")
                .append("<th>Runs</th></tr></thead>\n<tbody>\n");
        for (ReportTest test : repeated) {
            Repetitions repetitions = test.repetitions();
            Reducer reducer = repetitions.reducer();
            String verdict = repetitions.passed() ? "passed" : "failed";
            html.append("<tr><td data-v=\"").append(ReportHtml.escape(test.id())).append("\"><code>")
                    .append(ReportHtml.escape(test.id())).append("</code></td><td data-v=\"").append(repetitions.label())
                    .append("\" class=\"").append(labelClass(repetitions.label())).append("\">").append(repetitions.label())
                    .append("</td><td data-v=\"").append(verdict).append("\" class=\"").append(verdict).append("\">").append(verdict)
                    .append("</td><td data-v=\"").append(ReportHtml.escape(reducer.toString())).append("\"><code>")
                    .append(ReportHtml.escape(reducer.toString())).append("</code></td><td class=\"num\" data-v=\"")
                    .append(repetitions.passedRuns()).append("\">").append(repetitions.passedRuns()).append(" / ")
                    .append(repetitions.runs().size()).append("</td><td class=\"num\" data-v=\"")
                    .append(fraction(repetitions.passRate())).append("\">").append(percent(repetitions.passRate()))
                    .append("</td><td class=\"num\" data-v=\"").append(fraction(repetitions.wilsonLower())).append("\">")
                    .append(percent(repetitions.wilsonLower())).append(" – ").append(percent(repetitions.wilsonUpper()))
                    .append(' ').append(intervalBar(repetitions)).append("</td><td>");
            for (Repetitions.Run run : repetitions.runs()) {
                html.append("<span class=\"run ").append(run.passed() ? "passed" : "failed").append("\" title=\"run ")
                        .append(run.index()).append(run.passed() ? ": passed" : ": " + ReportHtml.escape(run.failure())).append("\">")
                        .append(run.passed() ? "&#10003;" : "&#10007;").append("</span>");
            }
            html.append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        ReportHtml.closeSection(html);
    }

    /** Stable reads as passed, failing as failed, flaky in between. */
    private static String labelClass(String label) {
        return switch (label) {
            case Repetitions.STABLE -> "passed";
            case Repetitions.FAILING -> "failed";
            default -> "skipped";
        };
    }

    /** The interval as a 100-pixel SVG bar, the point estimate as a tick. */
    private static String intervalBar(Repetitions repetitions) {
        long low = Math.round(repetitions.wilsonLower() * 100);
        long high = Math.round(repetitions.wilsonUpper() * 100);
        long point = Math.round(repetitions.passRate() * 100);
        return "<svg width=\"104\" height=\"12\" role=\"img\" aria-label=\"Wilson interval " + low + " to " + high + " %\">"
                + "<rect x=\"2\" y=\"5\" width=\"100\" height=\"2\" fill=\"#d7dbe3\"/>"
                + "<rect class=\"bar\" x=\"" + (2 + low) + "\" y=\"3\" width=\"" + Math.max(1, high - low) + "\" height=\"6\"/>"
                + "<rect x=\"" + (1 + point) + "\" y=\"1\" width=\"2\" height=\"10\" fill=\"#1d2330\"/></svg>";
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f %%", value * 100);
    }

    private static String fraction(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
