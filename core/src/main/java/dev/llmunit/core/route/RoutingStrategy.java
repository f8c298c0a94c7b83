package dev.llmunit.core.route;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.internal.Strategies;
import java.util.List;

/**
 * Orders the providers for one request: the router tries the first, falls back to the second,
 * and so on. A custom strategy is a lambda that reorders (or filters) the candidates it is given:
 *
 * <pre>{@code
 * RoutingStrategy anthropicOnlyForLongChats = (request, candidates) ->
 *         request.messages().size() > 20
 *                 ? candidates.stream().filter(c -> c.name().equals("anthropic")).toList()
 *                 : candidates;
 * }</pre>
 *
 * <p>Strategies are called on every routed call from many threads: keep them fast and thread-safe.
 */
@FunctionalInterface
public interface RoutingStrategy {

    /**
     * Orders the providers for a request.
     *
     * @param request the request being routed
     * @param candidates every provider, sorted by priority (ties in declaration order); do not modify
     * @return the providers to try, in order; each must be one of {@code candidates}; may omit some
     */
    List<RouteCandidate> order(ChatRequest request, List<RouteCandidate> candidates);

    /**
     * Priority order: lowest {@code priority} first, ties in declaration order. The default.
     *
     * @return the strategy
     */
    static RoutingStrategy priority() {
        return Strategies.PRIORITY;
    }

    /**
     * Weighted random order: the first provider is drawn with probability proportional to its
     * weight, the fallbacks likewise from the rest; weight-0 providers come last.
     *
     * @return a strategy drawing from a thread-local random source
     */
    static RoutingStrategy weighted() {
        return Strategies.weighted(null);
    }

    /**
     * Weighted random order with a fixed seed, so a single-threaded test sees the same sequence on
     * every run.
     *
     * @param seed the random seed
     * @return a strategy drawing from its own seeded source
     */
    static RoutingStrategy weighted(long seed) {
        return Strategies.weighted(seed);
    }

    /**
     * Round robin: each call starts one provider further along the priority order.
     *
     * @return a new strategy with its own counter
     */
    static RoutingStrategy roundRobin() {
        return Strategies.roundRobin();
    }

    /**
     * Least latency: lowest moving-average latency first; providers with no successful call yet
     * go first so they get measured.
     *
     * @return the strategy
     */
    static RoutingStrategy leastLatency() {
        return Strategies.LEAST_LATENCY;
    }

    /**
     * Cheapest: lowest estimated cost of this request first, from the price catalog and
     * {@link TokenEstimator#standard()}; providers without a price go last.
     *
     * @return the strategy
     */
    static RoutingStrategy cheapest() {
        return Strategies.cheapest(TokenEstimator.standard());
    }

    /**
     * Cheapest, with a token estimator of your own.
     *
     * @param estimator counts the request's input tokens
     * @return the strategy
     */
    static RoutingStrategy cheapest(TokenEstimator estimator) {
        return Strategies.cheapest(estimator);
    }

    /**
     * Least busy: fewest in-flight calls first, ties in priority order.
     *
     * @return the strategy
     */
    static RoutingStrategy leastBusy() {
        return Strategies.LEAST_BUSY;
    }
}
