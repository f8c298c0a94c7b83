package dev.llmunit.junit.internal;

import java.util.Arrays;

/**
 * The one place llmunit computes percentiles: by nearest rank, the definition the ledger, the
 * latency budgets, the report and the baseline gate share.
 */
public final class Percentiles {

    private Percentiles() {}

    /**
     * The nearest-rank percentile of some values.
     *
     * @param values the values, in any order (not changed)
     * @param percentile above 0 and at most 100, such as 95
     * @return the value at that rank; 0 for no values
     * @throws IllegalArgumentException when the percentile is out of range
     */
    public static long nearestRank(long[] values, double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be above 0 and at most 100, but was " + percentile);
        }
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }
}
