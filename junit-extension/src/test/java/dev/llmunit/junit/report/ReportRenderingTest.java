package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.Records.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.CallAttempt;
import dev.llmunit.junit.LlmCall;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code report.html} as a browser lays it out: Debian's headless Chromium opens a report with long
 * ids, long fixture names, a baseline with regressions, breaches and missing fixtures, at 800 and
 * 1,400 px, and a script in the page measures it. Nothing may stick out of the viewport (the page
 * never scrolls sideways), no table may be wider than its section, no cell or chart label may cut
 * its text off, and every column of the tests table must be on screen.
 *
 * <p>Chromium comes from {@code -Dllmunit.chromium=<binary>}, else {@code chromium} on the PATH;
 * {@code .ci/run} installs it. Without it the test is skipped on a developer's machine and fails
 * in CI ({@code CI=true}), so the check can never silently stop running there.
 */
class ReportRenderingTest {

    private static final Pattern MEASUREMENTS = Pattern.compile("<pre id=\"llmunit-measurements\">(.*?)</pre>", Pattern.DOTALL);

    /** Runs in the page after layout; writes what it measured into the DOM that --dump-dom prints. */
    private static final String MEASURE = """
            <script>
            (function () {
              document.querySelectorAll('details').forEach(function (d) { d.open = true; });
              var viewport = window.innerWidth, problems = [];
              function name(el) {
                return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '')
                    + ' "' + (el.textContent || '').trim().slice(0, 60) + '"';
              }
              document.querySelectorAll('body *').forEach(function (el) {
                var box = el.getBoundingClientRect();
                if (box.width > 0 && (box.right > viewport + 0.5 || box.left < -0.5)) {
                  problems.push('outside the viewport (' + Math.round(box.left) + '..' + Math.round(box.right) + '): ' + name(el));
                }
              });
              document.querySelectorAll('table').forEach(function (table) {
                if (table.getBoundingClientRect().width > table.parentElement.clientWidth + 0.5) {
                  problems.push('wider than its section: ' + name(table));
                }
              });
              document.querySelectorAll('td, th, .chart .label, .chart .value, summary, dd').forEach(function (el) {
                if (el.scrollWidth > el.clientWidth + 1) {
                  problems.push('text cut off (' + el.scrollWidth + ' > ' + el.clientWidth + '): ' + name(el));
                }
              });
              problems = problems.slice(0, 40);
              var headers = document.querySelectorAll('#tests-table thead th');
              var pre = document.createElement('pre');
              pre.id = 'llmunit-measurements';
              pre.textContent = JSON.stringify({
                viewport: viewport,
                scrollWidth: document.documentElement.scrollWidth,
                testColumns: headers.length,
                lastTestColumnRight: headers.length ? headers[headers.length - 1].getBoundingClientRect().right : -1,
                chartLabels: document.querySelectorAll('.chart .label').length,
                problems: problems
              });
              document.body.appendChild(pre);
            })();
            </script>
            """;

