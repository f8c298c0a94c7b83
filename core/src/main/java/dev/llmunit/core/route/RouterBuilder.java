package dev.llmunit.core.route;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.cost.UnknownPricePolicy;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.internal.DefaultRouter;
import dev.llmunit.core.internal.RouterConfig;
import dev.llmunit.core.optimize.QueryOptimizer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Router}. Every setter validates at once and names the bad value. Defaults:
 * {@link RoutingStrategy#priority()}, {@link RetrySettings} defaults, a circuit breaker per provider
 * (see {@link #circuitBreaker(Consumer)}), fallback on every kind but
 * {@link ErrorKind#INVALID_REQUEST} and {@link ErrorKind#BUDGET_EXCEEDED}, at most
 * {@value #DEFAULT_MAX_ATTEMPTS} attempts per call, the bundled price catalog, no metrics.
 */
public final class RouterBuilder {

    /** Default cap on attempts per routed call, retries and fallbacks together: {@value}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;

    /** The kinds that fall back by default: all but invalid request and budget exceeded. */
    public static final Set<ErrorKind> DEFAULT_FALLBACK_KINDS = Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(ErrorKind.INVALID_REQUEST, ErrorKind.BUDGET_EXCEEDED)));

    /** Default size of each provider's breaker window, in calls: {@value}. */
    public static final int DEFAULT_BREAKER_WINDOW = 100;

    /** Default number of calls a breaker waits for before it judges: {@value}. */
    public static final int DEFAULT_BREAKER_MINIMUM_CALLS = 20;

    /** Default share of failed calls in the window that opens a breaker, in percent: {@value}. */
    public static final float DEFAULT_BREAKER_FAILURE_RATE = 50;

    /** Default router name, the {@code llmunit.router} tag on its meters: {@value}. */
    public static final String DEFAULT_NAME = "llmunit";

    private String name = DEFAULT_NAME;
    private final Map<String, ChatModel> models = new LinkedHashMap<>();
    private final Map<String, ProviderSettings> settings = new LinkedHashMap<>();
    private RoutingStrategy strategy = RoutingStrategy.priority();
    private final RetrySettings retry = new RetrySettings();
    private final CircuitBreakerConfig.Builder circuitBreaker = defaultCircuitBreaker();
    private Set<ErrorKind> fallbackKinds = DEFAULT_FALLBACK_KINDS;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private @Nullable PriceCatalog priceCatalog; // null: the bundled catalog, loaded at build() only when needed
    private @Nullable Executor executor;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private @Nullable MeterRegistry meterRegistry;
    private final List<Consumer<RetryEvent>> retryListeners = new ArrayList<>();
    private UnknownPricePolicy unknownPricePolicy = UnknownPricePolicy.countAsUnknown();
    private TokenEstimator tokenEstimator = TokenEstimator.standard();
    private @Nullable BudgetLedger budgetLedger;
    private final Map<String, @Nullable Usd> budgetScopes = new LinkedHashMap<>();
    private @Nullable Usd maxCostPerRequest;
    private @Nullable QueryOptimizer optimizer;

    RouterBuilder() {}

    /**
     * The router's name, the {@code llmunit.router} tag on its meters. Routers that share a meter
     * registry need distinct names, or their meters merge.
     *
     * @param name a short name (default {@value #DEFAULT_NAME})
     * @return this builder
     */
    public RouterBuilder name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("router name must not be blank, but was '" + name + "'");
        }
        this.name = name;
        return this;
    }

    /**
     * Adds a provider with default settings.
     *
     * @param name a unique name, used in attempts, health and metrics
     * @param model the LangChain4j model; build it with {@code maxRetries(0)}
     * @return this builder
     */
    public RouterBuilder provider(String name, ChatModel model) {
        return provider(name, model, settings -> {});
    }

    /**
     * Adds a provider and sets its attributes.
     *
     * @param name a unique name, used in attempts, health and metrics
     * @param model the LangChain4j model; build it with {@code maxRetries(0)}
     * @param configure sets weight, priority, model name, input window, concurrency limit
     * @return this builder
     */
    public RouterBuilder provider(String name, ChatModel model, Consumer<ProviderSettings> configure) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("provider name must not be blank, but was '" + name + "'");
        }
        if (models.containsKey(name)) {
            throw new IllegalArgumentException("provider name '" + name + "' is already used; give each provider a distinct name");
        }
        Objects.requireNonNull(model, () -> "model of provider '" + name + "' must not be null");
        ProviderSettings provider = new ProviderSettings(name);
        configure.accept(provider);
        models.put(name, model);
        settings.put(name, provider);
        return this;
    }

    /**
     * The strategy that orders providers per request.
     *
     * @param strategy a built-in from {@link RoutingStrategy} or a lambda (default priority)
     * @return this builder
     */
    public RouterBuilder strategy(RoutingStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy must not be null");
        return this;
    }

    /**
     * Configures retrying, shared by every provider.
     *
     * @param configure sets retries, backoff, jitter and the {@code Retry-After} cap
     * @return this builder
     */
    public RouterBuilder retry(Consumer<RetrySettings> configure) {
        configure.accept(retry);
        return this;
    }

    /**
     * Configures the circuit breaker every provider gets (resilience4j). The breaker judges a
     * routed call once, after the router's retries of that provider: a call answered on its second
     * try is one success, a call whose every try failed is one failure, and a call refused before
     * reaching the provider (budget, concurrency limit) is not counted.
     *
     * <p>Defaults: count-based window of {@value #DEFAULT_BREAKER_WINDOW} calls, at least
     * {@value #DEFAULT_BREAKER_MINIMUM_CALLS} calls before judging, opens at
     * {@value #DEFAULT_BREAKER_FAILURE_RATE} % failed calls, stays open 30 s, then lets 2 trial calls
     * through half-open. Only rate limits, timeouts and unavailability count as failures; a bad
     * request does not open a breaker. With these defaults a provider that fails 30 % of its
     * attempts stays closed (with the default 2 retries, about 3 % of its calls fail), while a
     * provider that is down opens after {@value #DEFAULT_BREAKER_MINIMUM_CALLS} calls.
     *
     * @param configure changes the resilience4j builder
     * @return this builder
     */
    public RouterBuilder circuitBreaker(Consumer<CircuitBreakerConfig.Builder> configure) {
        configure.accept(circuitBreaker);
        return this;
    }

    /**
     * The failure kinds that fall back to the next provider; other kinds end the call at once.
     * A context-length failure falls back only to providers with a larger input window.
     *
     * @param kinds the kinds (default all but invalid request and budget exceeded)
     * @return this builder
     */
    public RouterBuilder fallbackOn(Set<ErrorKind> kinds) {
        Objects.requireNonNull(kinds, "fallback kinds must not be null");
        this.fallbackKinds = kinds.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(ErrorKind.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
        return this;
    }

    /**
     * The cap on attempts per routed call, retries and fallbacks together, so a call never loops.
     *
     * @param maxAttempts at least 1 (default {@value #DEFAULT_MAX_ATTEMPTS})
     * @return this builder
     */
    public RouterBuilder maxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        return this;
    }

    /**
     * The price catalog for the cheapest strategy and default input windows.
     *
     * @param priceCatalog the catalog (default {@link PriceCatalog#bundled()})
     * @return this builder
     */
    public RouterBuilder priceCatalog(PriceCatalog priceCatalog) {
        this.priceCatalog = Objects.requireNonNull(priceCatalog, "priceCatalog must not be null");
        return this;
    }

    /**
     * The executor {@link Router#routeAsync} runs on. It must run each task on its own thread,
     * since routing blocks on HTTP calls and backoff waits.
     *
     * @param executor the executor (default: a shared cached pool of daemon threads)
     * @return this builder
     */
    public RouterBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor must not be null");
        return this;
    }

    /**
     * The Micrometer registry that observes routed calls. With the default
     * {@link ObservationRegistry#NOOP}, observation costs nothing.
     *
     * @param registry the registry
     * @return this builder
     */
    public RouterBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry must not be null");
        return this;
    }

    /**
     * The Micrometer registry that receives llmunit's metrics: {@code llmunit.calls} (timer per
     * attempt), {@code llmunit.tokens}, {@code llmunit.cost} (USD), {@code llmunit.cost.unknown},
     * {@code llmunit.fallbacks}, {@code llmunit.retries} and {@code llmunit.circuit.state}; tags are
     * {@link dev.llmunit.core.trace.LlmKeyNames}. Default: none, and no metric work at all.
     *
     * @param registry the registry
     * @return this builder
     */
    public RouterBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry must not be null");
        return this;
    }

    /**
     * What to do with a provider whose model the price catalog does not know. With
     * {@link UnknownPricePolicy#fail()}, {@link #build()} fails for such a provider.
     *
     * @param policy the policy (default {@link UnknownPricePolicy#countAsUnknown()})
     * @return this builder
     */
    public RouterBuilder unknownPricePolicy(UnknownPricePolicy policy) {
        this.unknownPricePolicy = Objects.requireNonNull(policy, "unknownPricePolicy must not be null");
        return this;
    }

    /**
     * Counts input tokens for pre-flight cost estimates (budgets, {@link #maxCostPerRequest}).
     *
     * @param estimator the estimator (default {@link TokenEstimator#standard()})
     * @return this builder
     */
    public RouterBuilder tokenEstimator(TokenEstimator estimator) {
        this.tokenEstimator = Objects.requireNonNull(estimator, "tokenEstimator must not be null");
        return this;
    }

    /**
     * Refuses any attempt whose pre-flight estimate exceeds this amount, before the provider is
     * called. The estimate is the input tokens of the messages, the tool definitions, the response
     * format's schema and the images ({@link TokenEstimator#estimateInputTokens(dev.langchain4j.model.chat.request.ChatRequest)})
     * at the input price plus the request's maximum output tokens (else the model's default, else
     * its catalog maximum) at the output price.
     *
     * @param limit the most one request may cost
     * @return this builder
     */
    public RouterBuilder maxCostPerRequest(Usd limit) {
        Objects.requireNonNull(limit, "maxCostPerRequest must not be null");
        if (limit.equals(Usd.ZERO)) {
            throw new IllegalArgumentException("maxCostPerRequest must be more than $0, but was " + limit);
        }
        this.maxCostPerRequest = limit;
        return this;
    }

    /**
     * The ledger that holds budget scopes; share one ledger between routers to share budgets.
     *
     * @param ledger the ledger (default: a new {@link BudgetLedger#inMemory()} per router)
     * @return this builder
     */
    public RouterBuilder budgetLedger(BudgetLedger ledger) {
        this.budgetLedger = Objects.requireNonNull(ledger, "budgetLedger must not be null");
        return this;
    }

    /**
     * Charges every call of this router to a budget scope with a limit. Each attempt reserves its
     * pre-flight estimate before calling and settles its actual cost after, so concurrent calls
     * never jointly reserve past the limit; a refused attempt fails with
     * {@link ErrorKind#BUDGET_EXCEEDED}. A provider billing more than the estimate can still take
     * the scope past its limit: that is a breach, reported and refusing every later call (see
     * {@link BudgetLedger}).
     *
     * <pre>{@code
     * Router.builder().provider("openai", model).budget("nightly-eval", Usd.usd("5.00")).build();
     * }</pre>
     *
     * @param scope the scope name
     * @param limit the most the scope may spend
     * @return this builder
     */
    public RouterBuilder budget(String scope, Usd limit) {
        requireScope(scope);
        budgetScopes.put(scope, Objects.requireNonNull(limit, () -> "limit of budget scope '" + scope + "' must not be null"));
        return this;
    }

    /**
     * Charges every call of this router to a budget scope whose limit (if any) is set on the
     * ledger elsewhere, for instance by a test framework sharing the ledger.
     *
     * @param scope the scope name
     * @return this builder
     */
    public RouterBuilder budgetScope(String scope) {
        requireScope(scope);
        budgetScopes.putIfAbsent(scope, null);
        return this;
    }

    /**
     * Sends every request through a query optimizer first: the router routes the optimizer's
     * rewrite, the trace says what was done ({@link dev.llmunit.core.trace.Trace#optimization()}),
     * and after a success the optimizer learns from the answer and its cost
     * ({@link QueryOptimizer#learn}).
     *
     * @param optimizer the optimizer (default: none, requests go out as written)
     * @return this builder
     */
    public RouterBuilder optimizer(QueryOptimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer must not be null");
        return this;
    }

    /**
     * Listens to every retry decision, with the wait chosen.
     *
     * @param listener called on the routing thread before the wait; must not block
     * @return this builder
     */
    public RouterBuilder onRetry(Consumer<RetryEvent> listener) {
        retryListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /**
     * Builds the router.
     *
     * @return a thread-safe router
     * @throws IllegalStateException when no provider was added
     */
    public Router build() {
        if (models.isEmpty()) {
            throw new IllegalStateException("a router needs at least one provider: call provider(name, model) before build()");
        }
        return new DefaultRouter(new RouterConfig(name, models, settings, strategy, retry, circuitBreaker.build(), fallbackKinds,
                maxAttempts, priceCatalog == null ? PriceCatalog.bundled() : priceCatalog, executor, observationRegistry, meterRegistry, List.copyOf(retryListeners),
                unknownPricePolicy, tokenEstimator, budgetLedger, budgetScopes, maxCostPerRequest, optimizer));
    }

    private static void requireScope(String scope) {
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("budget scope must not be blank, but was '" + scope + "'");
        }
    }

    private static CircuitBreakerConfig.Builder defaultCircuitBreaker() {
        // A builder copied from a built config: resilience4j's build() refuses a builder whose open-state
        // wait was set twice, so the defaults must not count as a first setting of the user's wait.
        return CircuitBreakerConfig.from(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(DEFAULT_BREAKER_WINDOW)
                .minimumNumberOfCalls(DEFAULT_BREAKER_MINIMUM_CALLS)
                .failureRateThreshold(DEFAULT_BREAKER_FAILURE_RATE)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedNumberOfCallsInHalfOpenState(2)
                .writableStackTraceEnabled(false)
                .recordException(RouterBuilder::countsAgainstProvider)
                .build());
    }

    private static boolean countsAgainstProvider(Throwable error) {
        if (error instanceof LlmException llm) {
            ErrorKind kind = llm.kind();
            return kind == ErrorKind.PROVIDER_UNAVAILABLE || kind == ErrorKind.TIMEOUT || kind == ErrorKind.RATE_LIMITED;
        }
        return true;
    }
}
