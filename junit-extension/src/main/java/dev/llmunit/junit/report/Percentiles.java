package dev.llmunit.junit.report;

import java.util.Arrays;

/** The one place the report computes percentiles, by nearest rank like {@code LlmCalls#latencyPercentile}. */
final class Percentiles {

    private Percentiles() {}

    static long nearestRank(long[] values, double percentile) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }
}
