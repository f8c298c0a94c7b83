package dev.llmunit.core.error;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts failures per provider and {@link ErrorKind}, safely from many threads. Every router owns
 * one ({@code router.errors()}); counts only grow.
 */
public final class ErrorAggregator {

    private static final ErrorKind[] KINDS = ErrorKind.values();

    private final ConcurrentHashMap<String, LongAdder[]> counts = new ConcurrentHashMap<>();

    /** Creates an aggregator with no counts. */
    public ErrorAggregator() {}

    /**
     * Counts one failure.
     *
     * @param provider the provider that failed
     * @param kind the failure's kind
     */
    public void record(String provider, ErrorKind kind) {
        counts.computeIfAbsent(provider, name -> newCounters())[kind.ordinal()].increment();
    }

    /**
     * The number of failures of one kind at one provider.
     *
     * @param provider the provider name
     * @param kind the kind
     * @return the count, 0 for a provider never seen
     */
    public long count(String provider, ErrorKind kind) {
        LongAdder[] counters = counts.get(provider);
        return counters == null ? 0 : counters[kind.ordinal()].sum();
    }

    /**
     * All failures of one provider.
     *
     * @param provider the provider name
     * @return the total over every kind
     */
    public long total(String provider) {
        LongAdder[] counters = counts.get(provider);
        long sum = 0;
        if (counters != null) {
            for (LongAdder counter : counters) {
                sum += counter.sum();
            }
        }
        return sum;
    }

    /**
     * The counts of one provider by kind; kinds with no failure are left out.
     *
     * @param provider the provider name
     * @return an immutable map in {@link ErrorKind} order
     */
    public Map<ErrorKind, Long> byKind(String provider) {
        LongAdder[] counters = counts.get(provider);
        EnumMap<ErrorKind, Long> result = new EnumMap<>(ErrorKind.class);
        if (counters != null) {
            for (ErrorKind kind : KINDS) {
                long count = counters[kind.ordinal()].sum();
                if (count > 0) {
                    result.put(kind, count);
                }
            }
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    /**
     * Every provider's counts by kind.
     *
     * @return provider name to counts, sorted by provider name
     */
    public Map<String, Map<ErrorKind, Long>> snapshot() {
        Map<String, Map<ErrorKind, Long>> result = new LinkedHashMap<>();
        counts.keySet().stream().sorted().forEach(provider -> result.put(provider, byKind(provider)));
        return java.util.Collections.unmodifiableMap(result);
    }

    private static LongAdder[] newCounters() {
        LongAdder[] counters = new LongAdder[KINDS.length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
        return counters;
    }
}
