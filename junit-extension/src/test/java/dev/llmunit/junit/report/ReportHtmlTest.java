package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.Records.call;
import static dev.llmunit.junit.report.Records.passed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.junit.BudgetResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {

    private static LlmReport report() {
        return LlmReport.of("run-1", List.of(
                passed("com.example.A#<script>alert('x')</script>", call(1, "0.0001", 300)),
                Records.withBudget(passed("com.example.B#expensive & slow", call(1, "0.0031", 900)),
                        new BudgetResult(BudgetResult.COST_PER_TEST, "0.002", "0.0031", false, List.of("#1 openai/gpt-4o-mini")))),
                List.of());
    }

    @Test
    void isSelfContainedWithInlineCharts() {
        String html = report().toHtml();

        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*[\"']?\\s*https?:");
        assertThat(html).doesNotContainPattern("(?i)<link|<img|@import|url\\(");
        assertThat(html).contains("<div class=\"chart\" id=\"cost-chart\">").contains("<script>").contains("class=\"sortable\"");
    }

    @Test
    void escapesTestNamesSoTheyCannotInjectMarkup() {
        String html = report().toHtml();

        assertThat(html).doesNotContain("<script>alert");
        assertThat(html).contains("com.example.A#&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(html).contains("expensive &amp; slow");
    }

    @Test
    void listsBudgetBreachesBeforeTheTestsTable() {
        String html = report().toHtml();

        int breaches = html.indexOf("id=\"breaches\"");
        assertThat(breaches).isPositive();
        assertThat(html.indexOf("#1 openai/gpt-4o-mini")).isGreaterThan(breaches);
        assertThat(html.indexOf("id=\"tests-table\"")).isGreaterThan(html.indexOf("#1 openai/gpt-4o-mini"));
    }

    @Test
    void showsAStreamedCallsFirstTokenAndRateUnderItsLatency() {
        String html = LlmReport.of("run-1", List.of(passed("com.example.S#streams", Records.streamedCall(1, 1150, 310, 42.16),
                call(2, "0.0001", 400))), List.of()).toHtml();

        assertThat(html).contains("1150 ms<br><span class=\"note\">first token 310 ms, 42.2 tokens/s</span>");
        assertThat(html).contains("400 ms</td>");
    }

    @Test
    void showsTheTotals() {
        String html = report().toHtml();

        assertThat(html).contains("2 (2 passed, 0 failed, 0 skipped)").contains("$0.003200").contains("Budget breaches");
    }

    @Test
    void capsEachChartAtThirtyBarsWithANote() {
        List<TestRecord> many = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            many.add(passed(String.format("com.example.T#t%02d", i), call(1, "0.000" + (i + 10), 100 + i)));
        }

        String html = LlmReport.of("run-1", many, List.of()).toHtml();

        assertThat(html).contains("Showing the 30 most expensive of 35 tests with calls");
        assertThat(html).contains("Showing the 30 slowest of 35 tests with calls");
    }

    @Test
    void sameReportGivesTheSamePage() {
        assertThat(report().toHtml()).isEqualTo(report().toHtml());
    }
}
