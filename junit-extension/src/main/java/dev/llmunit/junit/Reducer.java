package dev.llmunit.junit;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a repeated test's runs become one verdict. Written as text in {@link LlmRepeat#reducer()}
 * and in an eval case's {@code options.reducer}:
 *
 * <table>
 *   <caption>reducers</caption>
 *   <tr><th>text</th><th>passes when, with {@code c} of {@code n} runs passed</th></tr>
 *   <tr><td>{@code minPassRate(0.8)}</td><td>{@code c / n >= 0.8}</td></tr>
 *   <tr><td>{@code atLeast(4)}</td><td>{@code c >= 4}</td></tr>
 *   <tr><td>{@code pass@3}, {@code pass@3(0.9)}</td><td>the unbiased estimate of pass@3 (the chance that at
 *       least one of 3 runs drawn from the {@code n} passes), {@code 1 - C(n-c, 3) / C(n, 3)}, is at least
 *       the minimum (default 1: every 3 runs contain a pass; with {@code n = 3}, at least one passed)</td></tr>
 *   <tr><td>{@code pass^3}, {@code pass^3(0.5)}</td><td>the estimate of pass^3 (the chance that all 3 runs
 *       drawn pass), {@code C(c, 3) / C(n, 3)}, is at least the minimum (default 1: every run passed)</td></tr>
 * </table>
 *
 * @param kind which reducer
 * @param k the count of {@code atLeast}, {@code pass@k} and {@code pass^k}; 0 for {@code minPassRate}
 * @param minimum the rate or estimate to reach; for {@code atLeast}, 0
 */
public record Reducer(Kind kind, int k, double minimum) {

    /** The reducer when none is named: every run must pass. */
    public static final Reducer DEFAULT = new Reducer(Kind.MIN_PASS_RATE, 0, 1.0);

    private static final Pattern RATE = Pattern.compile("minPassRate\\(\\s*([0-9.]+)\\s*\\)");
    private static final Pattern AT_LEAST = Pattern.compile("atLeast\\(\\s*([0-9]+)\\s*\\)");
    private static final Pattern PASS_K = Pattern.compile("pass([@^])([0-9]+)(?:\\(\\s*([0-9.]+)\\s*\\))?");

    /** The reducers. */
    public enum Kind {
        /** A share of the runs must pass. */
        MIN_PASS_RATE,
        /** A number of the runs must pass. */
        AT_LEAST,
        /** At least one of k runs passes (estimated). */
        PASS_AT_K,
        /** All of k runs pass (estimated). */
        PASS_POWER_K
    }

    /** Validates. */
    public Reducer {
        Objects.requireNonNull(kind, "kind");
        if (!(minimum >= 0 && minimum <= 1)) {
            throw new IllegalArgumentException("a reducer's minimum must be between 0 and 1, but was " + minimum);
        }
        if (kind != Kind.MIN_PASS_RATE && k < 1) {
            throw new IllegalArgumentException("a reducer's k must be at least 1, but was " + k);
        }
    }

    /**
     * Reads a reducer.
     *
     * @param text such as {@code minPassRate(0.8)}, {@code atLeast(4)}, {@code pass@3} or {@code pass^3(0.5)}
     * @return the reducer
     * @throws IllegalArgumentException naming the text and the valid forms
     */
    public static Reducer parse(String text) {
        String value = Objects.requireNonNull(text, "text").trim();
        Matcher matcher = RATE.matcher(value);
        try {
            if (matcher.matches()) {
                return new Reducer(Kind.MIN_PASS_RATE, 0, Double.parseDouble(matcher.group(1)));
            }
            matcher = AT_LEAST.matcher(value);
            if (matcher.matches()) {
                return new Reducer(Kind.AT_LEAST, Integer.parseInt(matcher.group(1)), 0);
            }
            matcher = PASS_K.matcher(value);
            if (matcher.matches()) {
                double minimum = matcher.group(3) == null ? 1.0 : Double.parseDouble(matcher.group(3));
                return new Reducer(matcher.group(1).equals("@") ? Kind.PASS_AT_K : Kind.PASS_POWER_K,
                        Integer.parseInt(matcher.group(2)), minimum);
            }
        } catch (IllegalArgumentException outOfRange) {
            throw new IllegalArgumentException("reducer '" + text + "': " + outOfRange.getMessage(), outOfRange);
        }
        throw new IllegalArgumentException("reducer '" + text + "' is not one llmunit knows; write minPassRate(0.8), atLeast(4),"
                + " pass@3, pass@3(0.9), pass^3 or pass^3(0.5)");
    }

    /**
     * Checks that the reducer can judge a number of runs.
     *
     * @param runs how many times the test runs
     * @throws IllegalArgumentException when {@code k} is more than the runs
     */
    public void checkRuns(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("a test repeats at least once, but repeat was " + runs);
        }
        if (kind != Kind.MIN_PASS_RATE && k > runs) {
            throw new IllegalArgumentException("reducer " + this + " needs at least " + k + " runs, but the test repeats " + runs
                    + " times; repeat it at least " + k + " times or lower k");
        }
    }

    /**
     * The reducer's own measure of the runs: the pass rate, the passed count, or the pass@k / pass^k estimate.
     *
     * @param passed runs that passed
     * @param runs all runs
     * @return the measure; for {@code atLeast}, the passed count
     */
    public double measure(int passed, int runs) {
        return switch (kind) {
            case MIN_PASS_RATE -> runs == 0 ? 0 : (double) passed / runs;
            case AT_LEAST -> passed;
            case PASS_AT_K -> 1.0 - choose(runs - passed, k) / choose(runs, k);
            case PASS_POWER_K -> choose(passed, k) / choose(runs, k);
        };
    }

    /**
     * The verdict on the runs.
     *
     * @param passed runs that passed
     * @param runs all runs
     * @return whether the test passes
     */
    public boolean passes(int passed, int runs) {
        double measure = measure(passed, runs);
        return switch (kind) {
            case AT_LEAST -> passed >= k;
            // The estimates are exact ratios of integers; a tiny tolerance keeps 0.8 from failing as 0.7999….
            default -> measure + 1e-12 >= minimum;
        };
    }

    /** The binomial coefficient as a double; 0 when {@code r > n}. */
    private static double choose(int n, int r) {
        if (r < 0 || r > n) {
            return 0;
        }
        double result = 1;
        for (int i = 1; i <= r; i++) {
            result = result * (n - r + i) / i;
        }
        return result;
    }

    @Override
    public String toString() {
        String min = BigDecimal.valueOf(minimum).stripTrailingZeros().toPlainString();
        return switch (kind) {
            case MIN_PASS_RATE -> "minPassRate(" + min + ")";
            case AT_LEAST -> "atLeast(" + k + ")";
            case PASS_AT_K -> "pass@" + k + (minimum == 1.0 ? "" : "(" + min + ")");
            case PASS_POWER_K -> "pass^" + k + (minimum == 1.0 ? "" : "(" + min + ")");
        };
    }

    /** Lower-case name of the kind, for JSON. */
    String kindName() {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
