package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.Cost;
import dev.llmunit.core.cost.CostCalculator;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.Reservation;
import dev.llmunit.core.cost.UnknownPriceException;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.error.ErrorAggregator;
import dev.llmunit.core.error.ErrorClassifier;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.error.ProviderHealth;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.route.ProviderSettings;
import dev.llmunit.core.route.RetryEvent;
import dev.llmunit.core.route.RetrySettings;
import dev.llmunit.core.route.RouteCandidate;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RoutingStrategy;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.LlmKeyNames;
import dev.llmunit.core.trace.Trace;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Router} implementation: one provider pipeline (concurrency limit, circuit breaker,
 * classified errors, retry) driven by a strategy's order with fallback between providers.
 */
public final class DefaultRouter implements Router {

    /** The exchange of a plain call: the provider's {@link ChatModel#chat(ChatRequest)}. */
    private static final ProviderExchange CHAT = (provider, call) -> provider.model.chat(call.request);

    private final List<ProviderState> providers;
    private final List<RouteCandidate> candidates;
    private final Map<String, ProviderState> byName;
    private final List<String> names;
    private final RoutingStrategy strategy;
    private final Set<ErrorKind> fallbackKinds;
    private final int maxAttempts;
    private final Executor executor;
    private final ObservationRegistry observations;
    private final ErrorAggregator errors = new ErrorAggregator();
    private final Set<Capability> capabilities;
    private final CostCalculator costs;
    private final BudgetGuard budgets;
    private final boolean budgeting;
    private final @Nullable QueryOptimizer optimizer;

