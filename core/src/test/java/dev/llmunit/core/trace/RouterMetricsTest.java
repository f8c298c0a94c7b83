package dev.llmunit.core.trace;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.internal.DefaultRouter;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RouterBuilder;
import dev.llmunit.core.route.ScriptedChatModel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Micrometer meters of a router: {@code llmunit.calls} per attempt, {@code llmunit.tokens} per
 * token type, {@code llmunit.cost} and {@code llmunit.cost.unknown}, {@code llmunit.fallbacks},
 * {@code llmunit.retries} and the {@code llmunit.circuit.state} gauge, all tagged by provider and model.
 */
class RouterMetricsTest {

    private static final ChatRequest REQUEST = request("Classify this ticket");

    private static final String PROVIDER = LlmKeyNames.PROVIDER.asString();
    private static final String MODEL = LlmKeyNames.MODEL.asString();
    private static final String OUTCOME = LlmKeyNames.OUTCOME.asString();
    private static final String ERROR_KIND = LlmKeyNames.ERROR_KIND.asString();
    private static final String TOKEN_TYPE = LlmKeyNames.TOKEN_TYPE.asString();

    /** $1 per million input tokens, $2 per million output tokens. */
    private static final PriceCatalog PRICES = PriceCatalog.empty()
            .withPrice(ModelPrice.of("m", Usd.usd("0.000001"), Usd.usd("0.000002")))
            .withPrice(ModelPrice.of("model-a", Usd.usd("0.000001"), Usd.usd("0.000002")));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** One retry with a 1 ms backoff and no jitter, metered into {@link #meters}, priced by {@link #PRICES}. */
    private RouterBuilder meteredRouter() {
        return Router.builder()
                .meterRegistry(meters)
                .priceCatalog(PRICES)
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0));
    }

    /** Provider a (model-a) always unavailable, provider b (m) answering with 100 input and 50 output tokens. */
    private Router retryingAndFallingBack() {
        return meteredRouter()
                .provider("a", failingWith(ScriptedChatModel::unavailable), p -> p.modelName("model-a"))
                .provider("b", answeringWithUsage("from b", "m", new TokenUsage(100, 50)), p -> p.modelName("m"))
                .build();
    }

    private long calls(String provider, String model, String outcome, String errorKind) {
        return meters.get("llmunit.calls")
                .tags(PROVIDER, provider, MODEL, model, OUTCOME, outcome, ERROR_KIND, errorKind)
                .timer().count();
    }

    private double tokens(String provider, String type) {
        return meters.get("llmunit.tokens").tags(PROVIDER, provider, TOKEN_TYPE, type).counter().count();
    }

    private double counter(String name, String provider) {
        return meters.get(name).tags(PROVIDER, provider).counter().count();
    }

    private double circuitState(String provider) {
        return meters.get("llmunit.circuit.state").tags(PROVIDER, provider).gauge().value();
    }

    @Test
    void countsEveryAttemptByProviderModelOutcomeAndErrorKind() {
        // GIVEN a router whose first provider fails twice and whose second answers
        Router router = retryingAndFallingBack();

        // WHEN routing
        router.route(REQUEST);

        // THEN the calls timer counted a's two failures and b's success, and nothing else
        assertThat(calls("a", "model-a", "failed", "PROVIDER_UNAVAILABLE")).isEqualTo(2);
        assertThat(calls("b", "m", "succeeded", "none")).isEqualTo(1);
        assertThat(calls("a", "model-a", "succeeded", "none")).isZero();
        assertThat(calls("b", "m", "failed", "PROVIDER_UNAVAILABLE")).isZero();
        assertThat(meters.get("llmunit.calls").timers().stream().mapToLong(Timer::count).sum()).isEqualTo(3);
    }

    @Test
    void countsAnAttemptRefusedByAnOpenBreakerAsRejected() {
        // GIVEN provider a's breaker is open
        Router router = meteredRouter()
                .provider("a", answering("from a"), p -> p.modelName("model-a"))
                .provider("b", answering("from b"), p -> p.modelName("m"))
                .build();
        ((DefaultRouter) router).circuitBreaker("a").transitionToOpenState();

        // WHEN routing
        router.route(REQUEST);

        // THEN a's refusal is counted as rejected, not failed
        assertThat(calls("a", "model-a", "rejected", "PROVIDER_UNAVAILABLE")).isEqualTo(1);
        assertThat(calls("a", "model-a", "failed", "PROVIDER_UNAVAILABLE")).isZero();
        assertThat(calls("b", "m", "succeeded", "none")).isEqualTo(1);
    }

    @Test
    void countsInputAndOutputTokensOfTheServingProvider() {
        // GIVEN a router whose serving provider reports 100 input and 50 output tokens
        Router router = retryingAndFallingBack();

        // WHEN routing twice
        router.route(REQUEST);
        router.route(REQUEST);

        // THEN b's token counters add up both calls; a reported none, and no detail tokens appear
        assertThat(tokens("b", "input")).isEqualTo(200.0);
        assertThat(tokens("b", "output")).isEqualTo(100.0);
        assertThat(tokens("b", "cache_read")).isZero();
        assertThat(tokens("b", "reasoning")).isZero();
        assertThat(tokens("a", "input")).isZero();
        assertThat(tokens("a", "output")).isZero();
    }

    @Test
    void countsCacheReadAndReasoningTokensOfOpenAiUsage() {
        // GIVEN a provider reporting OpenAI usage with cached input and reasoning output
        OpenAiTokenUsage usage = OpenAiTokenUsage.builder()
                .inputTokenCount(1_000)
                .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(400).build())
                .outputTokenCount(300)
                .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(120).build())
                .totalTokenCount(1_300)
                .build();
        Router router = meteredRouter()
                .provider("o", answeringWithUsage("from o", "m", usage), p -> p.modelName("m"))
                .build();

        // WHEN routing
        router.route(REQUEST);

        // THEN each token type has its own counter; cached and reasoning tokens stay part of input and output
        assertThat(tokens("o", "input")).isEqualTo(1_000.0);
        assertThat(tokens("o", "output")).isEqualTo(300.0);
        assertThat(tokens("o", "cache_read")).isEqualTo(400.0);
        assertThat(tokens("o", "reasoning")).isEqualTo(120.0);
        assertThat(tokens("o", "cache_write")).isZero();
    }

    @Test
    void recordsTheExactCostOfACall() {
        // GIVEN model m at $0.000001 per input and $0.000002 per output token, and a call of 1234 + 567 tokens
        Router router = meteredRouter()
                .provider("p", answeringWithUsage("from p", "m", new TokenUsage(1_234, 567)), p -> p.modelName("m"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the cost summary holds one sample of exactly 1234 × 0.000001 + 567 × 0.000002 = 0.002368
        DistributionSummary cost = meters.get("llmunit.cost").tags(PROVIDER, "p", MODEL, "m").summary();
        assertThat(response.cost()).isEqualTo(Usd.usd("0.002368"));
        assertThat(cost.count()).isEqualTo(1);
        assertThat(cost.totalAmount()).isEqualTo(Usd.usd("0.002368").amount().doubleValue());
        assertThat(cost.getId().getBaseUnit()).isEqualTo("usd");
        assertThat(counter("llmunit.cost.unknown", "p")).isZero();
    }

    @Test
    void countsACallWhoseModelHasNoPriceAsUnknownCost() {
        // GIVEN a provider whose model is not in the catalog
        Router router = meteredRouter()
                .provider("p", answeringWithUsage("from p", "unpriced-model", new TokenUsage(10, 5)),
                        p -> p.modelName("unpriced-model"))
                .build();

        // WHEN routing
        router.route(REQUEST);

        // THEN the call counts as unknown cost and records no cost sample (zero would read as free)
        assertThat(counter("llmunit.cost.unknown", "p")).isEqualTo(1.0);
        assertThat(meters.get("llmunit.cost").tags(PROVIDER, "p").summary().count()).isZero();
    }

    @Test
    void countsAFallbackForTheProviderFallenBackFrom() {
        // GIVEN a router whose first provider fails twice and whose second answers
        Router router = retryingAndFallingBack();

        // WHEN routing
        router.route(REQUEST);

        // THEN one fallback counted on a, none on b
        assertThat(counter("llmunit.fallbacks", "a")).isEqualTo(1.0);
        assertThat(counter("llmunit.fallbacks", "b")).isZero();
    }

    @Test
    void countsNoFallbackWhenTheFirstProviderServes() {
        // GIVEN a router whose first provider answers
        Router router = meteredRouter()
                .provider("a", answering("from a"), p -> p.modelName("model-a"))
                .provider("b", answering("from b"), p -> p.modelName("m"))
                .build();

        // WHEN routing
        router.route(REQUEST);

        // THEN no fallback counted
        assertThat(counter("llmunit.fallbacks", "a")).isZero();
        assertThat(counter("llmunit.fallbacks", "b")).isZero();
    }

    @Test
    void countsRetriesOfTheProviderRetried() {
        // GIVEN a router whose first provider fails twice (one retry) and whose second answers
        Router router = retryingAndFallingBack();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN one retry of a, as in the trace, and none of b
        assertThat(response.retries()).isEqualTo(1);
        assertThat(counter("llmunit.retries", "a")).isEqualTo(1.0);
        assertThat(counter("llmunit.retries", "b")).isZero();
    }

    @Test
    void countsARetryThatSucceeds() {
        // GIVEN a provider unavailable once, then answering
        Router router = meteredRouter()
                .provider("a", answering("from a").throwingFirst(ScriptedChatModel.unavailable()), p -> p.modelName("model-a"))
                .build();

        // WHEN routing
        router.route(REQUEST);

        // THEN one retry, one failed and one succeeded attempt
        assertThat(counter("llmunit.retries", "a")).isEqualTo(1.0);
        assertThat(calls("a", "model-a", "failed", "PROVIDER_UNAVAILABLE")).isEqualTo(1);
        assertThat(calls("a", "model-a", "succeeded", "none")).isEqualTo(1);
    }

    @Test
    void readsTheCircuitStateGaugeAsZeroWhenClosedAndOneWhenOpen() {
        // GIVEN a router with a closed breaker on a
        Router router = meteredRouter()
                .provider("a", answering("from a"), p -> p.modelName("model-a"))
                .build();
        assertThat(circuitState("a")).isEqualTo(0.0);

        // WHEN the breaker is forced open
        ((DefaultRouter) router).circuitBreaker("a").transitionToOpenState();

        // THEN the gauge reads 1
        assertThat(circuitState("a")).isEqualTo(1.0);
    }

    @Test
    void readsTheCircuitStateOfEachRouterSharingARegistry() {
        // GIVEN two named routers on one registry, both with a provider named a
        Router first = meteredRouter().name("first").provider("a", answering("from first"), p -> p.modelName("model-a")).build();
        Router second = meteredRouter().name("second").provider("a", answering("from second"), p -> p.modelName("model-a")).build();

        // WHEN the second router's breaker opens
        ((DefaultRouter) second).circuitBreaker("a").transitionToOpenState();

        // THEN each router's gauge reports its own breaker
        assertThat(first.circuitState("a")).isEqualTo(CircuitState.CLOSED);
        assertThat(meters.get("llmunit.circuit.state").tag("llmunit.router", "first").gauge().value()).isEqualTo(0.0);
        assertThat(meters.get("llmunit.circuit.state").tag("llmunit.router", "second").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void registersNoMeterAnywhereWithoutAMeterRegistry() {
        // GIVEN a registry watching the global composite, and a router without a meter registry
        SimpleMeterRegistry global = new SimpleMeterRegistry();
        Metrics.addRegistry(global);
        try {
            Router router = Router.builder()
                    .priceCatalog(PRICES)
                    .provider("a", answeringWithUsage("from a", "m", new TokenUsage(10, 5)), p -> p.modelName("m"))
                    .build();

            // WHEN routing
            RoutedResponse response = router.route(REQUEST);

            // THEN the call is served and no llmunit meter exists, not even in the global registry
            assertThat(response.provider()).isEqualTo("a");
            assertThat(global.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("llmunit."));
            assertThat(Metrics.globalRegistry.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("llmunit."));
        } finally {
            Metrics.removeRegistry(global);
            global.close();
        }
    }
}
