package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RouteCandidate;
import dev.llmunit.core.route.RoutingStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** The built-in {@link RoutingStrategy} implementations. */
public final class Strategies {

    /** Output tokens assumed by the cheapest strategy when a request sets no maximum. */
    public static final int DEFAULT_OUTPUT_TOKENS = 512;

    /** Candidates arrive in priority order, so priority routing is the identity: no allocation per call. */
    public static final RoutingStrategy PRIORITY = (request, candidates) -> candidates;

    /** Stable sort by moving-average latency; unmeasured providers (zero) go first to get measured. */
    public static final RoutingStrategy LEAST_LATENCY = (request, candidates) -> sorted(candidates,
            Comparator.comparingLong(candidate -> candidate.averageLatency().toNanos()));

    /** Stable sort by in-flight calls, ties in priority order. */
    public static final RoutingStrategy LEAST_BUSY =
            (request, candidates) -> sorted(candidates, Comparator.comparingInt(RouteCandidate::inFlight));

    private Strategies() {}

    /**
     * Weighted random without replacement.
     *
     * @param seed a seed for a deterministic sequence, or null for thread-local randomness
     * @return the strategy
     */
    public static RoutingStrategy weighted(@Nullable Long seed) {
        Random seeded = seed == null ? null : new Random(seed);
        return (request, candidates) -> {
            Random random = seeded == null ? ThreadLocalRandom.current() : seeded;
            List<RouteCandidate> remaining = new ArrayList<>(candidates);
            List<RouteCandidate> order = new ArrayList<>(candidates.size());
            long total = 0;
            for (RouteCandidate candidate : remaining) {
                total += candidate.weight();
            }
            while (total > 0) {
                long pick = (long) (random.nextDouble() * total);
                for (int i = 0; i < remaining.size(); i++) {
                    RouteCandidate candidate = remaining.get(i);
                    pick -= candidate.weight();
                    if (pick < 0 && candidate.weight() > 0) {
                        order.add(candidate);
                        remaining.remove(i);
                        total -= candidate.weight();
                        break;
                    }
                }
            }
            order.addAll(remaining); // weight 0: fallback only, in priority order
            return order;
        };
    }

    /**
     * Round robin over the priority order.
     *
     * @return a strategy with its own counter
     */
    public static RoutingStrategy roundRobin() {
        AtomicLong next = new AtomicLong();
        return (request, candidates) -> {
            int size = candidates.size();
            int start = (int) Math.floorMod(next.getAndIncrement(), (long) size);
            if (start == 0) {
                return candidates;
            }
            RouteCandidate[] order = new RouteCandidate[size];
            for (int i = 0; i < size; i++) {
                order[i] = candidates.get((start + i) % size);
            }
            return Arrays.asList(order);
        };
    }

    /**
     * Cheapest estimated cost first; unpriced providers last.
     *
     * @param estimator counts input tokens once per request
     * @return the strategy
     */
    public static RoutingStrategy cheapest(TokenEstimator estimator) {
        return (request, candidates) -> {
            int input = estimator.estimateInputTokens(request);
            int output = outputTokens(request);
            Usd[] costs = new Usd[candidates.size()];
            List<Integer> indexes = new ArrayList<>(candidates.size());
            for (int i = 0; i < costs.length; i++) {
                Optional<ModelPrice> price = candidates.get(i).price();
                costs[i] = price.map(p -> p.estimate(input, output)).orElse(null);
                indexes.add(i);
            }
            indexes.sort(Comparator.comparing(i -> costs[i], Comparator.nullsLast(Comparator.naturalOrder())));
            List<RouteCandidate> order = new ArrayList<>(costs.length);
            for (int i : indexes) {
                order.add(candidates.get(i));
            }
            return order;
        };
    }

    private static int outputTokens(ChatRequest request) {
        Integer max = request.parameters() == null ? null : request.parameters().maxOutputTokens();
        return max == null ? DEFAULT_OUTPUT_TOKENS : max;
    }

    private static List<RouteCandidate> sorted(List<RouteCandidate> candidates, Comparator<RouteCandidate> order) {
        List<RouteCandidate> copy = new ArrayList<>(candidates);
        copy.sort(order); // List.sort is stable: ties keep priority order
        return copy;
    }
}
