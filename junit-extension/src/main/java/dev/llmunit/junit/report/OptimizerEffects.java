package dev.llmunit.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The "Optimizer effects" of a run's {@link dev.llmunit.junit.OptimizerExperiment experiments}:
 * per test the two arms (A without, B with the optimizer) and their differences, and in total the
 * paired differences B − A with 95 % intervals from a paired bootstrap over the tests (a fixed
 * seed, so a report is the same on every run), and a verdict in words. Written into
 * {@code report.json} ({@code optimizerEffects}) and {@code report.html} after the run's report,
 * from parts every JVM of the run leaves in {@code parts/optimizer-effects/}.
 */
public final class OptimizerEffects {

    /** The bootstrap's seed: {@value}. */
    public static final long SEED = 20_261_202L;

    /** Bootstrap resamples: {@value}. */
    public static final int RESAMPLES = 10_000;

    /** The directory under {@code parts/} that holds each JVM's experiments. */
    static final String PARTS = "optimizer-effects";

    private OptimizerEffects() {}

    /**
     * What one arm of a test did.
     *
     * @param passed whether the test body passed in this arm
     * @param quality the mean score of its answers, or null when none was scored
     * @param tokens input plus output tokens of its calls
     * @param costUsd what its calls cost, or null when a price was unknown
     * @param p95LatencyMs the nearest-rank p95 of its calls' judged latency, 0 without calls
     * @param calls how many calls it made
     * @param failure the first line of its failure, empty when it passed
     */
    public record Arm(boolean passed, @Nullable Double quality, long tokens, @Nullable BigDecimal costUsd, long p95LatencyMs, int calls,
            String failure) {}

    /**
     * One test's two arms.
     *
     * @param testId the test's report id
     * @param gate the arm the test's verdict and record follow, {@code "A"} or {@code "B"}
     * @param a arm A, without the optimizer
     * @param b arm B, with the optimizer
     */
    public record Pair(String testId, String gate, Arm a, Arm b) {}

    /**
     * A difference and its 95 % interval; the interval is null with fewer than two tests.
     *
     * @param estimate the difference over all tests
     * @param low the 2.5th percentile of the bootstrap, or null
     * @param high the 97.5th percentile of the bootstrap, or null
     * @param tests how many tests it rests on
     */
    public record Interval(double estimate, @Nullable Double low, @Nullable Double high, int tests) {

        /**
         * Whether the interval excludes zero: a detected change.
         *
         * @return false without an interval
         */
        public boolean detected() {
            return low != null && high != null && (low > 0 || high < 0);
        }
    }

    /**
     * The total over all tests.
     *
     * @param tests the number of paired tests
     * @param passedA tests arm A passed
     * @param passedB tests arm B passed
     * @param passRate B's pass rate minus A's
     * @param quality mean quality difference, over tests with scores in both arms
     * @param tokens relative token change, ΣB / ΣA − 1
     * @param cost relative cost change, ΣB / ΣA − 1, over tests with known costs; null when none
     * @param p95LatencyMs mean difference of the tests' p95 judged latency, ms
     * @param verdict the plain sentence
     */
    public record Totals(int tests, int passedA, int passedB, Interval passRate, @Nullable Interval quality, @Nullable Interval tokens,
            @Nullable Interval cost, Interval p95LatencyMs, String verdict) {}

    /**
     * Computes the totals.
     *
     * @param pairs the tests' arms
     * @return the totals and verdict
     */
    public static Totals totals(List<Pair> pairs) {
        int passedA = 0;
        int passedB = 0;
        for (Pair pair : pairs) {
            passedA += pair.a().passed() ? 1 : 0;
            passedB += pair.b().passed() ? 1 : 0;
        }
        Interval pass = mean(pairs, pair -> (pair.b().passed() ? 1 : 0) - (pair.a().passed() ? 1 : 0));
        List<Pair> scored = pairs.stream().filter(pair -> pair.a().quality() != null && pair.b().quality() != null).toList();
        Interval quality = scored.isEmpty() ? null : mean(scored, pair -> pair.b().quality() - pair.a().quality());
        Interval tokens = ratio(pairs, pair -> pair.a().tokens(), pair -> pair.b().tokens());
        List<Pair> priced = pairs.stream().filter(pair -> pair.a().costUsd() != null && pair.b().costUsd() != null).toList();
        Interval cost = ratio(priced, pair -> pair.a().costUsd().doubleValue(), pair -> pair.b().costUsd().doubleValue());
        Interval latency = mean(pairs, pair -> pair.b().p95LatencyMs() - pair.a().p95LatencyMs());
        return new Totals(pairs.size(), passedA, passedB, pass, quality, tokens, cost, latency,
                verdict(pairs.size(), passedA, passedB, quality, cost, tokens));
    }

