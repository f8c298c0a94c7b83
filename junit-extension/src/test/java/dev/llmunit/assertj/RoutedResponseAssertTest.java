package dev.llmunit.assertj;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RoutedResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoutedResponseAssertTest {

    private static final String AFTER_FALLBACK = "%nExpecting actual:%n"
            + "  response served by \"openai\" after 2 attempts:%n"
            + "    primary: FAILED RATE_LIMITED%n"
            + "    openai: SUCCEEDED, cost $0.00027%n";

    private static final String DIRECT = "%nExpecting actual:%n"
            + "  response served by \"openai\" after 1 attempt:%n"
            + "    openai: SUCCEEDED, cost $0.00027%n";

    private final RoutedResponse afterFallback = Routes.afterFallback();
    private final RoutedResponse direct = Routes.direct();

    @Test
    void wasServedByPassesForTheServingProvider() {
        assertThat(afterFallback).wasServedBy("openai");
    }

    @Test
    void wasServedByFailsShowingEveryAttempt() {
        assertThatThrownBy(() -> assertThat(afterFallback).wasServedBy("primary"))
                .isInstanceOf(AssertionError.class)
                .hasMessage((AFTER_FALLBACK + "to be served by:%n  \"primary\"%nbut was served by:%n  \"openai\"").formatted());
    }

    @Test
    void fellBackFromPassesForTheFailedProvidersInOrder() {
        assertThat(afterFallback).fellBackFrom("primary");
    }

    @Test
    void fellBackFromFailsWhenTheFirstProviderServed() {
        assertThatThrownBy(() -> assertThat(direct).fellBackFrom("primary"))
                .isInstanceOf(AssertionError.class)
                .hasMessage((DIRECT + "to have fallen back from, in order:%n  [\"primary\"]%nbut fell back from:%n  []").formatted());
    }

    @Test
    void fellBackFromFailsForADifferentList() {
        assertThatThrownBy(() -> assertThat(afterFallback).fellBackFrom("primary", "anthropic"))
                .isInstanceOf(AssertionError.class)
                .hasMessage((AFTER_FALLBACK
                        + "to have fallen back from, in order:%n  [\"primary\", \"anthropic\"]%nbut fell back from:%n  [\"primary\"]").formatted());
    }

    @Test
    void fellBackFromRejectsAnEmptyList() {
        assertThatThrownBy(() -> assertThat(afterFallback).fellBackFrom())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hadNoFallbacks()");
    }

    @Test
    void hasAttemptsPassesForTheAttemptCount() {
        assertThat(afterFallback).hasAttempts(2);
        assertThat(direct).hasAttempts(1);
    }

    @Test
    void hasAttemptsFailsShowingTheAttempts() {
        assertThatThrownBy(() -> assertThat(afterFallback).hasAttempts(1))
                .isInstanceOf(AssertionError.class)
                .hasMessage((AFTER_FALLBACK + "to have made:%n  1 attempt%nbut made:%n  2 attempts").formatted());
    }

    @Test
    void hadNoRetriesPassesWhenOnlyFallingBack() {
        assertThat(afterFallback).hadNoRetries();
    }

    @Test
    void hadNoRetriesFailsShowingTheRetry() {
        RoutedResponse afterRetry = Routes.afterRetry();

        assertThatThrownBy(() -> assertThat(afterRetry).hadNoRetries())
                .isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting actual:%n"
                        + "  response served by \"openai\" after 2 attempts:%n"
                        + "    openai: FAILED RATE_LIMITED%n"
                        + "    openai (retry 1): SUCCEEDED, cost $0.00027%n"
                        + "to have had no retries%nbut had:%n  1 retry").formatted());
    }

    @Test
    void hadNoFallbacksPassesWhenTheFirstProviderServed() {
        assertThat(direct).hadNoFallbacks();
        assertThat(Routes.afterRetry()).hadNoFallbacks();
    }

    @Test
    void hadNoFallbacksFailsShowingTheFailedProviders() {
        assertThatThrownBy(() -> assertThat(afterFallback).hadNoFallbacks())
                .isInstanceOf(AssertionError.class)
                .hasMessage((AFTER_FALLBACK + "to have had no fallbacks%nbut fell back from:%n  [\"primary\"]").formatted());
    }

    @Test
    void costsAtMostPassesAtAndAboveTheExactCost() {
        assertThat(afterFallback).costsAtMost(Usd.usd("0.00027")).costsAtMost(Usd.usd("0.001"));
    }

    @Test
    void costsAtMostFailsByTheSmallestAmountShowingEveryCost() {
        assertThatThrownBy(() -> assertThat(afterFallback).costsAtMost(Usd.usd("0.000269999")))
                .isInstanceOf(AssertionError.class)
                .hasMessage((AFTER_FALLBACK + "to cost at most:%n  $0.000269999%nbut cost:%n  $0.00027").formatted());
    }

    @Test
    void costsAtMostFailsWhenThePriceIsUnknownInsteadOfPassingAsFree() {
        assertThatThrownBy(() -> assertThat(Routes.unpriced()).costsAtMost(Usd.usd("1")))
                .isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting actual:%n"
                        + "  response served by \"house\" after 1 attempt:%n"
                        + "    house: SUCCEEDED, cost unknown (no price for house-model-v1)%n"
                        + "to cost at most:%n  $1.00%n"
                        + "but its cost is unknown:%n  1 attempt without a price, the priced part is $0.00").formatted());
    }

    @Test
    void costsPassesForTheExactCostWhateverTheScale() {
        assertThat(afterFallback).costs(Usd.usd("0.000270"));
    }

    @Test
    void costsFailsForAnotherAmount() {
        assertThatThrownBy(() -> assertThat(direct).costs(Usd.usd("0.0003")))
                .isInstanceOf(AssertionError.class)
                .hasMessage((DIRECT + "to cost exactly:%n  $0.0003%nbut cost:%n  $0.00027").formatted());
    }

    @Test
    void costsFailsWhenThePriceIsUnknown() {
        assertThatThrownBy(() -> assertThat(Routes.unpriced()).costs(Usd.ZERO))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to cost exactly:%n  $0.00%nbut its cost is unknown:".formatted());
    }

    @Test
    void completedWithinPassesForAGenerousLimit() {
        assertThat(direct).completedWithin(Duration.ofSeconds(10));
    }

    @Test
    void completedWithinFailsShowingTheTimeTaken() {
        RoutedResponse slow = Routes.slow(Duration.ofMillis(30));

        assertThatThrownBy(() -> assertThat(slow).completedWithin(Duration.ofMillis(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(DIRECT.formatted())
                .hasMessageContaining("to complete within:%n  5 ms%nbut took:%n  ".formatted())
                .hasMessageContaining(LlmErrorMessages.millis(slow.trace().totalTime()));
    }

    @Test
    void contentChecksWorkOnTheServedResponse() {
        assertThat(afterFallback)
                .contains("billing")
                .doesNotContain("refund")
                .hasModel(Routes.PRICED_MODEL)
                .hasInputTokens(1000)
                .hasOutputTokens(200)
                .hasTotalTokensAtMost(1200);
    }

    @Test
    void contentChecksFailShowingTheServedText() {
        assertThatThrownBy(() -> assertThat(afterFallback).contains("refund"))
                .isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting actual:%n  \"The ticket belongs in billing.\"%nto contain:%n  [\"refund\"]%n"
                        + "but could not find:%n  [\"refund\"]").formatted());
    }

    @Test
    void chatResponseNavigatesToTheServedResponse() {
        assertThat(afterFallback).wasServedBy("openai").chatResponse().contains("billing").hasModel(Routes.PRICED_MODEL);
    }

    @Test
    void chatResponseNavigationFailsLikeAChatResponseAssert() {
        assertThatThrownBy(() -> assertThat(afterFallback).chatResponse().hasModel("gpt-4o"))
                .isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting actual:%n  \"The ticket belongs in billing.\"%nto have model:%n  \"gpt-4o\"%n"
                        + "but had:%n  \"gpt-4o-mini-2024-07-18\"").formatted());
    }

    @Test
    void aNullRoutedResponseFails() {
        assertThatThrownBy(() -> assertThat((RoutedResponse) null).wasServedBy("openai"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }

    @Test
    void describedAsPrefixesTheMessage() {
        assertThatThrownBy(() -> assertThat(afterFallback).as("triage call").wasServedBy("primary"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("[triage call] %nExpecting actual:".formatted());
    }
}
