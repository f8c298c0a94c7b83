package dev.llmunit.core.route;

import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.BudgetEvent;
import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.BudgetStatus;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.UnknownPricePolicy;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.internal.DefaultRouter;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Budgets in the router: the per-request limit, reservations in budget scopes, and the pre-flight
 * estimate they check. Prices and the input estimate are fixed, so every amount is exact:
 * 100 input tokens at $0.000001 and each output token at $0.000002.
 */
class RouterBudgetTest {

    private static final ModelPrice TEST_MODEL = ModelPrice.of("test-model", usd("0.000001"), usd("0.000002"));
    private static final PriceCatalog PRICES = PriceCatalog.empty().withPrice(TEST_MODEL);
    /** With {@code maxOutputTokens(100)}: 100 × $0.000001 + 100 × $0.000002. */
    private static final Usd ESTIMATE = usd("0.0003");
    /** What the provider reports, 100 in and 80 out: 100 × $0.000001 + 80 × $0.000002. */
    private static final Usd ACTUAL = usd("0.00026");
    private static final ChatRequest REQUEST = requestWithMaxOutputTokens(100);

    private final BudgetLedger ledger = BudgetLedger.inMemory();
    private final List<BudgetEvent> events = new CopyOnWriteArrayList<>();

    /** A router with exact prices and input estimate, one provider {@code p} priced as test-model. */
    private static RouterBuilder priced(ScriptedChatModel provider) {
        return Router.builder()
                .priceCatalog(PRICES)
                .tokenEstimator(messages -> 100)
                .retry(r -> r.maxRetries(0))
                .provider("p", provider, p -> p.modelName("test-model"));
    }

    private static ScriptedChatModel billing() {
        return answeringWithUsage("answer", "test-model", 100, 80);
    }

    private static ChatRequest requestWithMaxOutputTokens(int maxOutputTokens) {
        return ChatRequest.builder().messages(UserMessage.from("Summarise this ticket")).maxOutputTokens(maxOutputTokens).build();
    }

    private static ChatRequest requestWithoutMaxOutputTokens() {
        return ChatRequest.builder().messages(UserMessage.from("Summarise this ticket")).build();
    }

    /** The amounts of the reservations the ledger granted, in order. */
    private List<Usd> reservedAmounts() {
        return events.stream()
                .filter(BudgetEvent.Reserved.class::isInstance)
                .map(event -> ((BudgetEvent.Reserved) event).amount())
                .toList();
    }

    // The per-request limit

