package dev.llmunit.junit.report;

import dev.llmunit.junit.BudgetResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code report.html}: one self-contained page (inline style and script; nothing fetched), in the
 * order a reader needs it: totals, broken budgets, baseline regressions, then the tests grouped by
 * class, charts, missing fixtures, ensemble runs ({@link ReportEnsembles}) and every call. Every text from a test (names, prompts,
 * failures) is escaped. No timestamp, so the same report gives the same page.
 *
 * <p>The page fits any width from about 800 px up: tables take the page's width and long ids,
 * names and fixture file names wrap anywhere, numbers never wrap, and the charts are HTML rows whose
 * labels wrap instead of being clipped. A section added to the report uses {@link #openSection},
 * {@link #closeSection} and the same classes ({@code num}, {@code group}, {@code sortable}), so it
 * behaves the same.
 */
final class ReportHtml {

    /** How many bars a chart shows; a long suite would otherwise make charts unreadable. */
    static final int CHART_LIMIT = 30;

    private static final String STYLE = """
            *{box-sizing:border-box}
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;padding:16px 20px;
              max-width:1600px;color:#1d2330}
            h1{font-size:22px;margin:4px 0}h2{font-size:17px;margin:28px 0 6px}h3{font-size:15px;margin:18px 0 4px}
            table{border-collapse:collapse;margin:8px 0;width:100%}
            th,td{border:1px solid #d7dbe3;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
            th{background:#f1f3f7;overflow-wrap:normal}table.sortable thead th{cursor:pointer}
            td.tight{white-space:nowrap;overflow-wrap:normal}
            table.sortable thead th:after{content:" \\2195";color:#98a}
            td.num,th.num{text-align:right}td.num{white-space:nowrap;overflow-wrap:normal}
            tr.group th{background:#e6e9f0;font-weight:600;cursor:default;overflow-wrap:anywhere}
            tr.group .note{font-weight:400}
            .failed{color:#b42318;font-weight:600}.skipped{color:#777}.passed{color:#05603a}
            dl.totals{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 16px}
            dl.totals dt{color:#556}dl.totals dd{margin:0;font-weight:600;overflow-wrap:anywhere}
            .bad{color:#b42318}.note{color:#667}code{font-size:12.5px;overflow-wrap:anywhere}
            .id{display:block;color:#667}
            ul.plain{margin:0;padding-left:18px}ul.plain li{overflow-wrap:anywhere}
            .chart{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr) max-content;gap:3px 10px;
              align-items:center;margin:8px 0}
            .chart .label{overflow-wrap:anywhere;text-align:right;font-size:13px}
            .chart .track{background:#eef0f5;height:14px}
            .chart .bar{display:block;height:14px;background:#4e79a7}.chart .bar.unknown{background:#e15759}
            .chart .value{white-space:nowrap;font-size:13px}
            details{margin:4px 0}summary{cursor:pointer;overflow-wrap:anywhere}
            """;

    /** Sorts each body of a sortable table on its own, keeping a class's header row first. */
    private static final String SCRIPT = """
            document.querySelectorAll('table.sortable').forEach(function (table) {
              table.tHead.querySelectorAll('th').forEach(function (th, column) {
                th.addEventListener('click', function () {
                  var numeric = th.getAttribute('data-type') === 'num', ascending = th.getAttribute('data-dir') !== 'asc';
                  table.tHead.querySelectorAll('th').forEach(function (other) { other.removeAttribute('data-dir'); });
                  th.setAttribute('data-dir', ascending ? 'asc' : 'desc');
                  Array.prototype.forEach.call(table.tBodies, function (body) {
                    var rows = Array.prototype.filter.call(body.rows, function (row) { return !row.classList.contains('group'); });
                    rows.sort(function (a, b) {
                      var x = a.cells[column].getAttribute('data-v'), y = b.cells[column].getAttribute('data-v');
                      var d = numeric ? (parseFloat(x) - parseFloat(y)) || 0 : x.localeCompare(y);
                      return ascending ? d : -d;
                    });
                    rows.forEach(function (row) { body.appendChild(row); });
                  });
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
        ReportRepeats.section(html, report);
        charts(html, report);
        missingFixtures(html, report);
        ReportEnsembles.section(html, report);
        calls(html, report);
        html.append("<footer class=\"note\"><p>Written by llmunit. Latencies are judged latencies: recorded in playback, ")
                .append("so they repeat on every run.</p></footer>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    /** Starts a section: {@code <section id=..><h2>title</h2>}; the title is escaped. */
    static void openSection(StringBuilder html, String id, String title) {
        html.append("<section id=\"").append(escape(id)).append("\">\n<h2>").append(escape(title)).append("</h2>\n");
    }

    static void closeSection(StringBuilder html) {
        html.append("</section>\n");
    }

    private static void totals(StringBuilder html, ReportTotals totals) {
        openSection(html, "totals", "Totals");
        html.append("<dl class=\"totals\">\n");
        item(html, "Tests", totals.tests() + " (" + totals.passed() + " passed, " + totals.failed() + " failed, "
                + totals.skipped() + " skipped)", totals.failed() > 0);
        item(html, "Calls", String.valueOf(totals.calls()), false);
        item(html, "Total cost", Formats.usd(totals.cost()) + (totals.costKnown() ? ""
                : " + " + Formats.plural(totals.unpricedCalls(), "unpriced call")), !totals.costKnown());
        item(html, "Latency p50 / p95", totals.latencyP50Ms() + " ms / " + totals.latencyP95Ms() + " ms", false);
        item(html, "llmunit overhead", Formats.plain(totals.overheadMs()) + " ms", false);
        item(html, "Budget breaches", String.valueOf(totals.budgetBreaches()), totals.budgetBreaches() > 0);
        item(html, "Missing fixtures", String.valueOf(totals.missingFixtures()), totals.missingFixtures() > 0);
        html.append("</dl>\n");
        closeSection(html);
    }

    private static void item(StringBuilder html, String name, String value, boolean bad) {
        html.append("<dt>").append(escape(name)).append("</dt><dd").append(bad ? " class=\"bad\"" : "").append('>')
                .append(escape(value)).append("</dd>\n");
    }

    private static void breaches(StringBuilder html, LlmReport report) {
        record Row(@Nullable ReportTest test, @Nullable String className, BudgetResult budget) {}
        List<Row> rows = new ArrayList<>();
        if (report.suiteBudget() != null && !report.suiteBudget().passed()) {
            rows.add(new Row(null, null, report.suiteBudget()));
        }
        for (ReportClassBudget classBudget : report.classBudgets()) {
            if (!classBudget.budget().passed()) {
                rows.add(new Row(null, classBudget.className(), classBudget.budget()));
            }
        }
        for (ReportTest test : report.tests()) {
            test.breaches().forEach(budget -> rows.add(new Row(test, null, budget)));
        }
        openSection(html, "breaches", "Budget breaches (" + rows.size() + ")");
        if (rows.isEmpty()) {
            html.append("<p>No budget was broken.</p>\n");
            closeSection(html);
            return;
        }
        html.append("<table>\n<thead><tr><th>Test</th><th>Budget</th><th class=\"num\">Limit</th><th class=\"num\">Actual</th>")
                .append("<th>Offending calls</th></tr></thead>\n<tbody>\n");
        for (Row row : rows) {
            html.append("<tr><td>");
            if (row.className() != null) {
                html.append("(class) <code class=\"id\">").append(escape(row.className())).append("</code>");
            } else if (row.test() == null) {
                html.append("(suite)");
            } else {
                TestName name = TestName.of(row.test());
                html.append(escape(name.simpleClass())).append(" › ").append(escape(row.test().displayName()))
                        .append("<code class=\"id\">").append(escape(row.test().id())).append("</code>");
            }
            html.append("</td><td class=\"tight\">").append(escape(row.budget().kind())).append("</td><td class=\"num\">")
                    .append(escape(row.budget().limitWithUnit())).append("</td><td class=\"num bad\">")
                    .append(escape(row.budget().actualWithUnit())).append("</td><td>");
            list(html, row.budget().offendingCalls());
            html.append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        closeSection(html);
    }

    private static void list(StringBuilder html, List<String> lines) {
        html.append("<ul class=\"plain\">");
        lines.forEach(line -> html.append("<li>").append(escape(line)).append("</li>"));
        html.append("</ul>");
    }

    private static void baseline(StringBuilder html, @Nullable BaselineComparison baseline) {
        openSection(html, "baseline", "Baseline");
        if (baseline == null) {
            html.append("<p class=\"note\">No baseline was checked.</p>\n");
            closeSection(html);
            return;
        }
        html.append("<p class=\"note\"><code>").append(escape(baseline.file())).append("</code>, tolerance cost ")
                .append(escape(Formats.tolerance(baseline.costTolerance()))).append(", latency ")
                .append(escape(Formats.tolerance(baseline.latencyTolerance()))).append("</p>\n");
        if (baseline.regressions().isEmpty()) {
            html.append("<p>No regression.</p>\n");
        } else {
            html.append("<h3 class=\"bad\">").append(escape(Formats.plural(baseline.regressions().size(), "regression")))
                    .append("</h3>\n<ul id=\"regressions\" class=\"plain\">\n");
            baseline.regressions().forEach(regression -> html.append("<li><code>").append(escape(regression.testId()))
                    .append("</code>: ").append(escape(regression.description())).append("</li>\n"));
            html.append("</ul>\n");
        }
        html.append("<table class=\"sortable\" id=\"baseline-table\">\n<thead><tr><th>Test</th><th>Status</th>")
                .append("<th class=\"num\" data-type=\"num\">Cost before</th><th class=\"num\" data-type=\"num\">Cost after</th>")
                .append("<th class=\"num\" data-type=\"num\">Calls before</th><th class=\"num\" data-type=\"num\">Calls after</th>")
                .append("<th class=\"num\" data-type=\"num\">p95 before</th><th class=\"num\" data-type=\"num\">p95 after</th>")
                .append("</tr></thead>\n");
        Map<String, List<BaselineComparison.TestComparison>> byClass = new LinkedHashMap<>();
        for (BaselineComparison.TestComparison test : baseline.tests()) {
            byClass.computeIfAbsent(TestName.of(test.id(), test.id()).className(), key -> new ArrayList<>()).add(test);
        }
        for (Map.Entry<String, List<BaselineComparison.TestComparison>> group : byClass.entrySet()) {
            List<BaselineComparison.TestComparison> ordered = new ArrayList<>(group.getValue());
            // Regressions first: the table is there to explain them.
            ordered.sort(Comparator.comparing((BaselineComparison.TestComparison test)
                    -> test.status() == BaselineComparison.Status.REGRESSED ? 0 : 1));
            long regressed = ordered.stream().filter(test -> test.status() == BaselineComparison.Status.REGRESSED).count();
            html.append("<tbody>\n");
            groupRow(html, group.getKey(), 8, Formats.plural(ordered.size(), "test")
                    + (regressed == 0 ? "" : ", " + regressed + " regressed"));
            for (BaselineComparison.TestComparison test : ordered) {
                String status = test.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
                TestName name = TestName.of(test.id(), test.id());
                html.append("<tr><td data-v=\"").append(escape(test.id())).append("\" title=\"").append(escape(test.id()))
                        .append("\"><code>").append(escape(name.member())).append("</code></td><td data-v=\"").append(status)
                        .append("\" class=\"tight").append(test.status() == BaselineComparison.Status.REGRESSED ? " bad" : "").append('"')
                        .append('>').append(status).append("</td>");
                entryCells(html, test.before(), test.after());
                html.append("</tr>\n");
            }
            html.append("</tbody>\n");
        }
        html.append("</table>\n");
        closeSection(html);
    }

    /** A class's header row in a grouped table: the simple name, then the package and a summary in grey. */
    private static void groupRow(StringBuilder html, String className, int columns, String summary) {
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(0, dot);
        html.append("<tr class=\"group\"><th colspan=\"").append(columns).append("\" title=\"").append(escape(className))
                .append("\">").append(escape(TestName.simpleClass(className))).append(" <span class=\"note\">")
                .append(pkg.isEmpty() ? "" : escape(pkg) + " · ").append(escape(summary)).append("</span></th></tr>\n");
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

    /** The tests of a report by class, in id order (so classes are in name order). */
    private static Map<String, List<ReportTest>> byClass(List<ReportTest> tests) {
        Map<String, List<ReportTest>> groups = new LinkedHashMap<>();
        for (ReportTest test : tests) {
            groups.computeIfAbsent(TestName.of(test).className(), key -> new ArrayList<>()).add(test);
        }
        return groups;
    }

    private static void tests(StringBuilder html, LlmReport report) {
        openSection(html, "tests", "Tests");
        html.append("<table class=\"sortable\" id=\"tests-table\">\n<thead><tr>")
                .append("<th>Test</th><th>Status</th><th class=\"num\" data-type=\"num\">Calls</th>")
                .append("<th class=\"num\" data-type=\"num\">Cost</th><th class=\"num\" data-type=\"num\">p95 latency</th>")
                .append("<th>Failure</th></tr></thead>\n");
        for (Map.Entry<String, List<ReportTest>> group : byClass(report.tests()).entrySet()) {
            List<ReportTest> tests = group.getValue();
            long failed = tests.stream().filter(test -> test.status() == TestStatus.FAILED).count();
            html.append("<tbody>\n");
            groupRow(html, group.getKey(), 6, Formats.plural(tests.size(), "test") + (failed == 0 ? "" : ", " + failed + " failed"));
            for (ReportTest test : tests) {
                String status = test.status().jsonName();
                html.append("<tr><td data-v=\"").append(escape(test.id())).append("\" title=\"").append(escape(test.id()))
                        .append("\">");
                testName(html, test);
                html.append("</td><td data-v=\"").append(status).append("\" class=\"tight ").append(status).append("\">")
                        .append(status).append("</td><td class=\"num\" data-v=\"").append(test.callCount()).append("\">")
                        .append(test.callCount()).append("</td><td class=\"num\" data-v=\"")
                        .append(test.cost() == null ? "Infinity" : test.cost().toPlainString()).append("\">")
                        .append(escape(Formats.usd(test.cost()))).append("</td><td class=\"num\" data-v=\"").append(test.latencyP95Ms())
                        .append("\">").append(test.latencyP95Ms()).append(" ms</td><td data-v=\"").append(escape(test.failure()))
                        .append("\">");
                failure(html, test);
                html.append("</td></tr>\n");
            }
            html.append("</tbody>\n");
        }
        html.append("</table>\n");
        closeSection(html);
    }

    /** The display name, and the method (with invocation index) below it when the display name does not show it. */
    private static void testName(StringBuilder html, ReportTest test) {
        TestName name = TestName.of(test);
        html.append(escape(test.displayName()));
        if (!test.displayName().startsWith(name.method())) {
            html.append("<code class=\"id\">").append(escape(name.member())).append("</code>");
        }
    }

    /** What broke: each broken budget with its numbers, and the failure message unless it only announces those. */
    private static void failure(StringBuilder html, ReportTest test) {
        List<String> lines = new ArrayList<>();
        test.breaches().forEach(budget -> lines.add(budget.describe()));
        boolean budgetMessage = test.failure().startsWith("llmunit budget broken");
        if (!test.failure().isEmpty() && !(budgetMessage && !lines.isEmpty())) {
            lines.add(0, test.failure());
        }
        if (lines.size() == 1) {
            html.append(escape(lines.get(0)));
        } else if (!lines.isEmpty()) {
            list(html, lines);
        }
    }

    private static void charts(StringBuilder html, LlmReport report) {
        List<ReportTest> withCalls = report.tests().stream().filter(test -> test.callCount() > 0).toList();
        openSection(html, "charts", "Cost per test");
        List<Bar> costs = withCalls.stream().map(test -> test.cost() == null
                ? new Bar(test, BigDecimal.ZERO, "unknown", true)
                : new Bar(test, test.cost().amount(), Formats.usd(test.cost()), false)).toList();
        chart(html, "cost-chart", costs, "tests with calls", "most expensive");
        html.append("<h2>Latency p95 per test</h2>\n");
        chart(html, "latency-chart", withCalls.stream().map(test -> new Bar(test, BigDecimal.valueOf(test.latencyP95Ms()),
                test.latencyP95Ms() + " ms", false)).toList(), "tests with calls", "slowest");
        closeSection(html);
    }

    private record Bar(ReportTest test, BigDecimal value, String text, boolean unknown) {}

    private static void chart(StringBuilder html, String id, List<Bar> bars, String population, String superlative) {
        if (bars.isEmpty()) {
            html.append("<p class=\"note\">No calls.</p>\n");
            return;
        }
        // Unknown costs first: they break every budget, so they matter most.
        List<Bar> top = bars.stream()
                .sorted(Comparator.comparing(Bar::unknown).reversed().thenComparing(Bar::value, Comparator.reverseOrder())
                        .thenComparing(bar -> bar.test().id()))
                .limit(CHART_LIMIT).toList();
        BigDecimal max = top.stream().map(Bar::value).max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
        html.append("<div class=\"chart\" id=\"").append(id).append("\">\n");
        for (Bar bar : top) {
            BigDecimal percent = bar.unknown() ? BigDecimal.valueOf(100)
                    : max.signum() == 0 ? BigDecimal.ZERO : bar.value().movePointRight(2).divide(max, 1, RoundingMode.HALF_UP);
            String label = TestName.of(bar.test()).simpleClass() + " › " + bar.test().displayName();
            html.append("<div class=\"label\" title=\"").append(escape(bar.test().id())).append("\">").append(escape(label))
                    .append("</div><div class=\"track\"><span class=\"bar").append(bar.unknown() ? " unknown" : "")
                    .append("\" style=\"width:").append(percent.toPlainString()).append("%\"></span></div><div class=\"value\">")
                    .append(escape(bar.text())).append("</div>\n");
        }
        html.append("</div>\n");
        if (bars.size() > top.size()) {
            html.append("<p class=\"note\">Showing the ").append(top.size()).append(' ').append(superlative).append(" of ")
                    .append(bars.size()).append(' ').append(population).append(".</p>\n");
        }
    }

    private static void missingFixtures(StringBuilder html, LlmReport report) {
        openSection(html, "missing-fixtures", "Missing fixtures (" + report.missingFixtures().size() + ")");
        if (report.missingFixtures().isEmpty()) {
            html.append("<p>Every request had a recording.</p>\n");
            closeSection(html);
            return;
        }
        html.append("<table>\n<thead><tr><th>Provider</th><th>Model</th><th>Last user message</th><th>Closest fixture</th>")
                .append("<th>Difference</th></tr></thead>\n<tbody>\n");
        for (ReportMissingFixture missing : report.missingFixtures()) {
            html.append("<tr><td>").append(escape(missing.provider())).append("</td><td>").append(escape(missing.model()))
                    .append("</td><td>").append(escape(missing.lastUserMessage())).append("</td><td><code>")
                    .append(escape(missing.closestFixture() == null ? "" : missing.closestFixture())).append("</code></td><td>")
                    .append(escape(missing.difference() == null ? "" : missing.difference())).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        closeSection(html);
    }

    private static void calls(StringBuilder html, LlmReport report) {
        openSection(html, "calls", "Calls");
        for (Map.Entry<String, List<ReportTest>> group : byClass(report.tests()).entrySet()) {
            List<ReportTest> tests = group.getValue().stream().filter(test -> !test.calls().isEmpty()).toList();
            if (tests.isEmpty()) {
                continue;
            }
            html.append("<h3 title=\"").append(escape(group.getKey())).append("\">").append(escape(TestName.of(tests.get(0)).simpleClass()))
                    .append("</h3>\n");
            for (ReportTest test : tests) {
                html.append("<details><summary>").append(escape(test.displayName())).append(" (")
                        .append(escape(Formats.plural(test.callCount(), "call"))).append(") <code class=\"note\">")
                        .append(escape(test.id())).append("</code></summary>\n<table>\n<thead><tr>")
                        .append("<th class=\"num\">#</th><th>Served by</th><th class=\"num\">Tokens in / out</th>")
                        .append("<th class=\"num\">Cost</th><th class=\"num\">Latency</th><th class=\"num\">Attempts</th>")
                        .append("<th>Fixture</th><th>Prompt</th></tr></thead>\n<tbody>\n");
                for (ReportCall call : test.calls()) {
                    String servedBy = call.provider() == null ? "failed: " + call.error()
                            : call.provider() + (call.model() == null ? "" : "/" + call.model());
                    html.append("<tr><td class=\"num\">").append(call.sequence()).append("</td><td>").append(escape(servedBy))
                            .append("</td><td class=\"num\">").append(call.inputTokens()).append(" / ").append(call.outputTokens())
                            .append("</td><td class=\"num\">").append(escape(Formats.usd(call.cost()))).append("</td><td class=\"num\">")
                            .append(call.latencyMs()).append(" ms").append(streamTiming(call)).append("</td><td class=\"num\">")
                            .append(call.attempts()).append("</td><td><code>")
                            .append(escape(call.fixture() == null ? "" : call.fixture())).append("</code></td><td>")
                            .append(escape(call.prompt())).append("</td></tr>\n");
                }
                html.append("</tbody>\n</table>\n</details>\n");
            }
        }
        closeSection(html);
    }

    /**
     * A test id taken apart: {@code com.acme.TriageTest$Refunds#approves[2]} is the class
     * {@code com.acme.TriageTest$Refunds} (shown {@code TriageTest.Refunds}), the method {@code approves}
     * and the member {@code approves[2]}.
     */
    record TestName(String className, String method, String member) {

        static TestName of(ReportTest test) {
            return of(test.id(), test.displayName());
        }

        static TestName of(String id, String displayName) {
            int hash = id.indexOf('#');
            if (hash < 0) {
                return new TestName(id, displayName, displayName);
            }
            String member = id.substring(hash + 1);
            int bracket = member.indexOf('[');
            return new TestName(id.substring(0, hash), bracket < 0 ? member : member.substring(0, bracket), member);
        }

        String simpleClass() {
            return simpleClass(className);
        }

        /** {@code com.acme.TriageTest$Refunds} reads {@code TriageTest.Refunds}. */
        static String simpleClass(String className) {
            int dot = className.lastIndexOf('.');
            return (dot < 0 ? className : className.substring(dot + 1)).replace('$', '.');
        }
    }

    /** A streamed call's first token and output rate under its latency; nothing for a call answered in one piece. */
    private static String streamTiming(ReportCall call) {
        if (!call.streamed()) {
            return "";
        }
        String rate = call.tokensPerSecond() == null ? "" : ", " + call.tokensPerSecond().toPlainString() + " tokens/s";
        return "<br><span class=\"note\">first token " + call.timeToFirstTokenMs() + " ms" + rate + "</span>";
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