    private static Optional<Path> chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        chromium = chromiumBinary();
        if (chromium.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must check report.html in a browser, but no Chromium was found: install Debian's"
                    + " chromium package (apt-get install -y chromium) or set -Dllmunit.chromium=<binary>");
        }
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium (set -Dllmunit.chromium or put chromium on the PATH)");
    }

    @ParameterizedTest(name = "{0} px")
    @ValueSource(ints = {800, 1400})
    void fitsTheViewportWithNothingCutOff(int width) throws Exception {
        // GIVEN a report with everything that used to make the page 1,440 px wide
        Path page = dir.resolve("report.html");
        Files.writeString(page, demandingReport().toHtml().replace("</body>", MEASURE + "</body>"), StandardCharsets.UTF_8);

        // WHEN Chromium lays it out at this width
        JsonNode measured = measure(page, width);

        screenshot(page, width);

        // THEN
        assertThat(measured.path("viewport").asInt()).as("the viewport Chromium laid out").isEqualTo(width);
        assertThat(measured.path("problems")).as("what does not fit at %d px", width).isEmpty();
        assertThat(measured.path("scrollWidth").asInt()).as("document scroll width").isLessThanOrEqualTo(width);
        assertThat(measured.path("testColumns").asInt()).as("columns of the tests table").isEqualTo(6);
        assertThat(measured.path("lastTestColumnRight").asDouble()).as("right edge of the Failure column")
                .isLessThanOrEqualTo(width);
        assertThat(measured.path("chartLabels").asInt()).as("chart labels").isPositive();
    }

    private JsonNode measure(Path page, int width) throws IOException, InterruptedException {
        Path out = dir.resolve("dom-" + width + ".html");
        Path log = chromium(width, 1000, out, "--dump-dom", page.toUri().toString());
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        Matcher found = MEASUREMENTS.matcher(dom);
        if (!found.find()) {
            throw new AssertionError("Chromium printed no measurements; its log:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String json = found.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return new ObjectMapper().readTree(json);
    }

    /** With {@code -Dllmunit.report.screenshots=<dir>}, also a full-page PNG per width there, for a person to look at. */
    private void screenshot(Path page, int width) throws IOException, InterruptedException {
        String folder = System.getProperty("llmunit.report.screenshots");
        if (folder == null || folder.isBlank()) {
            return;
        }
        Path png = Files.createDirectories(Path.of(folder)).toAbsolutePath().resolve("report-" + width + ".png");
        chromium(width, 4000, dir.resolve("screenshot-" + width + ".out"), "--screenshot=" + png, page.toUri().toString());
    }

    /** Runs headless Chromium once with the flags that work on a CI machine; returns its log. */
    private Path chromium(int width, int height, Path stdout, String... arguments) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium.orElseThrow().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + width + "," + height));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(dir, "chromium", ".log");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 120 s: " + String.join(" ", command));
        }
        return log;
    }

    /** Long package and method names, parameterized ids, breaches, regressions, missing fixtures and long fixture names. */
    static LlmReport demandingReport() {
        String pkg = "com.example.customer.support.ticketing.triage.integration";
        List<TestRecord> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = pkg + ".TriageServiceEndToEndTest$WhenTheCustomerWasChargedTwice#"
                    + "classifiesADoubleChargeAsHighPriorityBillingAndEscalatesItToTheSecondLineQueueWithinTheHour[" + i + "]";
            records.add(new TestRecord(id, "[" + i + "] ticket=Charged twice for May, locale=de-CH, channel=email",
                    i % 4 == 0 ? TestStatus.FAILED : TestStatus.PASSED, List.of(longCall(1), longCall(2)),
                    i % 4 == 0 ? List.of(new BudgetResult(BudgetResult.COST_PER_TEST, "0.0001", "0.00010170", false,
                            List.of(longCall(1).toString(), longCall(2).toString()))) : List.of(),
                    i % 4 == 0 ? "llmunit budget broken by " + id + ":" : ""));
        }
        records.add(new TestRecord(pkg + ".RefundsTest#refusesARefundAfterNinetyDays", "refusesARefundAfterNinetyDays()",
                TestStatus.FAILED, List.of(call(1, "0.0004", 912)), List.of(),
                "expected: <REFUND_REFUSED_BECAUSE_THE_PURCHASE_IS_OLDER_THAN_NINETY_DAYS_AND_NOT_UNDER_WARRANTY> but was: <REFUND_APPROVED>"));
        records.add(new TestRecord("Short#a", "a()", TestStatus.SKIPPED, List.of(), List.of(), ""));
        LlmReport report = LlmReport.of("pid4711-1767225600000", records, List.of());
        Baseline before = Baseline.empty().updatedWith(LlmReport.of("before", records.stream()
                .map(record -> new TestRecord(record.id(), record.displayName(), TestStatus.PASSED, record.calls().subList(0,
                        Math.min(1, record.calls().size())), List.of(), "")).toList(), List.of()));
        BaselineComparison comparison = before.compare("src/test/resources/a/rather/deep/folder/llmunit-baseline.json",
                report.tests(), new BigDecimal("0.10"), new BigDecimal("0.20"));
        ReportMissingFixture missing = new ReportMissingFixture("openai", "gpt-4o-mini-2024-07-18",
                "Subject: Charged twice for May. Body: Hello, I was charged twice for my May subscription and would like a refund",
                "/openai/v1/chat/completions", "openai-gpt-4o-mini-de1187c3b1fb",
                "messages[0].content differs at character 512: recorded \"…for my April subscription…\", sent \"…for my May"
                        + " subscription…\"; temperature 0.2 was recorded, 0.7 sent");
        return new LlmReport(report.runKey(), report.tests(), List.of(missing),
                new BudgetResult(BudgetResult.COST_SUITE, "0.001", "0.0016204", false, List.of("a very long offending test line")),
                comparison);
    }

    private static LlmCall longCall(int sequence) {
        String fixture = "anthropic-claude-haiku-4-5-20251001-with-a-hand-written-name-that-never-ends-8c210c899d24" + sequence;
        CallAttempt failed = new CallAttempt("openai", "gpt-4o-mini", 0, dev.llmunit.core.error.ErrorKind.QUOTA_EXHAUSTED,
                Duration.ofMillis(40), true, Duration.ZERO, Usage.NONE, Usd.ZERO, "openai-gpt-4o-mini-insufficient-quota");
        CallAttempt served = new CallAttempt("anthropic", "claude-haiku-4-5", 0, null, Duration.ofMillis(640), true,
                Duration.ZERO, new Usage(231, 27, 0, 0, 0), Usd.usd("0.00005085"), fixture);
        return new LlmCall(sequence, "router", "anthropic", "claude-haiku-4-5", new Usage(231, 27, 0, 0, 0), Usd.usd("0.00005085"),
                Duration.ofMillis(680), Duration.ZERO, Duration.ofNanos(310_000), List.of(failed, served), null, null,
                "Subject: Charged twice for May. Body: Hello, I was charged twice for my May subscription (order"
                        + " #A-2024-05-99817263541) and would like one of the two payments refunded to my card ending in 4242.",
                "{\"category\":\"BILLING\",\"priority\":\"HIGH\"}");
    }

    private static Optional<Path> chromiumBinary() {
        String configured = System.getProperty("llmunit.chromium");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new AssertionError("-Dllmunit.chromium=" + configured + " is not an executable file");
            }
            return Optional.of(path);
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String folder : pathVariable.split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
