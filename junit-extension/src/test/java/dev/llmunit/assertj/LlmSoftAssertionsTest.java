package dev.llmunit.assertj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import org.junit.jupiter.api.Test;

class LlmSoftAssertionsTest {

    private final RoutedResponse afterFallback = Routes.afterFallback();

    @Test
    void assertSoftlyPassesWhenEveryCheckPasses() {
        assertThatCode(() -> LlmSoftAssertions.assertSoftly(softly -> {
            softly.assertThat(afterFallback).wasServedBy("openai").fellBackFrom("primary").costsAtMost(Usd.usd("0.001"));
            softly.assertThat(afterFallback.chatResponse()).contains("billing").hasInputTokens(1000);
        })).doesNotThrowAnyException();
    }

    @Test
    void assertSoftlyReportsEveryFailureTogether() {
        assertThatThrownBy(() -> LlmSoftAssertions.assertSoftly(softly -> {
            softly.assertThat(afterFallback).wasServedBy("primary").hadNoFallbacks().costsAtMost(Usd.usd("0.0001"));
            softly.assertThat(afterFallback.chatResponse()).contains("refund").isValidJson();
        }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Multiple Failures (5 failures)")
                .hasMessageContaining("to be served by:%n  \"primary\"".formatted())
                .hasMessageContaining("to have had no fallbacks%nbut fell back from:%n  [\"primary\"]".formatted())
                .hasMessageContaining("to cost at most:%n  $0.0001%nbut cost:%n  $0.00027".formatted())
                .hasMessageContaining("but could not find:%n  [\"refund\"]".formatted())
                .hasMessageContaining("to be valid JSON");
    }

    @Test
    void collectsFailuresUntilAssertAll() {
        LlmSoftAssertions softly = new LlmSoftAssertions();

        softly.assertThat(afterFallback).hasAttempts(3).hadNoRetries().costs(Usd.usd("0.00027")).hasModel("gpt-4o");
        softly.assertThat(Routes.unpriced()).costsAtMost(Usd.usd("1"));

        assertThat(softly.errorsCollected()).hasSize(3);
        assertThat(softly.errorsCollected().get(0)).hasMessageContaining("to have made:%n  3 attempts".formatted());
        assertThat(softly.errorsCollected().get(1)).hasMessageContaining("to have model:%n  \"gpt-4o\"".formatted());
        assertThat(softly.errorsCollected().get(2)).hasMessageContaining("but its cost is unknown:");
        assertThatThrownBy(softly::assertAll).isInstanceOf(AssertionError.class);
    }

    @Test
    void collectsLedgerAndCallFailuresTogether() {
        LlmCall fellBack = Calls.call(2).failedFirstOn("openai", 0).servedBy("anthropic").costing("0.00045").fixture(null).build();
        LlmCalls calls = Calls.ledger(Calls.call(1).build(), fellBack);
        LlmSoftAssertions softly = new LlmSoftAssertions();

        softly.assertThat(calls).hasSize(3).allServedBy("openai").costsAtMost(Usd.usd("0.001")).servedFromFixtures();
        softly.assertThat(calls.last()).wasServedBy("openai").hasAttempts(2);

        assertThat(softly.errorsCollected()).hasSize(4);
        assertThat(softly.errorsCollected().get(0)).hasMessageContaining("to have made:%n  3 calls".formatted());
        assertThat(softly.errorsCollected().get(1)).hasMessageContaining("to have every call served by:");
        assertThat(softly.errorsCollected().get(2)).hasMessageContaining("no fixture answered these:");
        assertThat(softly.errorsCollected().get(3)).hasMessageContaining("to be served by:%n  \"openai\"".formatted());
    }

    @Test
    void collectsSchemaSimilarityAndConfidenceFailures() {
        LlmSoftAssertions softly = new LlmSoftAssertions();

        softly.assertThat(Routes.bare("{\"queue\": 3}"))
                .matchesJsonSchema("{\"properties\": {\"queue\": {\"type\": \"string\"}}}")
                .usingSimilarity(TextSimilarity.lexical())
                .isSemanticallySimilarTo("The ticket belongs in billing.", 0.5)
                .hasConfidenceAtLeast(0.5);

        assertThat(softly.errorsCollected()).hasSize(3);
        assertThat(softly.errorsCollected().get(0)).hasMessageContaining("$.queue: integer found, string expected");
        assertThat(softly.errorsCollected().get(1)).hasMessageContaining("(lexical similarity (words and character trigrams))");
        assertThat(softly.errorsCollected().get(2)).hasMessageContaining("carries no log-probabilities");
    }
}
