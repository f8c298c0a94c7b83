package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.cost.UnknownPricePolicy;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.route.ProviderSettings;
import dev.llmunit.core.route.RetryEvent;
import dev.llmunit.core.route.RetrySettings;
import dev.llmunit.core.route.RoutingStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What {@link dev.llmunit.core.route.RouterBuilder#build()} hands the implementation: a snapshot of
 * the builder, so the builder's public surface stays setters only.
 *
 * @param name the router's name, a tag on its meters
 * @param models providers' models by name, in declaration order
 * @param providerSettings providers' settings by name, in declaration order
 * @param strategy the routing strategy
 * @param retrySettings the retry settings
 * @param circuitBreakerConfig the breaker configuration every provider gets
 * @param fallbackKinds the kinds that fall back
 * @param maxAttempts the attempt cap per call
 * @param priceCatalog the price catalog
 * @param executor the async executor, or null for the shared default
 * @param observationRegistry the observation registry
 * @param meterRegistry the meter registry, or null for no metrics
 * @param retryListeners the retry listeners
 * @param unknownPricePolicy the policy for unpriced models
 * @param tokenEstimator the pre-flight token estimator
 * @param budgetLedger the ledger, or null for a new in-memory one when scopes exist
 * @param budgetScopes budget scopes in order, each with its limit or null
 * @param maxCostPerRequest the per-request cost limit, or null
 * @param optimizer the query optimizer every request goes through first, or null
 */
public record RouterConfig(
        String name,
        Map<String, ChatModel> models,
        Map<String, ProviderSettings> providerSettings,
        RoutingStrategy strategy,
        RetrySettings retrySettings,
        CircuitBreakerConfig circuitBreakerConfig,
        Set<ErrorKind> fallbackKinds,
        int maxAttempts,
        PriceCatalog priceCatalog,
        @Nullable Executor executor,
        ObservationRegistry observationRegistry,
        @Nullable MeterRegistry meterRegistry,
        List<Consumer<RetryEvent>> retryListeners,
        UnknownPricePolicy unknownPricePolicy,
        TokenEstimator tokenEstimator,
        @Nullable BudgetLedger budgetLedger,
        Map<String, @Nullable Usd> budgetScopes,
        @Nullable Usd maxCostPerRequest,
        @Nullable QueryOptimizer optimizer) {

    /**
     * A configuration without an optimizer.
     *
     * @param name the router's name
     * @param models providers' models
     * @param providerSettings providers' settings
     * @param strategy the routing strategy
     * @param retrySettings the retry settings
     * @param circuitBreakerConfig the breaker configuration
     * @param fallbackKinds the kinds that fall back
     * @param maxAttempts the attempt cap
     * @param priceCatalog the price catalog
     * @param executor the async executor, or null
     * @param observationRegistry the observation registry
     * @param meterRegistry the meter registry, or null
     * @param retryListeners the retry listeners
     * @param unknownPricePolicy the unknown price policy
     * @param tokenEstimator the token estimator
     * @param budgetLedger the ledger, or null
     * @param budgetScopes the budget scopes
     * @param maxCostPerRequest the per-request limit, or null
     */
    public RouterConfig(String name, Map<String, ChatModel> models, Map<String, ProviderSettings> providerSettings,
            RoutingStrategy strategy, RetrySettings retrySettings, CircuitBreakerConfig circuitBreakerConfig, Set<ErrorKind> fallbackKinds,
            int maxAttempts, PriceCatalog priceCatalog, @Nullable Executor executor, ObservationRegistry observationRegistry,
            @Nullable MeterRegistry meterRegistry, List<Consumer<RetryEvent>> retryListeners, UnknownPricePolicy unknownPricePolicy,
            TokenEstimator tokenEstimator, @Nullable BudgetLedger budgetLedger, Map<String, @Nullable Usd> budgetScopes,
            @Nullable Usd maxCostPerRequest) {
        this(name, models, providerSettings, strategy, retrySettings, circuitBreakerConfig, fallbackKinds, maxAttempts, priceCatalog,
                executor, observationRegistry, meterRegistry, retryListeners, unknownPricePolicy, tokenEstimator, budgetLedger,
                budgetScopes, maxCostPerRequest, null);
    }

    /** Copies the maps so later builder calls cannot change a built router. */
    public RouterConfig {
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        providerSettings = Collections.unmodifiableMap(new LinkedHashMap<>(providerSettings));
        budgetScopes = Collections.unmodifiableMap(new LinkedHashMap<>(budgetScopes));
        retryListeners = List.copyOf(retryListeners);
    }
}
