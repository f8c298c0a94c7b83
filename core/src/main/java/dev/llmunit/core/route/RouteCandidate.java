package dev.llmunit.core.route;

import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.error.CircuitState;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A provider as a {@link RoutingStrategy} sees it: its settings and its live state. Strategies
 * reorder the candidates they are given and return them; they never create their own.
 */
public interface RouteCandidate {

    /**
     * The provider's unique name in the router.
     *
     * @return the name, such as {@code "openai"}
     */
    String name();

    /**
     * The model name used for pricing and reports.
     *
     * @return the model name, or null when neither configured nor known from the model
     */
    @Nullable String modelName();

    /**
     * The weight for weighted routing; 0 means "only as a fallback".
     *
     * @return the weight, at least 0 (default 1)
     */
    int weight();

    /**
     * The priority; lower goes first. Candidates reach a strategy sorted by it, ties in declaration order.
     *
     * @return the priority (default: the declaration index)
     */
    int priority();

    /**
     * The model's input window in tokens, from the provider settings or the price catalog.
     *
     * @return the window, or null when unknown
     */
    @Nullable Integer maxInputTokens();

    /**
     * The model's price from the router's catalog.
     *
     * @return the price, empty when the catalog does not know the model
     */
    Optional<ModelPrice> price();

    /**
     * Calls to this provider running now.
     *
     * @return the in-flight count
     */
    int inFlight();

    /**
     * The exponentially weighted moving average of recent successful call latencies (failures do
     * not move it; the circuit breaker handles failing providers).
     *
     * @return the average, {@link Duration#ZERO} before the first success
     */
    Duration averageLatency();

    /**
     * The state of the provider's circuit breaker.
     *
     * @return the state now
     */
    CircuitState circuitState();
}
