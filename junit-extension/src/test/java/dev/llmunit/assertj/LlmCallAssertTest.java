package dev.llmunit.assertj;

import static dev.llmunit.assertj.Calls.call;
import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.junit.LlmCall;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LlmCallAssertTest {

    private static final String FELL_BACK = "%nExpecting actual:%n"
            + "  call #2 anthropic/gpt-4o-mini, $0.00045, 305 ms, 2 attempts, confidence 0.87, fixture refund%n"
            + "    openai: RATE_LIMITED in 5 ms (recorded), $0.00%n"
            + "    anthropic: ok in 300 ms (recorded), $0.00045, fixture refund%n";

    private final LlmCall fellBack = call(2).failedFirstOn("openai", 0).servedBy("anthropic").costing("0.00045").taking(300)
            .fixture("refund").confidence(0.87).build();

    @Test
    void passesWhenEveryCheckHolds() {
        assertThat(fellBack)
                .wasServedBy("anthropic")
                .costsAtMost(Usd.usd("0.00045"))
                .completedWithin(Duration.ofMillis(305))
                .hasConfidenceAtLeast(0.87)
                .hasAttempts(2)
                .fellBackFrom("openai")
                .usedFixture("refund");
    }

    @Test
    void wasServedByFailsShowingTheCallAndEachAttempt() {
        assertThatThrownBy(() -> assertThat(fellBack).wasServedBy("openai"))
                .isInstanceOf(AssertionError.class)
                .hasMessage((FELL_BACK + "to be served by:%n  \"openai\"%nbut was served by:%n  \"anthropic\"").formatted());
    }

    @Test
    void wasServedByFailsForACallNoProviderServed() {
        assertThatThrownBy(() -> assertThat(call(1).failing(ErrorKind.TIMEOUT).build()).wasServedBy("openai"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("but was served by:%n  no provider, every attempt failed".formatted());
    }

    @Test
    void costsAtMostFailsShowingTheCost() {
        assertThatThrownBy(() -> assertThat(fellBack).costsAtMost(Usd.usd("0.0004")))
                .isInstanceOf(AssertionError.class)
                .hasMessage((FELL_BACK + "to cost at most:%n  $0.0004%nbut cost:%n  $0.00045").formatted());
    }

    @Test
    void costsAtMostFailsWhenTheCostIsUnknown() {
        assertThatThrownBy(() -> assertThat(call(1).servedBy("house").costing(null).build()).costsAtMost(Usd.usd("1")))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith(("to cost at most:%n  $1.00%nbut its cost is unknown, these attempts have no price:%n"
                        + "  house: ok in 120 ms (recorded), fixture triage").formatted());
    }

    @Test
    void completedWithinFailsShowingTheJudgedLatency() {
        assertThatThrownBy(() -> assertThat(fellBack).completedWithin(Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to complete within:%n  300 ms%nbut its judged latency was:%n  305 ms".formatted());
    }

    @Test
    void hasConfidenceAtLeastFailsShowingTheConfidence() {
        assertThatThrownBy(() -> assertThat(fellBack).hasConfidenceAtLeast(0.9))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have a confidence of at least:%n  0.9%nbut its confidence was:%n  0.870".formatted());
    }

    @Test
    void hasConfidenceAtLeastFailsWhenTheConfidenceIsUnknown() {
        assertThatThrownBy(() -> assertThat(call(1).build()).hasConfidenceAtLeast(0.1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but its confidence is unknown:%n  only OpenAI responses carry token log-probabilities".formatted())
                .hasMessageContaining("logprobs(true)");
    }

    @Test
    void hasConfidenceAtLeastRejectsAThresholdAboveOne() {
        assertThatThrownBy(() -> assertThat(fellBack).hasConfidenceAtLeast(80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a confidence threshold must be between 0 and 1, but was 80.0");
    }

    @Test
    void hasAttemptsFailsCountingTheAttempts() {
        assertThatThrownBy(() -> assertThat(fellBack).hasAttempts(1))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have made:%n  1 attempt%nbut made:%n  2 attempts".formatted());
    }

    @Test
    void fellBackFromFailsShowingTheActualFallbacks() {
        assertThatThrownBy(() -> assertThat(fellBack).fellBackFrom("gemini", "openai"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have fallen back from, in order:%n  [\"gemini\", \"openai\"]%nbut fell back from:%n  [\"openai\"]"
                        .formatted());
    }

    @Test
    void usedFixtureFailsNamingTheFixtureThatAnswered() {
        assertThatThrownBy(() -> assertThat(fellBack).usedFixture("triage"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to be answered by the fixture:%n  \"triage\"%nbut was answered by \"refund\"".formatted());
    }

    @Test
    void usedFixtureFailsForALiveCall() {
        assertThatThrownBy(() -> assertThat(call(1).fixture(null).build()).usedFixture("triage"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to be answered by the fixture:%n  \"triage\"%nbut no fixture answered it".formatted());
    }
}
