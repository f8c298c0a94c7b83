package dev.llmunit.junit.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run's tests held against the committed baseline: each test before and after, and the regressions.
 *
 * @param file the baseline file as named in settings, such as {@code llmunit-baseline.json}
 * @param costTolerance how much more a test may cost, as a fraction ({@code 0.10} is +10 %)
 * @param latencyTolerance how much slower its p95 latency may get, as a fraction
 * @param tests every test of the run and of the baseline, sorted by id
 * @param regressions what got worse, in test id order
 */
public record BaselineComparison(String file, BigDecimal costTolerance, BigDecimal latencyTolerance,
        List<TestComparison> tests, List<Regression> regressions) {

    /** Validates and copies. */
    public BaselineComparison {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(costTolerance, "costTolerance");
        Objects.requireNonNull(latencyTolerance, "latencyTolerance");
        tests = List.copyOf(Objects.requireNonNull(tests, "tests"));
        regressions = List.copyOf(Objects.requireNonNull(regressions, "regressions"));
    }

    /** How a test compares with its baseline entry. */
    public enum Status {
        /** In the baseline and within every tolerance. */
        WITHIN,
        /** In the baseline and worse than a tolerance allows: a failure. */
        REGRESSED,
        /** Not in the baseline yet: listed, never a failure. */
        NEW,
        /** In the baseline but not run (another shard or fork, or removed): listed, never a failure. */
        NOT_RUN,
        /** Skipped in this run, so not judged. */
        SKIPPED
    }

    /**
     * One test's before and after.
     *
     * @param id the test's id
     * @param status how it compares
     * @param before its baseline entry, or {@code null} when it has none
     * @param after this run's values, or {@code null} when it did not run or was skipped
     */
    public record TestComparison(String id, Status status, Baseline.@Nullable Entry before, Baseline.@Nullable Entry after) {

        /** Validates. */
        public TestComparison {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * The ids of tests with a given status.
     *
     * @param status the status
     * @return the ids, sorted
     */
    public List<String> idsWith(Status status) {
        return tests.stream().filter(test -> test.status() == status).map(TestComparison::id).toList();
    }
}
