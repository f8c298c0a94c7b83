package dev.llmunit.junit;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The runs of a repeated test and the verdict its {@link Reducer} gives them, as the report shows
 * them: each run's outcome, the pass rate with its Wilson 95 % interval, and a label.
 *
 * @param reducer the reducer that gave the verdict
 * @param runs each run in order, from 1
 * @param passed the reducer's verdict
 */
public record Repetitions(Reducer reducer, List<Run> runs, boolean passed) {

    /** z for a two-sided 95 % interval. */
    private static final double Z95 = 1.959963984540054;

    /** Stable: every run passed. */
    public static final String STABLE = "stable";
    /** Flaky: some runs passed, some failed. */
    public static final String FLAKY = "flaky";
    /** Failing: no run passed. */
    public static final String FAILING = "failing";

    /**
     * One run of a repeated test.
     *
     * @param index the run's number, from 1; in playback it played the recorded sample of that number
     * @param passed whether the run passed
     * @param failure the first line of its failure, empty when it passed
     */
    public record Run(int index, boolean passed, String failure) {

        /** Validates. */
        public Run {
            if (index < 1) {
                throw new IllegalArgumentException("index must be at least 1, but was " + index);
            }
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** Validates and copies. */
    public Repetitions {
        Objects.requireNonNull(reducer, "reducer");
        runs = List.copyOf(Objects.requireNonNull(runs, "runs"));
    }

    /**
     * Judges runs with a reducer.
     *
     * @param reducer the reducer
     * @param runs the runs, in order
     * @return the runs with the reducer's verdict
     */
    public static Repetitions judge(Reducer reducer, List<Run> runs) {
        int passed = (int) runs.stream().filter(Run::passed).count();
        return new Repetitions(reducer, runs, reducer.passes(passed, runs.size()));
    }

    /**
     * How many runs passed.
     *
     * @return the count
     */
    public int passedRuns() {
        return (int) runs.stream().filter(Run::passed).count();
    }

    /**
     * The share of runs that passed.
     *
     * @return 0 to 1
     */
    public double passRate() {
        return runs.isEmpty() ? 0 : (double) passedRuns() / runs.size();
    }

    /**
     * The lower end of the Wilson score 95 % interval of the pass rate: what the baseline gate compares,
     * so a rate measured on few runs is not taken for more than it shows.
     *
     * @return 0 to 1
     */
    public double wilsonLower() {
        return wilson(passedRuns(), runs.size(), -1);
    }

    /**
     * The upper end of the Wilson score 95 % interval of the pass rate.
     *
     * @return 0 to 1
     */
    public double wilsonUpper() {
        return wilson(passedRuns(), runs.size(), 1);
    }

    /**
     * The Wilson score interval end for {@code passed} of {@code runs} at 95 %.
     *
     * @param passed successes
     * @param runs trials
     * @param sign -1 for the lower end, 1 for the upper
     * @return the end, clamped to [0, 1]; 0 and 1 for no runs
     */
    public static double wilson(int passed, int runs, int sign) {
        if (runs == 0) {
            return sign < 0 ? 0 : 1;
        }
        double n = runs;
        double p = passed / n;
        double z2 = Z95 * Z95;
        double centre = p + z2 / (2 * n);
        double spread = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        double end = (centre + sign * spread) / (1 + z2 / n);
        return Math.max(0, Math.min(1, end));
    }

    /**
     * What the runs show: {@value #STABLE} when all passed, {@value #FAILING} when none did, else {@value #FLAKY}.
     *
     * @return the label
     */
    public String label() {
        int passed = passedRuns();
        return passed == runs.size() ? STABLE : passed == 0 ? FAILING : FLAKY;
    }

    /**
     * One line for messages and the console.
     *
     * @return such as {@code 4/5 runs passed (80 %, Wilson 95 % 38–96 %), flaky; minPassRate(0.8): passed}
     */
    public String summary() {
        return passedRuns() + "/" + runs.size() + " runs passed (" + percent(passRate()) + ", Wilson 95 % "
                + percent(wilsonLower()).replace(" %", "") + "–" + percent(wilsonUpper()) + "), " + label() + "; "
                + reducer + " " + (reducer.kind() == Reducer.Kind.AT_LEAST ? "" : "measured "
                + String.format(Locale.ROOT, "%.3f", reducer.measure(passedRuns(), runs.size())) + ": ")
                + (passed ? "passed" : "FAILED");
    }

    private static String percent(double value) {
        return Math.round(value * 100) + " %";
    }
}