    /**
     * Builds the router from a validated configuration.
     *
     * @param config the configuration, with at least one provider
     */
    public DefaultRouter(RouterConfig config) {
        this.strategy = config.strategy();
        this.fallbackKinds = config.fallbackKinds();
        this.maxAttempts = config.maxAttempts();
        this.executor = config.executor() == null ? SharedExecutor.INSTANCE : config.executor();
        this.observations = config.observationRegistry();

        RetrySettings retry = config.retrySettings();
        CircuitBreakerConfig breakerConfig = config.circuitBreakerConfig();
        RetryConfig retryConfig = retryConfig(retry);
        this.costs = CostCalculator.of(config.priceCatalog(), config.unknownPricePolicy());
        this.budgets = new BudgetGuard(config.budgetLedger(), config.budgetScopes(), config.maxCostPerRequest(), config.tokenEstimator());
        this.budgeting = budgets.active();
        this.optimizer = config.optimizer();
        List<Consumer<RetryEvent>> retryListeners = config.retryListeners();

        List<ProviderState> states = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, ChatModel> entry : config.models().entrySet()) {
            String name = entry.getKey();
            ChatModel model = entry.getValue();
            ProviderSettings settings = config.providerSettings().get(name);
            String modelName = settings.modelName() != null ? settings.modelName() : defaultModelName(model);
            Optional<ModelPrice> price = priceOf(name, modelName);
            Integer window = settings.maxInputTokens() != null ? settings.maxInputTokens()
                    : price.map(ModelPrice::maxInputTokens).orElse(null);
            Bulkhead bulkhead = settings.maxConcurrentCalls() == 0 ? null : Bulkhead.of(name, BulkheadConfig.custom()
                    .maxConcurrentCalls(settings.maxConcurrentCalls())
                    .maxWaitDuration(Duration.ZERO)
                    .writableStackTraceEnabled(false)
                    .build());
            Retry providerRetry = Retry.of(name, retryConfig);
            for (Consumer<RetryEvent> listener : retryListeners) {
                providerRetry.getEventPublisher().onRetry(event -> listener.accept(new RetryEvent(name,
                        event.getNumberOfRetryAttempts(), event.getWaitInterval(), (LlmException) event.getLastThrowable())));
            }
            ProviderState state = new ProviderState(this, name, model, modelName, settings.weight(),
                    settings.priority() == null ? index : settings.priority(), window, price,
                    CircuitBreaker.of(name, breakerConfig), providerRetry, bulkhead, defaultMaxOutputTokens(model),
                    config.meterRegistry(), config.name());
            if (state.metrics != null) {
                providerRetry.getEventPublisher().onRetry(event -> state.metrics.retried());
            }
            states.add(state);
            index++;
        }
        states.sort(Comparator.comparingInt(ProviderState::priority)); // stable: ties keep declaration order
        this.providers = List.copyOf(states);
        this.candidates = List.copyOf(states);
        Map<String, ProviderState> lookup = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (ProviderState state : providers) {
            lookup.put(state.name, state);
            order.add(state.name);
        }
        this.byName = Collections.unmodifiableMap(lookup);
        this.names = List.copyOf(order);
        this.capabilities = commonCapabilities(providers);
    }

    @Override
    public RoutedResponse route(ChatRequest request) {
        return route(CallArguments.request(request, "Router.route"), CHAT);
    }

    /**
     * Routes one request through the provider pipeline, with {@code exchange} as the step that
     * talks to each provider. The plain {@link #route(ChatRequest)} and the streaming router share
     * everything else: strategy, fallback, retry, breaker, budgets, cost, trace, metrics, observation.
     */
    RoutedResponse route(ChatRequest request, ProviderExchange exchange) {
        if (observations.isNoop()) { // checked per call: handlers may be registered after the router was built
            return route(new RouteCall(request, null), exchange);
        }
        Observation observation = Observation.createNotStarted("llmunit.route", observations)
                .contextualName("llm route").start();
        RouteCall call = new RouteCall(request, observation);
        observation.highCardinalityKeyValue(LlmKeyNames.REQUEST_ID.asString(), Trace.requestId(call.sequence));
        try (Observation.Scope scope = observation.openScope()) {
            RoutedResponse response = route(call, exchange);
            observation.lowCardinalityKeyValue(LlmKeyNames.PROVIDER.asString(), response.provider());
            observation.lowCardinalityKeyValue(LlmKeyNames.OUTCOME.asString(), "success");
            observation.lowCardinalityKeyValue(LlmKeyNames.ERROR_KIND.asString(), "none");
            return response;
        } catch (RuntimeException e) {
            LlmException llm = e instanceof LlmException failure ? failure : null;
            observation.lowCardinalityKeyValue(LlmKeyNames.PROVIDER.asString(),
                    llm == null || llm.provider() == null ? "none" : llm.provider());
            observation.lowCardinalityKeyValue(LlmKeyNames.OUTCOME.asString(), e instanceof CancellationException ? "cancelled" : "failure");
            observation.lowCardinalityKeyValue(LlmKeyNames.ERROR_KIND.asString(), llm == null ? "none" : llm.kind().name());
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    private RoutedResponse route(RouteCall call, ProviderExchange exchange) {
        if (optimizer == null) {
            return routeAttempts(call, exchange);
        }
        call.optimized(optimizer.optimize(call.request)); // inside the call, so the optimizer's time counts as overhead
        RoutedResponse response = routeAttempts(call, exchange);
        optimizer.learn(java.util.Objects.requireNonNull(call.optimization), response.chatResponse(), response.cost());
        return response;
    }

    private RoutedResponse routeAttempts(RouteCall call, ProviderExchange exchange) {
        ChatRequest request = call.request;
        List<RouteCandidate> order = strategy.order(request, candidates);
        if (order == null || order.isEmpty()) {
            throw new IllegalStateException("routing strategy " + strategy + " returned no provider; it must return at least one of "
                    + names);
        }
        if (order != candidates) {
            for (RouteCandidate candidate : order) {
                own(candidate); // fail on a foreign candidate before any call, not only when it is reached
            }
        }
        LlmException last = null;
        ProviderState failedProvider = null;
        int smallestWindowThatFailed = -1;
        for (int i = 0; i < order.size(); i++) {
            ProviderState provider = own(order.get(i));
            if (call.attempts.size() >= maxAttempts) {
                break;
            }
            if (smallestWindowThatFailed >= 0 && windowOf(provider) <= smallestWindowThatFailed) {
                continue; // a context-length failure falls back only to a larger input window
            }
            if (failedProvider != null && failedProvider.metrics != null) {
                failedProvider.metrics.fellBack();
            }
            ChatResponse response = null;
            try {
                call.startProvider();
                response = provider.retry.executeSupplier(() -> attempt(provider, call, exchange));
                return new RoutedResponse(response, provider.name, call.trace());
            } catch (StopRetrying stop) {
                last = stop.failure;
            } catch (LlmException failure) {
                last = failure;
            } finally {
                judgeCall(provider, call, response != null);
            }
            failedProvider = provider;
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("routing was interrupted after " + call.attempts.size() + " attempts");
            }
            if (!fallbackKinds.contains(last.kind())
                    || (last instanceof LlmException.StreamInterrupted interrupted && !interrupted.restartable())) {
                for (Attempt attempt : call.attempts) {
                    if (attempt.error() != null && attempt.error() != last) {
                        last.addSuppressed(attempt.error()); // keep the earlier providers' failures visible
                    }
                }
                throw last.withAttempts(call.attempts);
            }
            if (last.kind() == ErrorKind.CONTEXT_LENGTH_EXCEEDED) {
                smallestWindowThatFailed = Math.max(smallestWindowThatFailed, windowOf(provider));
            }
        }
        // Non-null: the first candidate is always tried (attempts start below maxAttempts and no window has failed yet).
        throw new LlmException.AllProvidersFailed(call.attempts, java.util.Objects.requireNonNull(last));
    }

    /**
     * Gives the provider's breaker its one outcome for this call, once the call's tries of the
     * provider are over: a success when one try answered, else the last failure that reached the
     * provider (whose kind decides whether it counts against it), else nothing. Judging each retry
     * instead let a 30 %-faulty provider with retries on open its breaker though nearly every call
     * was answered (issue 15.2).
     */
    private static void judgeCall(ProviderState provider, RouteCall call, boolean answered) {
        if (!call.breakerPermitted) {
            return; // refused before the breaker (budget, concurrency limit) or by the breaker itself
        }
        call.breakerPermitted = false;
        long duration = System.nanoTime() - call.breakerStartNanos;
        if (answered) {
            provider.breaker.onSuccess(duration, TimeUnit.NANOSECONDS);
        } else if (call.providerFailure != null && !Thread.currentThread().isInterrupted()) {
            provider.breaker.onError(duration, TimeUnit.NANOSECONDS, call.providerFailure);
        } else {
            provider.breaker.releasePermission(); // cancelled, or no try reached the provider
        }
    }

    /**
     * One try of one provider, the body that resilience4j's retry repeats: budget reservation,
     * concurrency limit, circuit breaker (asked once per call, on the first try), the call, then
     * classification or cost settlement.
     */
    private ChatResponse attempt(ProviderState provider, RouteCall call, ProviderExchange exchange) {
        if (call.attempts.size() >= maxAttempts) {
            throw new StopRetrying(call.lastFailure);
        }
        long start = System.nanoTime();
        Observation observation = call.observation == null ? null : startAttemptObservation(provider, call);
        List<Reservation> reservations = List.of();
        if (budgeting) {
            try {
                reservations = budgets.reserve(provider, call);
            } catch (LlmException.BudgetExceeded refused) {
                throw reject(provider, call, start, refused, observation);
            }
        }
        boolean settled = false;
        try {
            if (provider.bulkhead != null && !provider.bulkhead.tryAcquirePermission()) {
                throw reject(provider, call, start, ErrorClassifier.classify(
                        BulkheadFullException.createBulkheadFullException(provider.bulkhead), provider.name), observation);
            }
            try {
                if (!call.breakerPermitted) {
                    if (!provider.breaker.tryAcquirePermission()) {
                        throw reject(provider, call, start, ErrorClassifier.classify(
                                CallNotPermittedException.createCallNotPermittedException(provider.breaker), provider.name), observation);
                    }
                    call.breakerPermitted = true;
                    call.breakerStartNanos = start;
                }
                provider.callStarted();
                try {
                    ChatResponse response = exchange.exchange(provider, call);
                    long end = System.nanoTime();
                    provider.recordSuccessLatency(end - start);
                    Usage usage = Usage.fromResponse(response);
                    Cost cost = costs.cost(response.modelName(), provider.modelName, usage);
                    if (budgeting) {
                        settled = true; // settle never throws: a paid answer must not turn into a failure
                        int breaches = budgets.settle(reservations, cost.usd(), provider.name);
                        if (breaches > 0 && provider.metrics != null) {
                            provider.metrics.budgetBreached(breaches);
                        }
                    }
                    call.succeed(provider, start, end, usage, cost);
                    if (provider.metrics != null) {
                        provider.metrics.succeeded(end - start, usage, cost);
                    }
                    if (observation != null) {
                        stopAttemptObservation(observation, "succeeded", null, provider.modelName);
                    }
                    return response;
                } catch (RuntimeException error) {
                    long end = System.nanoTime();
                    if (Thread.currentThread().isInterrupted()) {
                        CancellationException cancelled = new CancellationException("routing was interrupted during a call to "
                                + provider.name);
                        if (observation != null) {
                            observation.error(cancelled);
                            stopAttemptObservation(observation, "cancelled", null, provider.modelName);
                        }
                        throw cancelled;
                    }
                    LlmException failure = ErrorClassifier.classify(error, provider.name);
                    errors.record(provider.name, failure.kind());
                    call.fail(provider, start, end, failure);
                    if (provider.metrics != null) {
                        provider.metrics.failed(end - start, failure.kind());
                    }
                    if (observation != null) {
                        observation.error(failure);
                        stopAttemptObservation(observation, "failed", failure, provider.modelName);
                    }
                    throw call.attempts.size() >= maxAttempts ? new StopRetrying(failure) : failure;
                } finally {
                    provider.callEnded();
                }
            } finally {
                if (provider.bulkhead != null) {
                    provider.bulkhead.onComplete();
                }
            }
        } finally {
            if (budgeting && !settled) {
                budgets.release(reservations);
            }
        }
    }

    /** Records an attempt refused before the call (budget, concurrency limit, open breaker); never retried. */
    private StopRetrying reject(ProviderState provider, RouteCall call, long start, LlmException failure,
            @Nullable Observation observation) {
        call.reject(provider, start, failure);
        if (provider.metrics != null) {
            provider.metrics.rejected(System.nanoTime() - start, failure.kind());
        }
        if (observation != null) {
            observation.error(failure);
            stopAttemptObservation(observation, "rejected", failure, provider.modelName);
        }
        return new StopRetrying(failure);
    }

    private Observation startAttemptObservation(ProviderState provider, RouteCall call) {
        return Observation.createNotStarted("llmunit.attempt", observations)
                .contextualName(provider.attemptName)
                .parentObservation(call.observation)
                .lowCardinalityKeyValue(LlmKeyNames.PROVIDER.asString(), provider.name)
                .start();
    }

    private static void stopAttemptObservation(Observation observation, String outcome, @Nullable LlmException failure,
            @Nullable String model) {
        observation.lowCardinalityKeyValue(LlmKeyNames.MODEL.asString(), model == null ? "unknown" : model);
        observation.lowCardinalityKeyValue(LlmKeyNames.OUTCOME.asString(), outcome);
        observation.lowCardinalityKeyValue(LlmKeyNames.ERROR_KIND.asString(), failure == null ? "none" : failure.kind().name());
        observation.stop();
    }

    private ProviderState own(RouteCandidate candidate) {
        if (candidate instanceof ProviderState state && state.owner == this) {
            return state;
        }
        throw new IllegalStateException("routing strategy " + strategy + " returned " + candidate
                + ", which is not one of this router's providers " + names + "; return elements of the candidates list");
    }

    private static int windowOf(ProviderState provider) {
        return provider.maxInputTokens == null ? 0 : provider.maxInputTokens;
    }

    /**
     * The pre-flight cost estimate of one answer to a request, made as each attempt's budget check
     * makes it (the input tokens of messages, tools, schema and images at the input price plus the maximum output tokens at the output
     * price): the largest over this router's providers, since a fallback may serve from any. For
     * callers that must reserve before routing, such as an ensemble reserving for all its members.
     *
     * @param request the request
     * @return the estimate, or empty when some provider's model has no price
     */
    public Optional<Usd> estimateCost(ChatRequest request) {
        CallArguments.request(request, "Router.estimateCost");
        RouteCall call = new RouteCall(request, null);
        Usd most = Usd.ZERO;
        for (ProviderState provider : providers) {
            Optional<Usd> estimate = budgets.estimate(provider, call);
            if (estimate.isEmpty()) {
                return Optional.empty();
            }
            if (estimate.get().isGreaterThan(most)) {
                most = estimate.get();
            }
        }
        return Optional.of(most);
    }

    /**
     * The executor {@link #routeAsync} runs on.
     *
     * @return the configured executor, or the shared default
     */
    public Executor executor() {
        return executor;
    }

    /**
     * The default async executor routers share when none is configured: cached daemon threads.
     *
     * @return the shared executor
     */
    public static Executor sharedExecutor() {
        return SharedExecutor.INSTANCE;
    }

    @Override
    public CompletableFuture<RoutedResponse> routeAsync(ChatRequest request) {
        // Checked here, on the caller's thread: a null is the caller's mistake, not a routing failure.
        AsyncRoute task = new AsyncRoute(this, CallArguments.request(request, "Router.routeAsync"));
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException rejected) {
            task.completeExceptionally(rejected);
        }
        return task;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return route(CallArguments.request(request, "Router.chat"), CHAT).chatResponse();
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
        return route(CallArguments.request(request, "Router.chat"), CHAT).chatResponse();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return route(CallArguments.request(request, "Router.doChat"), CHAT).chatResponse();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return capabilities;
    }

    @Override
    public List<String> providers() {
        return names;
    }

    @Override
    public CircuitState circuitState(String provider) {
        return state(provider).circuitState();
    }

    @Override
    public ProviderHealth health(String provider) {
        ProviderState state = state(provider);
        CircuitBreaker.Metrics metrics = state.breaker.getMetrics();
        int buffered = metrics.getNumberOfBufferedCalls();
        double errorRate = buffered == 0 ? 0.0 : (double) metrics.getNumberOfFailedCalls() / buffered;
        return new ProviderHealth(state.name, state.circuitState(), errorRate, state.calls(), errors.byKind(state.name),
                state.inFlight(), state.latencyPercentile(50), state.latencyPercentile(95), state.latencyPercentile(99),
                state.latencyMax());
    }

    @Override
    public Map<String, ProviderHealth> health() {
        Map<String, ProviderHealth> all = new LinkedHashMap<>();
        for (String name : names) {
            all.put(name, health(name));
        }
        return Collections.unmodifiableMap(all);
    }

    @Override
    public ErrorAggregator errors() {
        return errors;
    }

    /**
     * The resilience4j circuit breaker of one provider, for operators and tests that force states.
     *
     * @param provider a provider name
     * @return the breaker
     */
    public CircuitBreaker circuitBreaker(String provider) {
        return state(provider).breaker;
    }

    private ProviderState state(String provider) {
        ProviderState state = byName.get(provider);
        if (state == null) {
            throw new IllegalArgumentException("no provider named '" + provider + "'; this router has " + names);
        }
        return state;
    }

    @Override
    public String toString() {
        return "Router" + providers;
    }

    private Optional<ModelPrice> priceOf(String provider, @Nullable String modelName) {
        try {
            return costs.price(modelName == null ? "" : modelName);
        } catch (UnknownPriceException unknown) {
            throw new IllegalStateException("provider '" + provider + "' has no price for model '" + modelName
                    + "' and the unknown price policy is fail(); set its modelName(..) to a catalog model, add the model "
                    + "to the price catalog, or choose another UnknownPricePolicy", unknown);
        }
    }

    private static @Nullable Integer defaultMaxOutputTokens(ChatModel model) {
        try {
            return model.defaultRequestParameters() == null ? null : model.defaultRequestParameters().maxOutputTokens();
        } catch (RuntimeException notSupported) {
            return null;
        }
    }

    /**
     * The ledger this router charges, for tests and tools that inspect budgets.
     *
     * @return the ledger, or null when the router has no budget scope
     */
    public @Nullable BudgetLedger budgetLedger() {
        return budgets.ledger();
    }

    private static @Nullable String defaultModelName(ChatModel model) {
        try {
            return model.defaultRequestParameters() == null ? null : model.defaultRequestParameters().modelName();
        } catch (RuntimeException notSupported) {
            return null;
        }
    }

    private static Set<Capability> commonCapabilities(List<ProviderState> providers) {
        EnumSet<Capability> common = null;
        for (ProviderState provider : providers) {
            Set<Capability> own = provider.model.supportedCapabilities();
            EnumSet<Capability> these = own == null || own.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(own);
            if (common == null) {
                common = these;
            } else {
                common.retainAll(these);
            }
        }
        return common == null ? Set.of() : Collections.unmodifiableSet(common);
    }

    private static RetryConfig retryConfig(RetrySettings settings) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff().toMillis(),
                settings.multiplier(), settings.jitter(),
                settings.maxBackoff().toMillis());
        long maxRetryAfterNanos = settings.maxRetryAfter().toNanos();
        IntervalBiFunction<ChatResponse> interval = (retry, outcome) -> {
            long millis;
            if (outcome.isLeft() && outcome.getLeft() instanceof LlmException.RateLimited limited
                    && limited.retryAfter().isPresent()) {
                millis = limited.retryAfter().get().toMillis();
            } else {
                millis = backoff.apply(retry);
            }
            RouteCall.planWait(millis);
            return millis;
        };
        return RetryConfig.<ChatResponse>custom()
                .maxAttempts(settings.maxRetries() + 1)
                .intervalBiFunction(interval)
                .retryOnException(error -> error instanceof LlmException failure && shouldRetry(failure, maxRetryAfterNanos))
                .failAfterMaxAttempts(false)
                .writableStackTraceEnabled(false)
                .build();
    }

    private static boolean shouldRetry(LlmException failure, long maxRetryAfterNanos) {
        if (!failure.kind().isRetryable()) {
            return false;
        }
        if (failure instanceof LlmException.StreamInterrupted interrupted && !interrupted.restartable()) {
            return false; // the caller has the tokens; only the streaming router's policy may start over
        }
        if (failure instanceof LlmException.ProviderUnavailable unavailable && unavailable.circuitOpen()) {
            return false;
        }
        if (failure instanceof LlmException.RateLimited limited) {
            Optional<Duration> wait = limited.retryAfter();
            return wait.isEmpty() || wait.get().toNanos() <= maxRetryAfterNanos;
        }
        return true;
    }

    /** Carries a failure out of resilience4j's retry without retrying it. */
    private static final class StopRetrying extends RuntimeException {
        final LlmException failure;

        StopRetrying(@Nullable LlmException failure) {
            super(null, null, false, false);
            this.failure = failure == null
                    ? new LlmException.ProviderUnavailable(null, "attempt limit reached before any attempt", false, null)
                    : failure;
        }
    }

    /** A routed call on an executor whose cancellation interrupts the routing thread. */
    private static final class AsyncRoute extends InterruptibleTask<RoutedResponse> {
        private final DefaultRouter router;
        private final ChatRequest request;

        AsyncRoute(DefaultRouter router, ChatRequest request) {
            this.router = router;
            this.request = request;
        }

        @Override
        protected RoutedResponse compute() {
            return router.route(request);
        }
    }

    /** The default async executor: cached daemon threads, since routing blocks on I/O and backoff. */
    private static final class SharedExecutor {
        static final ExecutorService INSTANCE = Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "llmunit-router-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }
        });
    }
}
