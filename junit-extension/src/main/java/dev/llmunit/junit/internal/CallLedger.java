package dev.llmunit.junit.internal;

import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.EnsembleCall;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The thread-safe {@link LlmCalls} of one test (or of a class, for calls made outside any test).
 * Calls are numbered as they are added, under the same lock, so numbers follow the list's order.
 */
public final class CallLedger implements LlmCalls {

    private final String owner;
    private final List<LlmCall> calls;
    private final List<EnsembleCall> ensembles;
    private final boolean view;

    /**
     * Creates an empty ledger.
     *
     * @param owner what the ledger belongs to, for messages, such as {@code TriageTest#refund}
     */
    public CallLedger(String owner) {
        this(owner, new ArrayList<>(), new ArrayList<>(), false);
    }

    private CallLedger(String owner, List<LlmCall> calls, List<EnsembleCall> ensembles, boolean view) {
        this.owner = owner;
        this.calls = calls;
        this.ensembles = ensembles;
        this.view = view;
    }

    /**
     * Adds a call, giving it the next number.
     *
     * @param call builds the call from its number
     * @return the call added
     */
    public LlmCall add(IntFunction<LlmCall> call) {
        if (view) {
            throw new IllegalStateException("a filtered view of a ledger cannot take calls");
        }
        synchronized (calls) {
            LlmCall added = call.apply(calls.size() + 1);
            calls.add(added);
            return added;
        }
    }

    /**
     * Adds an ensemble run: its provider calls first, each with the next number, then the run,
     * under one lock so the run's calls are consecutive and the run sees them numbered.
     *
     * @param runCalls builds each provider call from its number
     * @param run builds the run from its number among the ledger's runs and the calls just added
     * @return the run added
     */
    public EnsembleCall addEnsemble(List<IntFunction<LlmCall>> runCalls, BiFunction<Integer, List<LlmCall>, EnsembleCall> run) {
        if (view) {
            throw new IllegalStateException("a filtered view of a ledger cannot take calls");
        }
        synchronized (calls) {
            List<LlmCall> added = new ArrayList<>(runCalls.size());
            for (IntFunction<LlmCall> call : runCalls) {
                LlmCall built = call.apply(calls.size() + 1);
                calls.add(built);
                added.add(built);
            }
            EnsembleCall built = run.apply(ensembles.size() + 1, added);
            ensembles.add(built);
            return built;
        }
    }

    /**
     * What the ledger belongs to.
     *
     * @return the owner, such as {@code TriageTest#refund}
     */
    public String owner() {
        return owner;
    }

    @Override
    public List<LlmCall> all() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public List<EnsembleCall> ensembles() {
        synchronized (calls) {
            return List.copyOf(ensembles);
        }
    }

    @Override
    public int count() {
        synchronized (calls) {
            return calls.size();
        }
    }

    @Override
    public LlmCall last() {
        List<LlmCall> all = all();
        if (all.isEmpty()) {
            throw new IllegalStateException(owner + " made no LLM call through the models llmunit injected, so there is no"
                    + " last call; check that the code under test uses the injected Router or ChatModel");
        }
        return all.get(all.size() - 1);
    }

    @Override
    public LlmCalls servedBy(String provider) {
        List<LlmCall> served = new ArrayList<>();
        for (LlmCall call : all()) {
            if (provider.equals(call.provider())) {
                served.add(call);
            }
        }
        return new CallLedger(owner + " served by " + provider, served, new ArrayList<>(), true);
    }

    @Override
    public @Nullable Usd totalCost() {
        return totalCost(all());
    }

    /**
     * What calls cost together: the one sum the ledger and the cost budgets share.
     *
     * @param calls the calls
     * @return the exact sum, or {@code null} when some call's cost is unknown (unknown is never free)
     */
    public static @Nullable Usd totalCost(List<LlmCall> calls) {
        Usd total = Usd.ZERO;
        for (LlmCall call : calls) {
            if (call.cost() == null) {
                return null;
            }
            total = total.plus(call.cost());
        }
        return total;
    }

    @Override
    public Usage totalUsage() {
        Usage total = Usage.NONE;
        for (LlmCall call : all()) {
            total = total.plus(call.usage());
        }
        return total;
    }

    @Override
    public Duration latencyPercentile(double percentile) {
        return percentile(all(), percentile);
    }

    /**
     * A nearest-rank percentile of calls' judged latency: the one definition budgets, assertions and the report share.
     *
     * @param calls the calls
     * @param percentile in (0, 100]
     * @return the latency at that rank, zero for no calls
     */
    public static Duration percentile(List<LlmCall> calls, double percentile) {
        long[] nanos = new long[calls.size()];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = calls.get(i).judgedLatency().toNanos();
        }
        return Duration.ofNanos(Percentiles.nearestRank(nanos, percentile));
    }

    @Override
    public Iterator<LlmCall> iterator() {
        return all().iterator();
    }

    @Override
    public String toString() {
        List<LlmCall> all = all();
        StringBuilder text = new StringBuilder(owner).append(": ").append(all.size()).append(all.size() == 1 ? " call" : " calls");
        for (LlmCall call : all) {
            text.append(System.lineSeparator()).append("  ").append(call);
        }
        for (EnsembleCall run : ensembles()) {
            text.append(System.lineSeparator()).append("  ").append(run);
        }
        return text.toString();
    }
}