    @Test
    void refusesARequestWhoseEstimateExceedsMaxCostPerRequestBeforeCallingTheProvider() {
        // GIVEN a $0.0002 per-request limit and a $0.0003 estimate
        ScriptedChatModel provider = billing();
        Router router = priced(provider).maxCostPerRequest(usd("0.0002")).build();

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> router.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN the router throws the refusal itself (budget refusals do not fall back by default)
        assertThat(provider.calls()).isZero();
        assertThat(refused.kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
        assertThat(refused.provider()).isEqualTo("p");
        assertThat(refused).hasMessage("p: estimated cost $0.0003 (100 input tokens, up to 100 output tokens of test-model) "
                + "exceeds the per-request limit $0.0002");
    }

    @Test
    void doesNotFallBackWhenMaxCostPerRequestRefusesTheFirstProvider() {
        // GIVEN a second, equally priced provider
        ScriptedChatModel second = billing();
        Router router = priced(billing())
                .provider("q", second, p -> p.modelName("test-model"))
                .maxCostPerRequest(usd("0.0002"))
                .build();

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> router.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN
        assertThat(refused.provider()).isEqualTo("p");
        assertThat(second.calls()).isZero();
    }

    @Test
    void recordsTheRefusalAsARejectedAttemptWhenBudgetRefusalsFallBack() {
        // GIVEN budget refusals among the fallback kinds, and one provider
        ScriptedChatModel provider = billing();
        Router router = priced(provider)
                .fallbackOn(EnumSet.of(ErrorKind.BUDGET_EXCEEDED))
                .maxCostPerRequest(usd("0.0002"))
                .build();

        // WHEN
        LlmException.AllProvidersFailed failed = catchThrowableOfType(() -> router.route(REQUEST),
                LlmException.AllProvidersFailed.class);

        // THEN
        assertThat(provider.calls()).isZero();
        assertThat(failed.attempts())
                .extracting(Attempt::provider, Attempt::outcome, Attempt::errorKind, Attempt::cost)
                .containsExactly(tuple("p", Outcome.REJECTED, ErrorKind.BUDGET_EXCEEDED, null));
        assertThat(failed.lastFailure()).isInstanceOf(LlmException.BudgetExceeded.class)
                .hasMessageContaining("estimated cost $0.0003")
                .hasMessageContaining("per-request limit $0.0002");
    }

    @Test
    void fallsBackToACheaperProviderWhenBudgetRefusalsFallBack() {
        // GIVEN an expensive first provider over the limit, a cheap second one under it
        ScriptedChatModel expensive = billing();
        ScriptedChatModel cheap = answeringWithUsage("cheap answer", "cheap-model", 100, 80);
        Router router = Router.builder()
                .priceCatalog(PRICES.withPrice(ModelPrice.of("cheap-model", usd("0.0000001"), usd("0.0000002"))))
                .tokenEstimator(messages -> 100)
                .fallbackOn(EnumSet.of(ErrorKind.BUDGET_EXCEEDED))
                .maxCostPerRequest(usd("0.0002"))
                .provider("expensive", expensive, p -> p.modelName("test-model"))
                .provider("cheap", cheap, p -> p.modelName("cheap-model"))
                .build();

        // WHEN
        RoutedResponse response = router.route(REQUEST);

        // THEN
        assertThat(response.provider()).isEqualTo("cheap");
        assertThat(response.cost()).isEqualTo(usd("0.000026"));
        assertThat(response.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.REJECTED, Outcome.SUCCEEDED);
        assertThat(expensive.calls()).isZero();
    }

    @Test
    void passesARequestWhoseEstimateIsUnderMaxCostPerRequest() {
        // GIVEN
        ScriptedChatModel provider = billing();
        Router router = priced(provider).maxCostPerRequest(usd("0.001")).build();

        // WHEN
        RoutedResponse response = router.route(REQUEST);

        // THEN
        assertThat(provider.calls()).isEqualTo(1);
        assertThat(response.cost()).isEqualTo(ACTUAL);
    }

    @Test
    void passesARequestWhoseEstimateEqualsMaxCostPerRequest() {
        // GIVEN a limit of exactly the estimate
        ScriptedChatModel provider = billing();
        Router router = priced(provider).maxCostPerRequest(ESTIMATE).build();

        // WHEN
        RoutedResponse response = router.route(REQUEST);

        // THEN
        assertThat(provider.calls()).isEqualTo(1);
        assertThat(response.provider()).isEqualTo("p");
    }

    @Test
    void refusesOverMaxCostPerRequestWithoutTouchingTheBudget() {
        // GIVEN a budget scope as well
        ledger.addListener(events::add);
        Router router = priced(billing()).maxCostPerRequest(usd("0.0002")).budgetLedger(ledger).budget("b", usd("1.00")).build();

        // WHEN
        catchThrowableOfType(() -> router.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN nothing was reserved, nor counted as the scope's refusal
        assertThat(events).isEmpty();
        assertThat(ledger.status("b")).isEqualTo(new BudgetStatus("b", usd("1.00"), Usd.ZERO, Usd.ZERO, 0));
    }

    // Providers without a price

    @Test
    void refusesAProviderWithoutPriceWhenABudgetIsActiveAndSaysHowToFixIt() {
        // GIVEN a provider whose model the catalog does not know
        ScriptedChatModel provider = billing();
        Router router = Router.builder()
                .priceCatalog(PRICES)
                .tokenEstimator(messages -> 100)
                .provider("p", provider, p -> p.modelName("mystery-model"))
                .budgetLedger(ledger)
                .budget("b", usd("1.00"))
                .build();

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> router.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN
        assertThat(provider.calls()).isZero();
        assertThat(refused).hasMessage("p: no price for model 'mystery-model', so its cost cannot be checked against the budget; "
                + "add the model to the price catalog or set UnknownPricePolicy.useDefault(..)");
        assertThat(ledger.status("b").reserved()).isEqualTo(Usd.ZERO);
    }

    @Test
    void refusesAProviderWithoutPriceUnderMaxCostPerRequest() {
        // GIVEN only a per-request limit
        ScriptedChatModel provider = billing();
        Router router = Router.builder()
                .priceCatalog(PRICES)
                .tokenEstimator(messages -> 100)
                .provider("p", provider, p -> p.modelName("mystery-model"))
                .maxCostPerRequest(usd("1.00"))
                .build();

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> router.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN
        assertThat(provider.calls()).isZero();
        assertThat(refused).hasMessageContaining("no price for model 'mystery-model'");
    }

    @Test
    void chargesAProviderWithoutPriceTheDefaultPriceUnderUseDefault() {
        // GIVEN the fix the refusal suggests
        Router router = Router.builder()
                .priceCatalog(PRICES)
                .tokenEstimator(messages -> 100)
                .unknownPricePolicy(UnknownPricePolicy.useDefault(ModelPrice.of("default", usd("0.000001"), usd("0.000002"))))
                .provider("p", answeringWithUsage("answer", "mystery-model", 100, 80), p -> p.modelName("mystery-model"))
                .budgetLedger(ledger)
                .budget("b", usd("1.00"))
                .build();

        // WHEN
        RoutedResponse response = router.route(REQUEST);

        // THEN
        assertThat(response.cost()).isEqualTo(ACTUAL);
        assertThat(ledger.status("b").spent()).isEqualTo(ACTUAL);
    }

    // Budget scopes

    @Test
    void settlesTheActualCostOfASuccessfulCall() {
        // GIVEN
        Router router = priced(billing()).budgetLedger(ledger).budget("b", usd("1.00")).build();

        // WHEN
        RoutedResponse response = router.route(REQUEST);

        // THEN
        assertThat(response.cost()).isEqualTo(ACTUAL);
        assertThat(ledger.status("b")).isEqualTo(new BudgetStatus("b", usd("1.00"), ACTUAL, Usd.ZERO, 0));
    }

    @Test
    void tellsLedgerListenersOfTheReservationThenTheSettlementOfARoutedCall() {
        // GIVEN
        ledger.addListener(events::add);
        Router router = priced(billing()).budgetLedger(ledger).budget("b", usd("1.00")).build();

        // WHEN
        router.route(REQUEST);

        // THEN
        assertThat(events).containsExactly(
                new BudgetEvent.Reserved("b", ESTIMATE, new BudgetStatus("b", usd("1.00"), Usd.ZERO, ESTIMATE, 0)),
                new BudgetEvent.Settled("b", ESTIMATE, ACTUAL, new BudgetStatus("b", usd("1.00"), ACTUAL, Usd.ZERO, 0)));
    }

    @Test
    void refusesACallOnceTheScopeCannotAffordItsEstimate() {
        // GIVEN $0.0005: the first call ($0.00026 spent) leaves less than the $0.0003 estimate
        ScriptedChatModel provider = billing();
        Router router = priced(provider).budgetLedger(ledger).budget("b", usd("0.0005")).build();
        router.route(REQUEST);

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> router.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN
        assertThat(provider.calls()).isEqualTo(1);
        assertThat(refused).hasMessage("p: estimated cost $0.0003 would exceed budget 'b' (limit $0.0005, spent $0.00026, "
                + "reserved by calls in flight $0.00)");
        assertThat(ledger.status("b")).isEqualTo(new BudgetStatus("b", usd("0.0005"), ACTUAL, Usd.ZERO, 1));
    }

    @Test
    void releasesTheReservationOfAFailedCall() {
        // GIVEN a provider that rejects the request
        ledger.addListener(events::add);
        Router router = priced(ScriptedChatModel.failingWith(ScriptedChatModel::invalidRequest))
                .budgetLedger(ledger)
                .budget("b", usd("1.00"))
                .build();

        // WHEN
        catchThrowableOfType(() -> router.route(REQUEST), LlmException.InvalidRequest.class);

        // THEN
        assertThat(ledger.status("b")).isEqualTo(new BudgetStatus("b", usd("1.00"), Usd.ZERO, Usd.ZERO, 0));
        assertThat(events).extracting(event -> event.getClass().getSimpleName()).containsExactly("Reserved", "Released");
    }

    @Test
    void reservesAgainForARetryAndChargesOnlyTheAttemptThatSucceeded() {
        // GIVEN a provider that fails once with a 5xx, then answers; one quick retry
        ledger.addListener(events::add);
        Router router = priced(billing().throwingFirst(ScriptedChatModel.unavailable()))
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .budgetLedger(ledger)
                .budget("b", usd("1.00"))
                .build();

        // WHEN
        RoutedResponse response = router.route(REQUEST);

        // THEN
        assertThat(response.retries()).isEqualTo(1);
        assertThat(events).extracting(event -> event.getClass().getSimpleName())
                .containsExactly("Reserved", "Released", "Reserved", "Settled");
        assertThat(ledger.status("b")).isEqualTo(new BudgetStatus("b", usd("1.00"), ACTUAL, Usd.ZERO, 0));
    }

    @Test
    void releasesTheReservationWhenTheCircuitBreakerRejectsTheAttempt() {
        // GIVEN p's breaker forced open
        ScriptedChatModel provider = billing();
        Router router = priced(provider).budgetLedger(ledger).budget("b", usd("1.00")).build();
        ((DefaultRouter) router).circuitBreaker("p").transitionToForcedOpenState();

        // WHEN
        LlmException.AllProvidersFailed failed = catchThrowableOfType(() -> router.route(REQUEST),
                LlmException.AllProvidersFailed.class);

        // THEN
        assertThat(failed.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.REJECTED);
        assertThat(provider.calls()).isZero();
        assertThat(ledger.status("b")).isEqualTo(new BudgetStatus("b", usd("1.00"), Usd.ZERO, Usd.ZERO, 0));
    }

    @Test
    void chargesEveryScopeOfTheRouter() {
        // GIVEN a suite-wide and a per-test scope
        Router router = priced(billing()).budgetLedger(ledger).budget("suite", usd("1.00")).budget("test", usd("0.01")).build();

        // WHEN
        router.route(REQUEST);

        // THEN
        assertThat(ledger.status("suite").spent()).isEqualTo(ACTUAL);
        assertThat(ledger.status("test").spent()).isEqualTo(ACTUAL);
    }

    @Test
    void releasesTheFirstScopesReservationWhenASecondScopeRefuses() {
        // GIVEN a wide scope, then a scope too narrow for the estimate
        ledger.addListener(events::add);
        ScriptedChatModel provider = billing();
        Router router = priced(provider).budgetLedger(ledger).budget("wide", usd("1.00")).budget("narrow", usd("0.0002")).build();

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> router.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN
        assertThat(refused).hasMessageContaining("would exceed budget 'narrow' (limit $0.0002");
        assertThat(provider.calls()).isZero();
        assertThat(events).extracting(event -> event.getClass().getSimpleName() + " " + event.scope())
                .containsExactly("Reserved wide", "Refused narrow", "Released wide");
        assertThat(ledger.status("wide").reserved()).isEqualTo(Usd.ZERO);
    }

    @Test
    void aBudgetListenerThatThrowsNeitherFailsTheCallNorLeaksAReservation() {
        // GIVEN two scopes and a listener that throws on every settlement
        ledger.addListener(event -> {
            if (event instanceof BudgetEvent.Settled) {
                throw new IllegalStateException("listener bug");
            }
        });
        Router router = priced(billing()).budgetLedger(ledger).budget("suite", usd("1.00")).budget("test", usd("1.00")).build();

        // WHEN
        RoutedResponse response = router.route(REQUEST);

        // THEN
        assertThat(response.cost()).isEqualTo(ACTUAL);
        assertThat(ledger.status("suite")).isEqualTo(new BudgetStatus("suite", usd("1.00"), ACTUAL, Usd.ZERO, 0));
        assertThat(ledger.status("test")).isEqualTo(new BudgetStatus("test", usd("1.00"), ACTUAL, Usd.ZERO, 0));
    }

    @Test
    void routersSharingALedgerShareTheLimitOfTheirScope() {
        // GIVEN two routers charging "shared", whose $0.0005 limit is set on the ledger itself
        ledger.limit("shared", usd("0.0005"));
        ScriptedChatModel first = billing();
        ScriptedChatModel second = billing();
        Router one = priced(first).budgetLedger(ledger).budgetScope("shared").build();
        Router two = priced(second).budgetLedger(ledger).budgetScope("shared").build();
        one.route(REQUEST);

        // WHEN the second router's call would take the scope past the limit the first one nearly used
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> two.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN
        assertThat(refused).hasMessageContaining("would exceed budget 'shared' (limit $0.0005, spent $0.00026");
        assertThat(second.calls()).isZero();
        assertThat(ledger.status("shared")).isEqualTo(new BudgetStatus("shared", usd("0.0005"), ACTUAL, Usd.ZERO, 1));
    }

    @Test
    void aScopeWithoutLimitOnlyTracksTheRoutersSpending() {
        // GIVEN a scope no one set a limit for
        Router router = priced(billing()).budgetLedger(ledger).budgetScope("tracked").build();

        // WHEN
        router.route(REQUEST);
        router.route(REQUEST);

        // THEN
        assertThat(ledger.status("tracked")).isEqualTo(new BudgetStatus("tracked", null, ACTUAL.times(2), Usd.ZERO, 0));
    }

    // The pre-flight estimate

    @Test
    void estimatesOutputWithTheRequestsMaxOutputTokensFirst() {
        // GIVEN a model default of 200 and a catalog maximum of 300, and a request asking for at most 50
        ledger.addListener(events::add);
        Router router = Router.builder()
                .priceCatalog(PriceCatalog.empty().withPrice(TEST_MODEL.withLimits(null, 300)))
                .tokenEstimator(messages -> 100)
                .provider("p", billing().withDefaultMaxOutputTokens(200), p -> p.modelName("test-model"))
                .budgetLedger(ledger)
                .budgetScope("tracked")
                .build();

        // WHEN
        router.route(requestWithMaxOutputTokens(50));

        // THEN 100 × $0.000001 + 50 × $0.000002
        assertThat(reservedAmounts()).containsExactly(usd("0.0002"));
    }

    @Test
    void estimatesOutputWithTheModelsDefaultMaxOutputTokensWhenTheRequestSetsNone() {
        // GIVEN a model default of 200 and a catalog maximum of 300
        ledger.addListener(events::add);
        Router router = Router.builder()
                .priceCatalog(PriceCatalog.empty().withPrice(TEST_MODEL.withLimits(null, 300)))
                .tokenEstimator(messages -> 100)
                .provider("p", billing().withDefaultMaxOutputTokens(200), p -> p.modelName("test-model"))
                .budgetLedger(ledger)
                .budgetScope("tracked")
                .build();

        // WHEN
        router.route(requestWithoutMaxOutputTokens());

        // THEN 100 × $0.000001 + 200 × $0.000002
        assertThat(reservedAmounts()).containsExactly(usd("0.0005"));
    }

    @Test
    void estimatesOutputWithTheCatalogsMaxOutputTokensWhenNeitherRequestNorModelSetsOne() {
        // GIVEN a catalog maximum of 300
        ledger.addListener(events::add);
        Router router = Router.builder()
                .priceCatalog(PriceCatalog.empty().withPrice(TEST_MODEL.withLimits(null, 300)))
                .tokenEstimator(messages -> 100)
                .provider("p", billing(), p -> p.modelName("test-model"))
                .budgetLedger(ledger)
                .budgetScope("tracked")
                .build();

        // WHEN
        router.route(requestWithoutMaxOutputTokens());

        // THEN 100 × $0.000001 + 300 × $0.000002
        assertThat(reservedAmounts()).containsExactly(usd("0.0007"));
    }

    @Test
    void estimatesOutputAt4096TokensWhenNothingGivesAMaximum() {
        // GIVEN no maximum in request, model or catalog
        ledger.addListener(events::add);
        Router router = priced(billing()).budgetLedger(ledger).budgetScope("tracked").build();

        // WHEN
        router.route(requestWithoutMaxOutputTokens());

        // THEN 100 × $0.000001 + 4096 × $0.000002
        assertThat(reservedAmounts()).containsExactly(usd("0.008292"));
    }

    @Test
    void estimatesInputWithTheRoutersTokenEstimatorOncePerCall() {
        // GIVEN an estimator of 1,000 tokens that counts its uses, and a provider failing once before answering
        ledger.addListener(events::add);
        AtomicInteger estimates = new AtomicInteger();
        Router router = Router.builder()
                .priceCatalog(PRICES)
                .tokenEstimator(messages -> {
                    estimates.incrementAndGet();
                    return 1_000;
                })
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .provider("p", billing().throwingFirst(ScriptedChatModel.unavailable()), p -> p.modelName("test-model"))
                .budgetLedger(ledger)
                .budgetScope("tracked")
                .build();

        // WHEN
        router.route(REQUEST);

        // THEN both attempts reserve 1,000 × $0.000001 + 100 × $0.000002, estimated once
        assertThat(reservedAmounts()).containsExactly(usd("0.0012"), usd("0.0012"));
        assertThat(estimates.get()).isEqualTo(1);
    }
    // The estimate without a call, for callers that reserve before routing (ensembles)

    @Test
    void estimatesARequestWithoutCallingAnyProvider() {
        ScriptedChatModel provider = billing();
        DefaultRouter router = (DefaultRouter) priced(provider).build();

        assertThat(router.estimateCost(REQUEST)).contains(ESTIMATE);
        assertThat(provider.calls()).isZero();
    }

    @Test
    void estimatesTheCostliestProviderSinceAFallbackMayServe() {
        DefaultRouter router = (DefaultRouter) priced(billing())
                .priceCatalog(PRICES.withPrice(ModelPrice.of("dear-model", usd("0.000002"), usd("0.000004"))))
                .provider("dear", billing(), p -> p.modelName("dear-model"))
                .build();

        assertThat(router.estimateCost(REQUEST)).contains(usd("0.0006"));
    }

    @Test
    void hasNoEstimateWhenAProviderIsUnpriced() {
        DefaultRouter router = (DefaultRouter) priced(billing()).provider("free?", billing(), p -> p.modelName("no-such-model")).build();

        assertThat(router.estimateCost(REQUEST)).isEmpty();
    }
}