    /** The plain sentence: cost (or tokens) first, then quality, then passes. */
    static String verdict(int tests, int passedA, int passedB, @Nullable Interval quality, @Nullable Interval cost,
            @Nullable Interval tokens) {
        if (tests == 0) {
            return "No experiment ran.";
        }
        StringBuilder text = new StringBuilder();
        Interval money = cost != null ? cost : tokens;
        String what = cost != null ? "cost" : "tokens";
        if (money == null) {
            text.append("B's cost cannot be compared (no priced calls)");
        } else if (money.low() == null) {
            text.append("B ").append(money.estimate() <= 0 ? "is cheaper by " : "costs more by ").append(wholePercent(Math.abs(money.estimate())))
                    .append(" (one test: no interval)");
        } else if (money.high() < 0) {
            text.append("B is ").append(cost != null ? "cheaper" : "shorter").append(" by ").append(wholePercent(-money.estimate()))
                    .append(" [").append(whole(-money.high() * 100)).append(", ").append(whole(-money.low() * 100)).append("]");
        } else if (money.low() > 0) {
            text.append("B ").append(cost != null ? "costs more" : "uses more tokens").append(" by ").append(wholePercent(money.estimate()))
                    .append(" [").append(whole(money.low() * 100)).append(", ").append(whole(money.high() * 100)).append("]");
        } else {
            text.append("no ").append(what).append(" change detected (").append(signedPercent(money.estimate())).append(" [")
                    .append(whole(money.low() * 100)).append(", ").append(whole(money.high() * 100)).append("])");
        }
        text.append(", ");
        if (quality == null) {
            text.append("quality not scored");
        } else if (quality.detected()) {
            boolean higher = quality.estimate() > 0;
            text.append("quality ").append(higher ? "higher" : "lower").append(" by ").append(number(Math.abs(quality.estimate())))
                    .append(" [").append(number(higher ? quality.low() : -quality.high())).append(", ")
                    .append(number(higher ? quality.high() : -quality.low())).append("]");
        } else {
            text.append("no quality change detected");
        }
        text.append("; ");
        if (passedA == passedB) {
            text.append("both arms pass ").append(passedB).append(" of ").append(tests).append(tests == 1 ? " test" : " tests");
        } else {
            text.append("B passes ").append(passedB).append(" of ").append(tests).append(tests == 1 ? " test" : " tests")
                    .append(", A ").append(passedA);
        }
        String sentence = text.append('.').toString();
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    private static Interval mean(List<Pair> pairs, ToDoubleFunction<Pair> delta) {
        int n = pairs.size();
        double[] values = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            values[i] = delta.applyAsDouble(pairs.get(i));
            sum += values[i];
        }
        double estimate = n == 0 ? 0 : sum / n;
        if (n < 2) {
            return new Interval(estimate, null, null, n);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] means = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += values[random.nextInt(n)];
            }
            means[r] = total / n;
        }
        return new Interval(estimate, percentile(means, 2.5), percentile(means, 97.5), n);
    }

    private static @Nullable Interval ratio(List<Pair> pairs, ToDoubleFunction<Pair> a, ToDoubleFunction<Pair> b) {
        int n = pairs.size();
        double sumA = 0;
        double sumB = 0;
        double[] as = new double[n];
        double[] bs = new double[n];
        for (int i = 0; i < n; i++) {
            as[i] = a.applyAsDouble(pairs.get(i));
            bs[i] = b.applyAsDouble(pairs.get(i));
            sumA += as[i];
            sumB += bs[i];
        }
        if (n == 0 || sumA <= 0) {
            return null;
        }
        double estimate = sumB / sumA - 1;
        if (n < 2) {
            return new Interval(estimate, null, null, n);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        int kept = 0;
        for (int r = 0; r < RESAMPLES; r++) {
            double totalA = 0;
            double totalB = 0;
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(n);
                totalA += as[pick];
                totalB += bs[pick];
            }
            if (totalA > 0) {
                ratios[kept++] = totalB / totalA - 1;
            }
        }
        double[] used = java.util.Arrays.copyOf(ratios, kept);
        return new Interval(estimate, percentile(used, 2.5), percentile(used, 97.5), n);
    }

    private static double percentile(double[] values, double percentile) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    // ---- writing ----------------------------------------------------------------------------------

    /**
     * Leaves this JVM's experiments as a part and rewrites the run's {@code report.json} and
     * {@code report.html} with the section over every part of the run. Does nothing without experiments.
     *
     * @param own this JVM's pairs
     * @param reportDir the report directory
     * @param runKey the run's key
     * @param execution a number distinct per call in this JVM
     */
    public static void write(List<Pair> own, Path reportDir, String runKey, int execution) {
        if (own.isEmpty()) {
            return;
        }
        Path parts = reportDir.resolve(LlmRunReport.PARTS_DIR).resolve(PARTS);
        try {
            Files.createDirectories(parts);
            try (FileChannel channel = FileChannel.open(reportDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                Path file = parts.resolve(LlmRunReport.partFileName(runKey, ProcessHandle.current().pid(), execution));
                ObjectNode part = JsonFiles.MAPPER.createObjectNode();
                part.put("runKey", runKey);
                ArrayNode tests = part.putArray("tests");
                own.forEach(pair -> tests.add(pairJson(pair)));
                JsonFiles.writeAtomically(file, JsonFiles.toJson(part));
                List<Pair> all = readParts(parts, runKey);
                Totals totals = totals(all);
                Path json = reportDir.resolve(LlmRunReport.REPORT_JSON);
                if (Files.exists(json)) {
                    JsonNode report = JsonFiles.readTree(json, "report", "delete target/llmunit and run again");
                    if (report instanceof ObjectNode object) {
                        object.set("optimizerEffects", json(all, totals));
                        JsonFiles.writeAtomically(json, JsonFiles.toJson(object));
                    }
                }
                Path html = reportDir.resolve(LlmRunReport.REPORT_HTML);
                if (Files.exists(html)) {
                    String page = Files.readString(html);
                    int at = page.indexOf("<footer");
                    String section = html(all, totals);
                    page = at < 0 ? page + section : page.substring(0, at) + section + page.substring(at);
                    JsonFiles.writeAtomically(html, page);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("llmunit could not write the optimizer effects in " + reportDir + ": " + e.getMessage(), e);
        }
    }

    private static List<Pair> readParts(Path parts, String runKey) throws IOException {
        Map<String, Pair> byTest = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(parts, "*.json")) {
            stream.forEach(files::add);
        }
        files.sort(java.util.Comparator.comparing(Path::toString));
        for (Path file : files) {
            JsonNode part = JsonFiles.readTree(file, "optimizer effects part", "delete target/llmunit and run again");
            if (!runKey.equals(part.path("runKey").asText())) {
                Files.deleteIfExists(file); // an earlier run's
                continue;
            }
            for (JsonNode test : part.path("tests")) {
                Pair pair = new Pair(test.path("id").asText(), test.path("gate").asText("B"), arm(test.path("a")), arm(test.path("b")));
                byTest.put(pair.testId(), pair);
            }
        }
        return new ArrayList<>(byTest.values());
    }

    private static Arm arm(JsonNode node) {
        JsonNode quality = node.get("quality");
        JsonNode cost = node.get("costUsd");
        return new Arm(node.path("passed").asBoolean(), quality == null || quality.isNull() ? null : quality.asDouble(),
                node.path("tokens").asLong(), cost == null || cost.isNull() ? null : new BigDecimal(cost.asText()),
                node.path("p95LatencyMs").asLong(), node.path("calls").asInt(), node.path("failure").asText(""));
    }

    private static ObjectNode pairJson(Pair pair) {
        ObjectNode node = JsonFiles.MAPPER.createObjectNode();
        node.put("id", pair.testId());
        node.put("gate", pair.gate());
        node.set("a", armJson(pair.a()));
        node.set("b", armJson(pair.b()));
        ObjectNode delta = node.putObject("delta");
        delta.put("passed", (pair.b().passed() ? 1 : 0) - (pair.a().passed() ? 1 : 0));
        if (pair.a().quality() != null && pair.b().quality() != null) {
            delta.put("quality", round(pair.b().quality() - pair.a().quality()));
        }
        delta.put("tokens", pair.b().tokens() - pair.a().tokens());
        if (pair.a().costUsd() != null && pair.b().costUsd() != null) {
            delta.put("costUsd", pair.b().costUsd().subtract(pair.a().costUsd()).toPlainString());
        }
        delta.put("p95LatencyMs", pair.b().p95LatencyMs() - pair.a().p95LatencyMs());
        return node;
    }

    private static ObjectNode armJson(Arm arm) {
        ObjectNode node = JsonFiles.MAPPER.createObjectNode();
        node.put("passed", arm.passed());
        if (arm.quality() == null) {
            node.putNull("quality");
        } else {
            node.put("quality", round(arm.quality()));
        }
        node.put("tokens", arm.tokens());
        if (arm.costUsd() == null) {
            node.putNull("costUsd");
        } else {
            node.put("costUsd", arm.costUsd().toPlainString());
        }
        node.put("p95LatencyMs", arm.p95LatencyMs());
        node.put("calls", arm.calls());
        node.put("failure", arm.failure());
        return node;
    }

    static ObjectNode json(List<Pair> pairs, Totals totals) {
        ObjectNode node = JsonFiles.MAPPER.createObjectNode();
        node.put("bootstrap", "paired, over tests, " + RESAMPLES + " resamples, seed " + SEED + ", 95 % percentile intervals");
        ObjectNode total = node.putObject("total");
        total.put("tests", totals.tests());
        total.put("passedA", totals.passedA());
        total.put("passedB", totals.passedB());
        interval(total, "passRate", totals.passRate());
        interval(total, "quality", totals.quality());
        interval(total, "tokensRelative", totals.tokens());
        interval(total, "costRelative", totals.cost());
        interval(total, "p95LatencyMs", totals.p95LatencyMs());
        total.put("verdict", totals.verdict());
        ObjectNode classes = node.putObject("classes");
        byClass(pairs).forEach((className, members) -> {
            Totals own = totals(members);
            ObjectNode entry = classes.putObject(className);
            entry.put("tests", own.tests());
            interval(entry, "quality", own.quality());
            interval(entry, "costRelative", own.cost());
            entry.put("verdict", own.verdict());
        });
        ArrayNode tests = node.putArray("tests");
        pairs.forEach(pair -> tests.add(pairJson(pair)));
        return node;
    }

    private static void interval(ObjectNode parent, String field, @Nullable Interval interval) {
        if (interval == null) {
            parent.putNull(field);
            return;
        }
        ObjectNode node = parent.putObject(field);
        node.put("estimate", round(interval.estimate()));
        if (interval.low() == null) {
            node.putNull("low");
            node.putNull("high");
        } else {
            node.put("low", round(interval.low()));
            node.put("high", round(interval.high()));
        }
    }

    static String html(List<Pair> pairs, Totals totals) {
        StringBuilder html = new StringBuilder(4096);
        ReportHtml.openSection(html, "optimizer-effects", "Optimizer effects");
        html.append("<p><strong>").append(ReportHtml.escape(totals.verdict())).append("</strong></p>\n")
                .append("<p class=\"note\">Arm A ran each test without the optimizer, arm B with it, each on its own recordings. ")
                .append("Differences are B − A; intervals are 95 % paired-bootstrap intervals over the ").append(totals.tests())
                .append(" tests (").append(RESAMPLES).append(" resamples, seed ").append(SEED).append(").</p>\n");
        Map<String, List<Pair>> classes = byClass(pairs);
        if (classes.size() > 1) {
            html.append("<ul>\n");
            classes.forEach((className, members) -> html.append("<li><code>").append(ReportHtml.escape(className)).append("</code>: ")
                    .append(ReportHtml.escape(totals(members).verdict())).append("</li>\n"));
            html.append("</ul>\n");
        }
        html.append("<table>\n<thead><tr><th>total</th><th>B − A</th><th>95 % interval</th></tr></thead>\n<tbody>\n");
        row(html, "pass rate", totals.passRate(), true, false);
        row(html, "quality score", totals.quality(), false, false);
        row(html, "tokens", totals.tokens(), true, true);
        row(html, "cost", totals.cost(), true, true);
        row(html, "p95 latency (ms, judged)", totals.p95LatencyMs(), false, false);
        html.append("</tbody>\n</table>\n");
        html.append("<table>\n<thead><tr><th>test</th><th>gate</th><th>passed A / B</th><th>quality A / B</th><th>tokens A / B</th>")
                .append("<th>cost A / B</th><th>p95 ms A / B</th></tr></thead>\n<tbody>\n");
        for (Pair pair : pairs) {
            html.append("<tr><td>").append(ReportHtml.escape(pair.testId())).append("</td><td>").append(pair.gate()).append("</td><td>")
                    .append(pair.a().passed() ? "yes" : "no").append(" / ").append(pair.b().passed() ? "yes" : "no").append("</td><td>")
                    .append(quality(pair.a())).append(" / ").append(quality(pair.b())).append("</td><td>").append(pair.a().tokens())
                    .append(" / ").append(pair.b().tokens()).append("</td><td>").append(cost(pair.a())).append(" / ").append(cost(pair.b()))
                    .append("</td><td>").append(pair.a().p95LatencyMs()).append(" / ").append(pair.b().p95LatencyMs()).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        ReportHtml.closeSection(html);
        return html.toString();
    }

    /** The pairs per test class (the id before {@code #}), in first-seen order: each class is usually one experiment. */
    static Map<String, List<Pair>> byClass(List<Pair> pairs) {
        Map<String, List<Pair>> classes = new LinkedHashMap<>();
        for (Pair pair : pairs) {
            int hash = pair.testId().indexOf('#');
            classes.computeIfAbsent(hash < 0 ? pair.testId() : pair.testId().substring(0, hash), key -> new ArrayList<>()).add(pair);
        }
        return classes;
    }

    private static void row(StringBuilder html, String name, @Nullable Interval interval, boolean asPercent, boolean relative) {
        html.append("<tr><td>").append(name).append("</td><td>");
        if (interval == null) {
            html.append("n/a</td><td>n/a</td></tr>\n");
            return;
        }
        html.append(asPercent ? signedPercent(interval.estimate()) + (relative ? "" : " pts") : signed(interval.estimate()))
                .append("</td><td>");
        if (interval.low() == null) {
            html.append("too few tests");
        } else if (asPercent) {
            html.append('[').append(number(interval.low() * 100)).append(", ").append(number(interval.high() * 100)).append("] %");
        } else {
            html.append('[').append(number(interval.low())).append(", ").append(number(interval.high())).append(']');
        }
        html.append("</td></tr>\n");
    }

    private static String quality(Arm arm) {
        return arm.quality() == null ? "–" : String.format(Locale.ROOT, "%.2f", arm.quality());
    }

    private static String cost(Arm arm) {
        return arm.costUsd() == null ? "unknown" : "$" + arm.costUsd().toPlainString();
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    /** Percent in whole numbers, as the verdict states it: a bootstrap interval is not precise to a tenth. */
    private static String whole(double percent) {
        long rounded = Math.round(percent);
        return rounded == 0 ? "0" : Long.toString(rounded);
    }

    private static String wholePercent(double fraction) {
        return whole(fraction * 100) + " %";
    }

    private static String percent(double fraction) {
        return number(fraction * 100) + " %";
    }

    private static String signedPercent(double fraction) {
        return (fraction > 0 ? "+" : "") + percent(fraction);
    }

    private static String signed(double value) {
        return (value > 0 ? "+" : "") + number(value);
    }

    private static String number(double value) {
        double rounded = Math.abs(value) >= 10 ? Math.round(value) : Math.round(value * 100) / 100.0;
        String text = rounded == Math.rint(rounded) ? Long.toString((long) rounded) : String.format(Locale.ROOT, "%.2f", rounded);
        return "-0".equals(text) ? "0" : text;
    }
}
