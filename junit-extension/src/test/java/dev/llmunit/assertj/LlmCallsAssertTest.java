package dev.llmunit.assertj;

import static dev.llmunit.assertj.Calls.call;
import static dev.llmunit.assertj.Calls.ledger;
import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LlmCallsAssertTest {

    private static final String LEDGER = "%nExpecting actual:%n  2 calls, total cost $0.00072, 2000 input + 400 output tokens:%n"
            + "    #1 openai/gpt-4o-mini, $0.00027, 120 ms, fixture triage%n"
            + "    #2 anthropic/gpt-4o-mini, $0.00045, 305 ms, 2 attempts, fixture refund%n";

    /** #1 openai at once; #2 anthropic after openai was rate limited. */
    private final LlmCall direct = call(1).build();
    private final LlmCall fellBack = call(2).failedFirstOn("openai", 0).servedBy("anthropic").costing("0.00045").taking(300)
            .fixture("refund").build();
    private final LlmCalls calls = ledger(direct, fellBack);

    @Test
    void hasSizePassesForTheCallCount() {
        assertThat(calls).hasSize(2);
        assertThat(ledger()).hasSize(0);
    }

    @Test
    void hasSizeFailsShowingEveryCallAndTheTotals() {
        assertThatThrownBy(() -> assertThat(calls).hasSize(1))
                .isInstanceOf(AssertionError.class)
                .hasMessage((LEDGER + "to have made:%n  1 call%nbut made:%n  2 calls").formatted());
    }

    @Test
    void isEmptyPassesWhenNoCallWasMade() {
        assertThat(ledger()).isEmpty();
    }

    @Test
    void isEmptyFailsShowingTheCalls() {
        assertThatThrownBy(() -> assertThat(calls).isEmpty())
                .isInstanceOf(AssertionError.class)
                .hasMessage((LEDGER + "to have made no calls%nbut made:%n  2 calls").formatted());
    }

    @Test
    void hasCallCountAtMostPassesAtTheLimit() {
        assertThat(calls).hasCallCountAtMost(2).hasCallCountAtMost(5);
    }

    @Test
    void hasCallCountAtMostFailsAboveTheLimit() {
        assertThatThrownBy(() -> assertThat(calls).hasCallCountAtMost(1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have made at most:%n  1 call%nbut made:%n  2 calls".formatted());
    }

    @Test
    void costsAtMostComparesTheExactTotal() {
        assertThat(calls).costsAtMost(Usd.usd("0.00072")).costsAtMost(Usd.usd("0.01"));
        assertThat(ledger()).costsAtMost(Usd.ZERO);
    }

    @Test
    void costsAtMostFailsShowingTheTotal() {
        assertThatThrownBy(() -> assertThat(calls).costsAtMost(Usd.usd("0.0007")))
                .isInstanceOf(AssertionError.class)
                .hasMessage((LEDGER + "to cost in total at most:%n  $0.0007%nbut cost:%n  $0.00072").formatted());
    }

    @Test
    void costsAtMostFailsWhenACallsCostIsUnknown() {
        LlmCall unpriced = call(3).servedBy("house").costing(null).build();

        assertThatThrownBy(() -> assertThat(ledger(direct, unpriced)).costsAtMost(Usd.usd("100")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 calls, total cost unknown")
                .hasMessageContaining("to cost in total at most:%n  $100.00%nbut its cost is unknown, these calls have no price:%n"
                        .formatted() + "  #3 house/gpt-4o-mini, cost unknown, 120 ms, fixture triage");
    }

    @Test
    void eachCostsAtMostPassesWhenEveryCallIsWithin() {
        assertThat(calls).eachCostsAtMost(Usd.usd("0.00045"));
    }

    @Test
    void eachCostsAtMostFailsListingTheCallsOverAndUnpriced() {
        LlmCall unpriced = call(3).servedBy("house").costing(null).build();

        assertThatThrownBy(() -> assertThat(ledger(direct, fellBack, unpriced)).eachCostsAtMost(Usd.usd("0.0003")))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith(("to have each call cost at most:%n  $0.0003%nbut these cost more or have no price:%n"
                        + "  #2 anthropic/gpt-4o-mini, $0.00045, 305 ms, 2 attempts, fixture refund%n"
                        + "  #3 house/gpt-4o-mini, cost unknown, 120 ms, fixture triage").formatted());
    }

    @Test
    void allServedByPassesWhenOneProviderServedEverything() {
        assertThat(ledger(direct, call(2).build())).allServedBy("openai");
    }

    @Test
    void allServedByFailsListingTheOtherCalls() {
        LlmCall failed = call(3).failing(ErrorKind.TIMEOUT).build();

        assertThatThrownBy(() -> assertThat(ledger(direct, fellBack, failed)).allServedBy("openai"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith(("to have every call served by:%n  \"openai\"%nbut these were not:%n"
                        + "  #2 anthropic/gpt-4o-mini, $0.00045, 305 ms, 2 attempts, fixture refund%n"
                        + "  #3 failed (TIMEOUT), $0.00027, 120 ms").formatted());
    }

    @Test
    void hadNoFallbacksPassesWhenTheFirstProviderServedEachCall() {
        assertThat(ledger(direct)).hadNoFallbacks();
    }

    @Test
    void hadNoFallbacksFailsNamingWhatEachCallFellBackFrom() {
        assertThatThrownBy(() -> assertThat(calls).hadNoFallbacks())
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith(("to have had no fallbacks%nbut these fell back:%n"
                        + "  #2 anthropic/gpt-4o-mini, $0.00045, 305 ms, 2 attempts, fixture refund (fell back from [openai])").formatted());
    }

    @Test
    void hadNoRetriesPassesWhenOnlyFallbacksHappened() {
        assertThat(calls).hadNoRetries();
    }

    @Test
    void hadNoRetriesFailsCountingEachCallsRetries() {
        LlmCall retried = call(3).failedFirstOn("openai", 0).build();

        assertThatThrownBy(() -> assertThat(ledger(direct, retried)).hadNoRetries())
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith(("to have had no retries%nbut these retried:%n"
                        + "  #3 openai/gpt-4o-mini, $0.00027, 125 ms, 2 attempts, fixture triage (1 retry)").formatted());
    }

    @Test
    void eachCompletedWithinJudgesTheRecordedLatency() {
        // The 3 ms overhead is left out: every attempt's latency was recorded.
        assertThat(calls).eachCompletedWithin(Duration.ofMillis(305));
    }

    @Test
    void eachCompletedWithinFailsListingTheSlowCalls() {
        assertThatThrownBy(() -> assertThat(calls).eachCompletedWithin(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith(("to have each call complete within:%n  200 ms%nbut these took longer:%n"
                        + "  #2 anthropic/gpt-4o-mini, $0.00045, 305 ms, 2 attempts, fixture refund (judged latency 305 ms)").formatted());
    }

    @Test
    void latencyPercentileAtMostPassesWhenThePercentileIsWithin() {
        LlmCalls ten = ledger(call(1).taking(100).build(), call(2).taking(100).build(), call(3).taking(100).build(),
                call(4).taking(100).build(), call(5).taking(100).build(), call(6).taking(100).build(), call(7).taking(100).build(),
                call(8).taking(100).build(), call(9).taking(100).build(), call(10).taking(900).build());

        assertThat(ten).latencyPercentileAtMost(90, Duration.ofMillis(100));
    }

    @Test
    void latencyPercentileAtMostFailsShowingThePercentile() {
        assertThatThrownBy(() -> assertThat(calls).latencyPercentileAtMost(95, Duration.ofMillis(250)))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have a p95 judged latency of at most:%n  250 ms%nbut the p95 was:%n  305 ms".formatted());
    }

    @Test
    void latencyPercentileAtMostRejectsAPercentileOutOfRange() {
        assertThatThrownBy(() -> assertThat(calls).latencyPercentileAtMost(0, Duration.ofMillis(250)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("percentile must be above 0 and at most 100, but was 0.0");
    }

    @Test
    void allHaveConfidenceAtLeastPassesWhenEveryCallIsSureEnough() {
        assertThat(ledger(call(1).confidence(0.91).build(), call(2).confidence(0.8).build())).allHaveConfidenceAtLeast(0.8);
    }

    @Test
    void allHaveConfidenceAtLeastFailsForLowAndUnknownConfidence() {
        LlmCalls mixed = ledger(call(1).confidence(0.91).build(), call(2).confidence(0.42).build(), call(3).build());

        assertThatThrownBy(() -> assertThat(mixed).allHaveConfidenceAtLeast(0.8))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(("to have every call with a confidence of at least:%n  0.8%nbut these had less, or none known:%n"
                        + "  #2 openai/gpt-4o-mini, $0.00027, 120 ms, confidence 0.42, fixture triage%n"
                        + "  #3 openai/gpt-4o-mini, $0.00027, 120 ms, fixture triage (confidence unknown: ").formatted())
                .hasMessageContaining("logprobs(true)");
    }

    @Test
    void totalTokensAtMostPassAtTheLimit() {
        assertThat(calls).totalInputTokensAtMost(2000).totalOutputTokensAtMost(400);
    }

    @Test
    void totalInputTokensAtMostFailsShowingTheTotal() {
        assertThatThrownBy(() -> assertThat(calls).totalInputTokensAtMost(1500))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have used in total at most input tokens:%n  1500%nbut used:%n  2000".formatted());
    }

    @Test
    void totalOutputTokensAtMostFailsShowingTheTotal() {
        assertThatThrownBy(() -> assertThat(calls).totalOutputTokensAtMost(399))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have used in total at most output tokens:%n  399%nbut used:%n  400".formatted());
    }

    @Test
    void allSucceededPassesWhenAProviderAnsweredEachCall() {
        assertThat(calls).allSucceeded();
    }

    @Test
    void allSucceededFailsListingTheFailedCalls() {
        LlmCall failed = call(3).failing(ErrorKind.RATE_LIMITED).costing("0").build();

        assertThatThrownBy(() -> assertThat(ledger(direct, failed)).allSucceeded())
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have every call succeed%nbut these failed:%n  #3 failed (RATE_LIMITED), $0.00, 120 ms".formatted());
    }

    @Test
    void servedFromFixturesPassesWhenAFixtureAnsweredEachCall() {
        assertThat(calls).servedFromFixtures();
    }

    @Test
    void servedFromFixturesFailsListingTheLiveCalls() {
        LlmCall live = call(3).fixture(null).build();

        assertThatThrownBy(() -> assertThat(ledger(direct, live)).servedFromFixtures())
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have every call answered by a fixture%nbut no fixture answered these:%n  #3 openai/gpt-4o-mini, $0.00027, 120 ms"
                        .formatted());
    }

    @Test
    void lastCallContinuesWithTheMostRecentCall() {
        assertThat(calls).hasSize(2).lastCall().wasServedBy("anthropic").usedFixture("refund");
    }

    @Test
    void lastCallFailsWhenNoCallWasMade() {
        assertThatThrownBy(() -> assertThat(ledger()).lastCall())
                .isInstanceOf(AssertionError.class)
                .hasMessage("%nExpecting actual:%n  no calls%nto have made at least one call%nbut made none".formatted());
    }

    @Test
    void everyCheckFailsForANullLedger() {
        assertThatThrownBy(() -> assertThat((LlmCalls) null).hasSize(0))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }
}
