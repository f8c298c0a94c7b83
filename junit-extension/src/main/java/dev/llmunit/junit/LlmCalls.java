package dev.llmunit.junit;

import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The call ledger of one test: every LLM call the test made through the routers and models llmunit
 * injected, including calls made deep inside the code under test (an {@code AiServices} proxy, a
 * service class holding the injected model). Inject it as a test method parameter:
 *
 * <pre>{@code
 * @Test
 * void triagesARefundRequest(Router router, LlmCalls calls) {
 *     new TriageService(router).triage("I want my money back");
 *     assertThat(calls).hasSize(1).costsAtMost(usd("0.002"));
 * }
 * }</pre>
 *
 * <p>An ensemble run adds one call per member sample (and per judge or fuser call), so budgets count
 * every member, and one {@link EnsembleCall} to {@link #ensembles()}.
 *
 * <p>Thread-safe: calls made from other threads land in the same ledger as long as they go through
 * a model injected for this test. The views are snapshots.
 */
public interface LlmCalls extends Iterable<LlmCall> {

    /**
     * The calls so far, in the order they finished.
     *
     * @return a snapshot
     */
    List<LlmCall> all();

    /**
     * The ensemble runs so far, in the order they finished: each ties its members' calls (which are
     * in {@link #all()} too) to the votes, clusters and confidence.
     *
     * @return a snapshot; empty when the test used no injected {@code Ensemble}
     */
    List<EnsembleCall> ensembles();

    /**
     * The number of calls so far.
     *
     * @return the call count
     */
    int count();

    /**
     * The most recent call.
     *
     * @return the last call
     * @throws IllegalStateException when the test made no call, with a message saying so
     */
    LlmCall last();

    /**
     * The calls a provider served.
     *
     * @param provider the provider name, such as {@code openai}
     * @return a ledger view of those calls
     */
    LlmCalls servedBy(String provider);

    /**
     * What all calls cost together.
     *
     * @return the exact sum, or {@code null} when some call's cost is unknown
     */
    @Nullable Usd totalCost();

    /**
     * The tokens of all calls together.
     *
     * @return the summed usage
     */
    Usage totalUsage();

    /**
     * A percentile of the calls' {@link LlmCall#judgedLatency() judged latency}, by the nearest-rank method.
     *
     * @param percentile between 0 (exclusive) and 100 (inclusive), such as 95
     * @return the latency at that rank; zero when there are no calls
     * @throws IllegalArgumentException when the percentile is out of range
     */
    Duration latencyPercentile(double percentile);
}
