package dev.llmunit.assertj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RoutedResponse;
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
}
