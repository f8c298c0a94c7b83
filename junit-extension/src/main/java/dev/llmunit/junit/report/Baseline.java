package dev.llmunit.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmunit.core.cost.Usd;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The committed {@code llmunit-baseline.json}: per test, what it cost, how many calls it made and
 * its p95 latency when the baseline was last accepted. The gate fails a run whose tests got worse
 * than that by more than a tolerance; {@code -Dllmunit.baseline=update} accepts the new values.
 *
 * <pre>{@code
 * {
 *   "version": 1,
 *   "tests": {
 *     "com.example.TriageTest#routesARefund": {"costUsd": "0.000435", "calls": 1, "latencyP95Ms": 640}
 *   }
 * }
 * }</pre>
 *
 * @param tests the entries by test id, sorted by id
 */
public record Baseline(SortedMap<String, Entry> tests) {

    /** The file format version this code writes and reads. */
    public static final int VERSION = 1;

    private static final String FIX = "correct the value, or delete the file and run the tests with "
            + "-Dllmunit.baseline=update to write it again";

    /** Validates and copies, sorted by id so the committed file diffs cleanly. */
    public Baseline {
        tests = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(tests, "tests")));
    }

    /**
     * One test's accepted values.
     *
     * @param cost what the test cost, or {@code null} when its cost was unknown
     * @param calls how many calls it made
     * @param latencyP95Ms the 95th-percentile judged latency of its calls, milliseconds
     * @param passRateLower for a repeated test, the lower bound of its Wilson 95 % pass-rate interval; else {@code null}
     */
    public record Entry(@Nullable Usd cost, int calls, long latencyP95Ms, @Nullable Double passRateLower) {

        /** Validates. */
        public Entry {
            if (calls < 0) {
                throw new IllegalArgumentException("calls must not be negative, but was " + calls);
            }
            if (latencyP95Ms < 0) {
                throw new IllegalArgumentException("latencyP95Ms must not be negative, but was " + latencyP95Ms);
            }
            if (passRateLower != null && !(passRateLower >= 0 && passRateLower <= 1)) {
                throw new IllegalArgumentException("passRateLower must be between 0 and 1, but was " + passRateLower);
            }
        }

        /**
         * The entry of a test that runs once.
         *
         * @param cost what it cost, or {@code null} when unknown
         * @param calls how many calls it made
         * @param latencyP95Ms its calls' p95 judged latency
         */
        public Entry(@Nullable Usd cost, int calls, long latencyP95Ms) {
            this(cost, calls, latencyP95Ms, null);
        }

        /**
         * A test's values as the baseline keeps them.
         *
         * @param test the test
         * @return its entry
         */
        public static Entry of(ReportTest test) {
            Double lower = test.repetitions() == null ? null
                    : ReportJson.rounded(test.repetitions().wilsonLower()).doubleValue();
            return new Entry(test.cost(), test.callCount(), test.latencyP95Ms(), lower);
        }
    }

    /**
     * A baseline with no tests.
     *
     * @return the empty baseline
     */
    public static Baseline empty() {
        return new Baseline(new TreeMap<>());
    }

    /**
     * Reads a baseline file.
     *
     * @param file the file, such as {@code llmunit-baseline.json}
     * @return the baseline
     * @throws IllegalStateException when the file is not a baseline, naming the file, the JSON path and the fix
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static Baseline read(Path file) {
        JsonNode root = JsonFiles.readTree(file, "baseline file", FIX);
        JsonFields json = new JsonFields("baseline file " + file, FIX);
        ObjectNode object = json.object(root, "$");
        JsonNode version = object.path("version");
        if (!version.isInt() || version.intValue() != VERSION) {
            throw json.error("$.version", String.valueOf(VERSION) + " (the only version this llmunit reads)", version);
        }
        ObjectNode tests = json.object(object.path("tests"), "$.tests");
        SortedMap<String, Entry> entries = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : tests.properties()) {
            String path = JsonFields.child("$.tests", field.getKey());
            ObjectNode entry = json.object(field.getValue(), path);
            entries.put(field.getKey(), new Entry(json.usdOrNull(entry, "costUsd", path), json.count(entry, "calls", path),
                    json.whole(entry, "latencyP95Ms", path), json.fractionOrNull(entry, "passRateLower", path)));
        }
        return new Baseline(entries);
    }

    /**
     * Writes the baseline as pretty JSON sorted by id, replacing the file atomically.
     *
     * @param file where to write
     */
    public void write(Path file) {
        JsonFiles.writeAtomically(file, toJson());
    }

    /**
     * The file's content.
     *
     * @return pretty JSON with {@code "\n"} line endings
     */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", VERSION);
        ObjectNode tests = root.putObject("tests");
        this.tests.forEach((id, entry) -> {
            ObjectNode node = tests.putObject(id);
            if (entry.cost() == null) {
                node.putNull("costUsd");
            } else {
                node.put("costUsd", entry.cost().toPlainString());
            }
            node.put("calls", entry.calls());
            node.put("latencyP95Ms", entry.latencyP95Ms());
            if (entry.passRateLower() != null) {
                node.put("passRateLower", ReportJson.rounded(entry.passRateLower()));
            }
        });
        return JsonFiles.toJson(root);
    }

    /**
     * This baseline with a run's passed tests accepted. Tests the run failed, skipped or did not run keep their
     * entries, since they may run in another shard or fork.
     *
     * @param report the run
     * @return the updated baseline
     */
    public Baseline updatedWith(LlmReport report) {
        SortedMap<String, Entry> updated = new TreeMap<>(tests);
        for (ReportTest test : report.tests()) {
            // A failed test may have stopped halfway with fewer, cheaper calls: accepting that would make
            // the next green run look like a regression. Only passed tests set the baseline.
            if (test.status() == TestStatus.PASSED) {
                updated.put(test.id(), Entry.of(test));
            }
        }
        return new Baseline(updated);
    }

    /**
     * Holds tests against this baseline. A test regresses when its cost exceeds the baseline's by more
     * than {@code costTolerance} (any cost after a free baseline, and an unknown cost after a known one,
     * regress), its p95 latency exceeds it by more than {@code latencyTolerance}, it makes more calls, or (a repeated
     * test) the lower bound of its Wilson 95 % pass-rate interval falls below the baseline's.
     * Skipped tests are not judged; tests without an entry are new, entries without a test not run.
     *
     * @param file the baseline file's name, for the comparison and its messages
     * @param tests the tests to judge
     * @param costTolerance a fraction, such as {@code 0.10} for +10 %
     * @param latencyTolerance a fraction, such as {@code 0.20} for +20 %
     * @return the comparison
     */
    public BaselineComparison compare(String file, List<ReportTest> tests, BigDecimal costTolerance,
            BigDecimal latencyTolerance) {
        Map<String, ReportTest> run = new TreeMap<>();
        tests.forEach(test -> run.put(test.id(), test));
        TreeSet<String> ids = new TreeSet<>(run.keySet());
        ids.addAll(this.tests.keySet());
        List<BaselineComparison.TestComparison> comparisons = new ArrayList<>();
        List<Regression> regressions = new ArrayList<>();
        for (String id : ids) {
            Entry before = this.tests.get(id);
            ReportTest test = run.get(id);
            if (test == null) {
                comparisons.add(new BaselineComparison.TestComparison(id, BaselineComparison.Status.NOT_RUN, before, null));
            } else if (test.status() == TestStatus.SKIPPED) {
                comparisons.add(new BaselineComparison.TestComparison(id, BaselineComparison.Status.SKIPPED, before, null));
            } else if (before == null) {
                comparisons.add(new BaselineComparison.TestComparison(id, BaselineComparison.Status.NEW, null, Entry.of(test)));
            } else {
                Entry after = Entry.of(test);
                List<Regression> found = regressions(id, before, after, costTolerance, latencyTolerance);
                regressions.addAll(found);
                comparisons.add(new BaselineComparison.TestComparison(id,
                        found.isEmpty() ? BaselineComparison.Status.WITHIN : BaselineComparison.Status.REGRESSED, before, after));
            }
        }
        return new BaselineComparison(file, costTolerance, latencyTolerance, comparisons, regressions);
    }

    private static List<Regression> regressions(String id, Entry before, Entry after, BigDecimal costTolerance,
            BigDecimal latencyTolerance) {
        List<Regression> found = new ArrayList<>();
        BigDecimal costFactor = BigDecimal.ONE.add(costTolerance);
        if (before.cost() != null) {
            String was = Formats.usd(before.cost());
            if (after.cost() == null) {
                found.add(new Regression(id, Regression.Metric.COST, was, "unknown",
                        "cost " + was + " -> unknown (a model without a price; unknown never passes as free)"));
            } else if (after.cost().amount().compareTo(before.cost().amount().multiply(costFactor)) > 0) {
                String now = Formats.usd(after.cost());
                String change = before.cost().amount().signum() == 0 ? "was free"
                        : Formats.change(before.cost().amount(), after.cost().amount());
                found.add(new Regression(id, Regression.Metric.COST, was, now,
                        "cost " + was + " -> " + now + " (" + change + ", tolerance " + Formats.tolerance(costTolerance) + ")"));
            }
        }
        if (after.calls() > before.calls()) {
            found.add(new Regression(id, Regression.Metric.CALLS, String.valueOf(before.calls()), String.valueOf(after.calls()),
                    "calls " + before.calls() + " -> " + after.calls()));
        }
        if (before.passRateLower() != null && after.passRateLower() != null && after.passRateLower() < before.passRateLower() - 1e-9) {
            String was = Formats.percent(before.passRateLower());
            String now = Formats.percent(after.passRateLower());
            found.add(new Regression(id, Regression.Metric.PASS_RATE, was, now, "pass rate lower bound (Wilson 95 %) " + was + " -> "
                    + now));
        }
        BigDecimal latencyBefore = BigDecimal.valueOf(before.latencyP95Ms());
        BigDecimal latencyAfter = BigDecimal.valueOf(after.latencyP95Ms());
        if (latencyAfter.compareTo(latencyBefore.multiply(BigDecimal.ONE.add(latencyTolerance))) > 0) {
            String was = before.latencyP95Ms() + " ms";
            String now = after.latencyP95Ms() + " ms";
            String change = latencyBefore.signum() == 0 ? "was 0 ms" : Formats.change(latencyBefore, latencyAfter);
            found.add(new Regression(id, Regression.Metric.LATENCY_P95, was, now,
                    "latency p95 " + was + " -> " + now + " (" + change + ", tolerance " + Formats.tolerance(latencyTolerance) + ")"));
        }
        return found;
    }
}
