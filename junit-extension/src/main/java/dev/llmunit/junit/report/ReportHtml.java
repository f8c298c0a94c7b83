package dev.llmunit.junit.report;

import dev.llmunit.junit.BudgetResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code report.html}: one self-contained page (inline style, script and SVG; nothing fetched), in
 * the order a reader needs it: totals, broken budgets, baseline regressions, then the tests.
 * Every text from a test (names, prompts, failures) is escaped. No timestamp, so the same report
 * gives the same page.
 */
final class ReportHtml {

    /** How many bars a chart shows; a long suite would otherwise make charts unreadable. */
    static final int CHART_LIMIT = 30;

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2330}
            h1{font-size:22px}h2{font-size:17px;margin-top:28px}
            table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d7dbe3;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f1f3f7}table.sortable th{cursor:pointer}table.sortable th:after{content:" \\2195";color:#98a}
            td.num,th.num{text-align:right}.failed{color:#b42318;font-weight:600}.skipped{color:#777}.passed{color:#05603a}
            dl.totals{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dl.totals dt{color:#556}dl.totals dd{margin:0;font-weight:600}
            .bad{color:#b42318}.note{color:#667}code{font-size:13px}ul.offending{margin:0;padding-left:18px}
            svg text{font:12px system-ui,sans-serif}svg rect.bar{fill:#4e79a7}svg rect.unknown{fill:#e15759}
            """;

    private static final String SCRIPT = """
            document.querySelectorAll('table.sortable').forEach(function (table) {
              table.querySelectorAll('th').forEach(function (th, column) {
                th.addEventListener('click', function () {
                  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
                  var numeric = th.getAttribute('data-type') === 'num', ascending = th.getAttribute('data-dir') !== 'asc';
                  table.querySelectorAll('th').forEach(function (other) { other.removeAttribute('data-dir'); });
                  th.setAttribute('data-dir', ascending ? 'asc' : 'desc');
                  rows.sort(function (a, b) {
                    var x = a.cells[column].getAttribute('data-v'), y = b.cells[column].getAttribute('data-v');
                    var d = numeric ? (parseFloat(x) - parseFloat(y)) || 0 : x.localeCompare(y);
                    return ascending ? d : -d;
                  });
                  rows.forEach(function (row) { body.appendChild(row); });
                });
              });
            });
            """;

    private ReportHtml() {}

    static String render(LlmReport report) {
        ReportTotals totals = report.totals();
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>llmunit report</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>llmunit report</h1>\n<p class=\"note\">run ").append(escape(report.runKey())).append("</p>\n");
        totals(html, totals);
        breaches(html, report);
        baseline(html, report.baseline());
        tests(html, report);
        charts(html, report);
        missingFixtures(html, report);
        calls(html, report);
        html.append("<footer class=\"note\"><p>Written by llmunit. Latencies are judged latencies: recorded in playback, ")
                .append("so they repeat on every run.</p></footer>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void totals(StringBuilder html, ReportTotals totals) {
        html.append("<section id=\"totals\">\n<h2>Totals</h2>\n<dl class=\"totals\">\n");
        item(html, "Tests", totals.tests() + " (" + totals.passed() + " passed, " + totals.failed() + " failed, "
                + totals.skipped() + " skipped)", totals.failed() > 0);
        item(html, "Calls", String.valueOf(totals.calls()), false);
        item(html, "Total cost", Formats.usd(totals.cost()) + (totals.costKnown() ? ""
                : " + " + Formats.plural(totals.unpricedCalls(), "unpriced call")), !totals.costKnown());
        item(html, "Latency p50 / p95", totals.latencyP50Ms() + " ms / " + totals.latencyP95Ms() + " ms", false);
        item(html, "llmunit overhead", Formats.plain(totals.overheadMs()) + " ms", false);
        item(html, "Budget breaches", String.valueOf(totals.budgetBreaches()), totals.budgetBreaches() > 0);
        item(html, "Missing fixtures", String.valueOf(totals.missingFixtures()), totals.missingFixtures() > 0);
        html.append("</dl>\n</section>\n");
    }

    private static void item(StringBuilder html, String name, String value, boolean bad) {
        html.append("<dt>").append(escape(name)).append("</dt><dd").append(bad ? " class=\"bad\"" : "").append('>')
                .append(escape(value)).append("</dd>\n");
    }

    private static void breaches(StringBuilder html, LlmReport report) {
        List<String[]> rows = new ArrayList<>();
        List<List<String>> offending = new ArrayList<>();
        if (report.suiteBudget() != null && !report.suiteBudget().passed()) {
            add(rows, offending, "(suite)", report.suiteBudget());
        }
        for (ReportTest test : report.tests()) {
            test.breaches().forEach(budget -> add(rows, offending, test.id(), budget));
        }
        html.append("<section id=\"breaches\">\n<h2>Budget breaches (").append(rows.size()).append(")</h2>\n");
        if (rows.isEmpty()) {
            html.append("<p>No budget was broken.</p>\n</section>\n");
            return;
        }
        html.append("<table>\n<thead><tr><th>Test</th><th>Budget</th><th class=\"num\">Limit</th><th class=\"num\">Actual</th>")
                .append("<th>Offending calls</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            html.append("<tr><td><code>").append(escape(row[0])).append("</code></td><td>").append(escape(row[1]))
                    .append("</td><td class=\"num\">").append(escape(row[2])).append("</td><td class=\"num bad\">")
                    .append(escape(row[3])).append("</td><td><ul class=\"offending\">");
            offending.get(i).forEach(line -> html.append("<li>").append(escape(line)).append("</li>"));
            html.append("</ul></td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private static void add(List<String[]> rows, List<List<String>> offending, String id, BudgetResult budget) {
        rows.add(new String[] {id, budget.kind(), budget.limit(), budget.actual()});
        offending.add(budget.offendingCalls());
    }

    private static void baseline(StringBuilder html, @Nullable BaselineComparison baseline) {
        html.append("<section id=\"baseline\">\n<h2>Baseline</h2>\n");
        if (baseline == null) {
            html.append("<p class=\"note\">No baseline was checked.</p>\n</section>\n");
            return;
        }
        html.append("<p class=\"note\">").append(escape(baseline.file())).append(", tolerance cost ")
                .append(escape(Formats.tolerance(baseline.costTolerance()))).append(", latency ")
                .append(escape(Formats.tolerance(baseline.latencyTolerance()))).append("</p>\n");
        if (baseline.regressions().isEmpty()) {
            html.append("<p>No regression.</p>\n");
        } else {
            html.append("<h3 class=\"bad\">").append(escape(Formats.plural(baseline.regressions().size(), "regression")))
                    .append("</h3>\n<ul id=\"regressions\">\n");
            baseline.regressions().forEach(regression -> html.append("<li><code>").append(escape(regression.testId()))
                    .append("</code>: ").append(escape(regression.description())).append("</li>\n"));
            html.append("</ul>\n");
        }
        html.append("<table class=\"sortable\">\n<thead><tr><th>Test</th><th>Status</th><th class=\"num\" data-type=\"num\">")
                .append("Cost before</th><th class=\"num\" data-type=\"num\">Cost after</th><th class=\"num\" data-type=\"num\">")
                .append("Calls before</th><th class=\"num\" data-type=\"num\">Calls after</th><th class=\"num\" data-type=\"num\">")
                .append("p95 before</th><th class=\"num\" data-type=\"num\">p95 after</th></tr></thead>\n<tbody>\n");
        List<BaselineComparison.TestComparison> ordered = new ArrayList<>(baseline.tests());
        // Regressions first: the table is there to explain them.
        ordered.sort(Comparator.comparing((BaselineComparison.TestComparison test) -> test.status().ordinal() == 1 ? 0 : 1));
        for (BaselineComparison.TestComparison test : ordered) {
            String status = test.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            html.append("<tr><td data-v=\"").append(escape(test.id())).append("\"><code>").append(escape(test.id()))
                    .append("</code></td><td data-v=\"").append(status).append('"')
                    .append(test.status() == BaselineComparison.Status.REGRESSED ? " class=\"bad\"" : "").append('>')
                    .append(status).append("</td>");
            entryCells(html, test.before(), test.after());
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private static void entryCells(StringBuilder html, Baseline.@Nullable Entry before, Baseline.@Nullable Entry after) {
        for (Function<Baseline.Entry, String[]> column : List.<Function<Baseline.Entry, String[]>>of(
                entry -> new String[] {entry.cost() == null ? "Infinity" : entry.cost().toPlainString(), Formats.usd(entry.cost())},
                entry -> new String[] {String.valueOf(entry.calls()), String.valueOf(entry.calls())},
                entry -> new String[] {String.valueOf(entry.latencyP95Ms()), entry.latencyP95Ms() + " ms"})) {
            for (Baseline.Entry entry : new Baseline.Entry[] {before, after}) {
                if (entry == null) {
                    html.append("<td class=\"num\" data-v=\"-1\"></td>");
                } else {
                    String[] value = column.apply(entry);
                    html.append("<td class=\"num\" data-v=\"").append(value[0]).append("\">").append(escape(value[1])).append("</td>");
                }
            }
        }
    }

    private static void tests(StringBuilder html, LlmReport report) {
        html.append("<section id=\"tests\">\n<h2>Tests</h2>\n<table class=\"sortable\" id=\"tests-table\">\n<thead><tr>")
                .append("<th>Test</th><th>Status</th><th class=\"num\" data-type=\"num\">Calls</th>")
                .append("<th class=\"num\" data-type=\"num\">Cost</th><th class=\"num\" data-type=\"num\">p95 latency</th>")
                .append("<th>Failure</th></tr></thead>\n<tbody>\n");
        for (ReportTest test : report.tests()) {
            String status = test.status().jsonName();
            html.append("<tr><td data-v=\"").append(escape(test.id())).append("\" title=\"").append(escape(test.displayName()))
                    .append("\"><code>").append(escape(test.id())).append("</code></td><td data-v=\"").append(status)
                    .append("\" class=\"").append(status).append("\">").append(status).append("</td><td class=\"num\" data-v=\"")
                    .append(test.callCount()).append("\">").append(test.callCount()).append("</td><td class=\"num\" data-v=\"")
                    .append(test.cost() == null ? "Infinity" : test.cost().toPlainString()).append("\">")
                    .append(escape(Formats.usd(test.cost()))).append("</td><td class=\"num\" data-v=\"").append(test.latencyP95Ms())
                    .append("\">").append(test.latencyP95Ms()).append(" ms</td><td data-v=\"").append(escape(test.failure()))
                    .append("\">").append(escape(test.failure())).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private static void charts(StringBuilder html, LlmReport report) {
        List<ReportTest> withCalls = report.tests().stream().filter(test -> test.callCount() > 0).toList();
        html.append("<section id=\"charts\">\n<h2>Cost per test</h2>\n");
        List<Bar> costs = withCalls.stream().map(test -> test.cost() == null
                ? new Bar(test.id(), BigDecimal.ZERO, "unknown", true)
                : new Bar(test.id(), test.cost().amount(), Formats.usd(test.cost()), false)).toList();
        chart(html, costs, "tests with calls", "most expensive");
        html.append("<h2>Latency p95 per test</h2>\n");
        chart(html, withCalls.stream().map(test -> new Bar(test.id(), BigDecimal.valueOf(test.latencyP95Ms()),
                test.latencyP95Ms() + " ms", false)).toList(), "tests with calls", "slowest");
        html.append("</section>\n");
    }

    private record Bar(String label, BigDecimal value, String text, boolean unknown) {}

    private static void chart(StringBuilder html, List<Bar> bars, String population, String superlative) {
        if (bars.isEmpty()) {
            html.append("<p class=\"note\">No calls.</p>\n");
            return;
        }
        // Unknown costs first: they break every budget, so they matter most.
        List<Bar> top = bars.stream()
                .sorted(Comparator.comparing(Bar::unknown).reversed().thenComparing(Bar::value, Comparator.reverseOrder())
                        .thenComparing(Bar::label))
                .limit(CHART_LIMIT).toList();
        BigDecimal max = top.stream().map(Bar::value).max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
        int rowHeight = 20;
        int labelWidth = 380;
        int barWidth = 460;
        int height = top.size() * rowHeight + 4;
        html.append("<svg role=\"img\" width=\"960\" height=\"").append(height).append("\" viewBox=\"0 0 960 ").append(height)
                .append("\">\n");
        for (int i = 0; i < top.size(); i++) {
            Bar bar = top.get(i);
            int y = i * rowHeight + 2;
            double width = max.signum() == 0 ? 0 : bar.value().doubleValue() / max.doubleValue() * barWidth;
            if (bar.unknown()) {
                width = barWidth;
            }
            String label = bar.label().length() > 56 ? "…" + bar.label().substring(bar.label().length() - 55) : bar.label();
            html.append("<g><title>").append(escape(bar.label() + ": " + bar.text())).append("</title>")
                    .append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 13)
                    .append("\" text-anchor=\"end\">").append(escape(label)).append("</text>")
                    .append("<rect class=\"").append(bar.unknown() ? "unknown" : "bar").append("\" x=\"").append(labelWidth)
                    .append("\" y=\"").append(y + 2).append("\" width=\"").append(String.format(Locale.ROOT, "%.1f", width))
                    .append("\" height=\"14\"></rect><text x=\"")
                    .append(String.format(Locale.ROOT, "%.1f", labelWidth + width + 6)).append("\" y=\"").append(y + 13)
                    .append("\">").append(escape(bar.text())).append("</text></g>\n");
        }
        html.append("</svg>\n");
        if (bars.size() > top.size()) {
            html.append("<p class=\"note\">Showing the ").append(top.size()).append(' ').append(superlative).append(" of ")
                    .append(bars.size()).append(' ').append(population).append(".</p>\n");
        }
    }

    private static void missingFixtures(StringBuilder html, LlmReport report) {
        html.append("<section id=\"missing-fixtures\">\n<h2>Missing fixtures (").append(report.missingFixtures().size())
                .append(")</h2>\n");
        if (report.missingFixtures().isEmpty()) {
            html.append("<p>Every request had a recording.</p>\n</section>\n");
            return;
        }
        html.append("<table>\n<thead><tr><th>Provider</th><th>Model</th><th>Last user message</th><th>Closest fixture</th>")
                .append("<th>Difference</th></tr></thead>\n<tbody>\n");
        for (ReportMissingFixture missing : report.missingFixtures()) {
            html.append("<tr><td>").append(escape(missing.provider())).append("</td><td>").append(escape(missing.model()))
                    .append("</td><td>").append(escape(missing.lastUserMessage())).append("</td><td>")
                    .append(escape(missing.closestFixture() == null ? "" : missing.closestFixture())).append("</td><td>")
                    .append(escape(missing.difference() == null ? "" : missing.difference())).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private static void calls(StringBuilder html, LlmReport report) {
        html.append("<section id=\"calls\">\n<h2>Calls</h2>\n");
        for (ReportTest test : report.tests()) {
            if (test.calls().isEmpty()) {
                continue;
            }
            html.append("<details><summary><code>").append(escape(test.id())).append("</code> (")
                    .append(escape(Formats.plural(test.callCount(), "call"))).append(")</summary>\n<table>\n<thead><tr>")
                    .append("<th class=\"num\">#</th><th>Served by</th><th class=\"num\">Tokens in / out</th>")
                    .append("<th class=\"num\">Cost</th><th class=\"num\">Latency</th><th class=\"num\">Attempts</th>")
                    .append("<th>Fixture</th><th>Prompt</th></tr></thead>\n<tbody>\n");
            for (ReportCall call : test.calls()) {
                String servedBy = call.provider() == null ? "failed: " + call.error()
                        : call.provider() + (call.model() == null ? "" : "/" + call.model());
                html.append("<tr><td class=\"num\">").append(call.sequence()).append("</td><td>").append(escape(servedBy))
                        .append("</td><td class=\"num\">").append(call.inputTokens()).append(" / ").append(call.outputTokens())
                        .append("</td><td class=\"num\">").append(escape(Formats.usd(call.cost()))).append("</td><td class=\"num\">")
                        .append(call.latencyMs()).append(" ms</td><td class=\"num\">").append(call.attempts()).append("</td><td>")
                        .append(escape(call.fixture() == null ? "" : call.fixture())).append("</td><td>").append(escape(call.prompt()))
                        .append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n</details>\n");
        }
        html.append("</section>\n");
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
