package dev.llmunit.assertj;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfidenceAssertTest {

    /** Two tokens at log-probabilities -0.1 and -0.2: confidence exp(-0.15) = 0.861. */
    private final ChatResponse sure = ChatResponse.builder()
            .aiMessage(AiMessage.from("billing"))
            .metadata(OpenAiChatResponseMetadata.builder()
                    .logProbs(List.of(token("bill", -0.1), token("ing", -0.2)))
                    .build())
            .build();

    @Test
    void hasConfidenceAtLeastPassesAtOrBelowTheConfidence() {
        assertThat(sure).hasConfidenceAtLeast(0.86).hasConfidenceAtLeast(0.0);
    }

    @Test
    void hasConfidenceAtLeastFailsShowingTheConfidence() {
        assertThatThrownBy(() -> assertThat(sure).hasConfidenceAtLeast(0.9))
                .isInstanceOf(AssertionError.class)
                .hasMessage("%nExpecting actual:%n  \"billing\"%nto have a confidence of at least:%n  0.9%nbut its confidence was:%n  0.861"
                        .formatted());
    }

    @Test
    void hasConfidenceAtLeastFailsForAResponseWithoutLogProbabilitiesSayingHowToGetThem() {
        assertThatThrownBy(() -> assertThat(Routes.bare("billing")).hasConfidenceAtLeast(0.1))
                .isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting actual:%n  \"billing\"%nto have a confidence of at least:%n  0.1%n"
                        + "but the response carries no log-probabilities, so its confidence is unknown:%n"
                        + "  only OpenAI responses carry token log-probabilities, and only when asked: "
                        + "set logprobs(true) on the OpenAiChatModel builder or on OpenAiChatRequestParameters").formatted());
    }

    @Test
    void hasConfidenceAtLeastWorksOnARoutedResponse() {
        assertThatThrownBy(() -> assertThat(Routes.direct()).hasConfidenceAtLeast(0.5))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("carries no log-probabilities");
    }

    @Test
    void hasConfidenceAtLeastRejectsAThresholdOutsideZeroToOne() {
        assertThatThrownBy(() -> assertThat(sure).hasConfidenceAtLeast(-0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a confidence threshold must be between 0 and 1, but was -0.5");
    }

    private static LogProb token(String text, double logprob) {
        return LogProb.builder().token(text).logprob(logprob).build();
    }
}
