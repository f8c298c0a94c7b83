package dev.llmunit.core.internal;

import dev.llmunit.core.cost.Cost;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.trace.LlmKeyNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one provider, registered once when the router is built so the per-call path only
 * increments them. Absent (null) when the router has no {@link MeterRegistry}.
 */
final class RouterMetrics {

    static final String CALLS = "llmunit.calls";
    static final String TOKENS = "llmunit.tokens";
    static final String COST = "llmunit.cost";
    static final String COST_UNKNOWN = "llmunit.cost.unknown";
    static final String FALLBACKS = "llmunit.fallbacks";
    static final String RETRIES = "llmunit.retries";
    static final String CIRCUIT_STATE = "llmunit.circuit.state";
    static final String STREAM_FIRST_TOKEN = "llmunit.stream.first.token";
    static final String STREAM_TOKENS_PER_SECOND = "llmunit.stream.tokens.per.second";
    static final String BUDGET_BREACHES = "llmunit.budget.breaches";

    private final Timer succeeded;
    private final Map<ErrorKind, Timer> failed = new EnumMap<>(ErrorKind.class);
    private final Map<ErrorKind, Timer> rejected = new EnumMap<>(ErrorKind.class);
    private final Counter inputTokens;
    private final Counter outputTokens;
    private final Counter cacheReadTokens;
    private final Counter cacheWriteTokens;
    private final Counter reasoningTokens;
    private final DistributionSummary cost;
    private final Counter unknownCost;
    private final Counter fallbacks;
    private final Counter retries;
    private final MeterRegistry registry;
    private final Tags base;
    /** Registered on the first streamed answer, so routers that never stream carry no stream meters. */
    private volatile @Nullable Timer firstToken;
    private volatile @Nullable DistributionSummary tokensPerSecond;
    private final Counter budgetBreaches;

    RouterMetrics(MeterRegistry registry, String router, ProviderState provider) {
        Tags base = Tags.of(LlmKeyNames.ROUTER.asString(), router, LlmKeyNames.PROVIDER.asString(), provider.name,
                LlmKeyNames.MODEL.asString(), provider.modelName == null ? "unknown" : provider.modelName);
        this.registry = registry;
        this.base = base;
        succeeded = timer(registry, base, "succeeded", "none");
        for (ErrorKind kind : ErrorKind.values()) {
            failed.put(kind, timer(registry, base, "failed", kind.name()));
            rejected.put(kind, timer(registry, base, "rejected", kind.name()));
        }
        inputTokens = tokens(registry, base, "input");
        outputTokens = tokens(registry, base, "output");
        cacheReadTokens = tokens(registry, base, "cache_read");
        cacheWriteTokens = tokens(registry, base, "cache_write");
        reasoningTokens = tokens(registry, base, "reasoning");
        cost = DistributionSummary.builder(COST).baseUnit("usd").description("Cost of successful attempts with a known price")
                .tags(base).register(registry);
        unknownCost = Counter.builder(COST_UNKNOWN).description("Successful attempts whose model has no price")
                .tags(base).register(registry);
        fallbacks = Counter.builder(FALLBACKS).description("Times the router moved on from this provider to another")
                .tags(base).register(registry);
        retries = Counter.builder(RETRIES).description("Retries of this provider").tags(base).register(registry);
        budgetBreaches = Counter.builder(BUDGET_BREACHES)
                .description("Budget scopes left above their limit by this provider's settled cost (it billed more than the estimate)")
                .tags(base).register(registry);
        Gauge.builder(CIRCUIT_STATE, provider, state -> state.circuitState().ordinal())
                .strongReference(true)
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open, 3 forced")
                .tags(base).register(registry);
    }

    void succeeded(long nanos, Usage usage, Cost price) {
        succeeded.record(nanos, TimeUnit.NANOSECONDS);
        inputTokens.increment(usage.inputTokens());
        outputTokens.increment(usage.outputTokens());
        if (usage.cacheReadTokens() > 0) {
            cacheReadTokens.increment(usage.cacheReadTokens());
        }
        if (usage.cacheWriteTokens() > 0) {
            cacheWriteTokens.increment(usage.cacheWriteTokens());
        }
        if (usage.reasoningTokens() > 0) {
            reasoningTokens.increment(usage.reasoningTokens());
        }
        if (price.isUnknown()) {
            unknownCost.increment();
        } else {
            cost.record(price.usd().amount().doubleValue());
        }
    }

    /**
     * Records a streamed answer's time to first token (from the serving attempt's start) and its
     * output rate, when it has one.
     */
    void streamed(long firstTokenNanos, OptionalDouble rate) {
        Timer timer = firstToken;
        if (timer == null) {
            timer = Timer.builder(STREAM_FIRST_TOKEN).description("Time from a streamed attempt's start to its first token")
                    .tags(base).register(registry);
            firstToken = timer;
        }
        timer.record(firstTokenNanos, TimeUnit.NANOSECONDS);
        if (rate.isPresent()) {
            DistributionSummary summary = tokensPerSecond;
            if (summary == null) {
                summary = DistributionSummary.builder(STREAM_TOKENS_PER_SECOND).baseUnit("tokens/s")
                        .description("Output tokens per second of streamed answers after their first token").tags(base).register(registry);
                tokensPerSecond = summary;
            }
            summary.record(rate.getAsDouble());
        }
    }

    void failed(long nanos, ErrorKind kind) {
        failed.get(kind).record(nanos, TimeUnit.NANOSECONDS);
    }

    void rejected(long nanos, ErrorKind kind) {
        rejected.get(kind).record(nanos, TimeUnit.NANOSECONDS);
    }

    void fellBack() {
        fallbacks.increment();
    }

    void retried() {
        retries.increment();
    }

    void budgetBreached(int scopes) {
        budgetBreaches.increment(scopes);
    }

    private static Timer timer(MeterRegistry registry, Tags base, String outcome, String kind) {
        return Timer.builder(CALLS).description("Attempts to call a provider")
                .tags(base).tag(LlmKeyNames.OUTCOME.asString(), outcome).tag(LlmKeyNames.ERROR_KIND.asString(), kind)
                .register(registry);
    }

    private static Counter tokens(MeterRegistry registry, Tags base, String type) {
        return Counter.builder(TOKENS).baseUnit("tokens").description("Tokens reported by successful attempts")
                .tags(base).tag(LlmKeyNames.TOKEN_TYPE.asString(), type).register(registry);
    }
}
