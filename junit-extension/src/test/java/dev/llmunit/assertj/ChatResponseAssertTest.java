package dev.llmunit.assertj;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChatResponseAssertTest {

    private static final String ACTUAL = "%nExpecting actual:%n  \"The ticket belongs in billing.\"%n";

    private final ChatResponse response = Routes.answer(Routes.TEXT, Routes.PRICED_MODEL);

    @Test
    void containsPassesWhenEveryValueOccurs() {
        assertThat(response).contains("ticket", "billing");
    }

    @Test
    void containsFailsListingTheMissingValues() {
        assertThatThrownBy(() -> assertThat(response).contains("billing", "refund", "Billing"))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "to contain:%n  [\"billing\", \"refund\", \"Billing\"]%n"
                        + "but could not find:%n  [\"refund\", \"Billing\"]").formatted());
    }

    @Test
    void doesNotContainPassesWhenNoValueOccurs() {
        assertThat(response).doesNotContain("refund", "sales");
    }

    @Test
    void doesNotContainFailsListingTheFoundValues() {
        assertThatThrownBy(() -> assertThat(response).doesNotContain("refund", "billing"))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "not to contain:%n  [\"refund\", \"billing\"]%nbut found:%n  [\"billing\"]").formatted());
    }

    @Test
    void matchesPassesWhenTheWholeTextMatches() {
        assertThat(response).matches(".*\\bbilling\\.$").matches(Pattern.compile("the TICKET.*", Pattern.CASE_INSENSITIVE));
    }

    @Test
    void matchesFailsShowingThePattern() {
        assertThatThrownBy(() -> assertThat(response).matches("billing"))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "to match pattern:%n  \"billing\"").formatted());
    }

    @Test
    void isValidJsonPassesForAJsonObject() {
        assertThat(Routes.bare("{\"queue\": \"billing\", \"confidence\": 0.92}")).isValidJson();
        assertThat(Routes.bare("[1, 2]")).isValidJson();
    }

    @Test
    void isValidJsonFailsForProseShowingTheParseError() {
        assertThatThrownBy(() -> assertThat(response).isValidJson())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith((ACTUAL + "to be valid JSON%nbut parsing failed:%n  Unrecognized token 'The'").formatted())
                .hasMessageEndingWith("at line 1, column 1");
    }

    @Test
    void isValidJsonFailsForProseAfterTheJson() {
        assertThatThrownBy(() -> assertThat(Routes.bare("{\"queue\": \"billing\"} Hope this helps!")).isValidJson())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be valid JSON%nbut parsing failed:%n  Unrecognized token 'Hope'".formatted());
    }

    @Test
    void isValidJsonFailsForASecondJsonValue() {
        assertThatThrownBy(() -> assertThat(Routes.bare("{\"queue\": \"billing\"} {\"queue\": \"sales\"}")).isValidJson())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be valid JSON%nbut parsing failed:%n  Trailing token".formatted());
    }

    @Test
    void isValidJsonFailsForAnEmptyText() {
        assertThatThrownBy(() -> assertThat(Routes.bare("  ")).isValidJson())
                .isInstanceOf(AssertionError.class)
                .hasMessage("%nExpecting actual:%n  \"  \"%nto be valid JSON%nbut parsing failed:%n  the response has no content".formatted());
    }

    @Test
    void hasFinishReasonPassesForTheReportedReason() {
        assertThat(response).hasFinishReason(FinishReason.STOP);
    }

    @Test
    void hasFinishReasonFailsShowingTheReportedReason() {
        assertThatThrownBy(() -> assertThat(response).hasFinishReason(FinishReason.LENGTH))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "to have finish reason:%n  LENGTH%nbut had:%n  STOP").formatted());
    }

    @Test
    void hasFinishReasonFailsWhenNoneWasReported() {
        assertThatThrownBy(() -> assertThat(Routes.bare(Routes.TEXT)).hasFinishReason(FinishReason.STOP))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "to have finish reason:%n  STOP%nbut had:%n  none").formatted());
    }

    @Test
    void hasModelPassesForTheReportedModel() {
        assertThat(response).hasModel("gpt-4o-mini-2024-07-18");
    }

    @Test
    void hasModelFailsShowingTheReportedModel() {
        assertThatThrownBy(() -> assertThat(response).hasModel("gpt-4o-mini"))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "to have model:%n  \"gpt-4o-mini\"%nbut had:%n  \"gpt-4o-mini-2024-07-18\"").formatted());
    }

    @Test
    void hasInputTokensPassesForTheReportedCount() {
        assertThat(response).hasInputTokens(1000);
    }

    @Test
    void hasInputTokensFailsShowingTheReportedCount() {
        assertThatThrownBy(() -> assertThat(response).hasInputTokens(999))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "to have input tokens:%n  999%nbut had:%n  1000").formatted());
    }

    @Test
    void hasOutputTokensPassesForTheReportedCount() {
        assertThat(response).hasOutputTokens(200);
    }

    @Test
    void hasOutputTokensFailsWhenNoUsageWasReported() {
        assertThatThrownBy(() -> assertThat(Routes.bare(Routes.TEXT)).hasOutputTokens(200))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "to have output tokens:%n  200%nbut had:%n  no token usage reported").formatted());
    }

    @Test
    void hasTotalTokensAtMostPassesAtTheLimit() {
        assertThat(response).hasTotalTokensAtMost(1200).hasTotalTokensAtMost(5000);
    }

    @Test
    void hasTotalTokensAtMostFailsShowingInputAndOutput() {
        assertThatThrownBy(() -> assertThat(response).hasTotalTokensAtMost(1199))
                .isInstanceOf(AssertionError.class)
                .hasMessage((ACTUAL + "to have at most total tokens:%n  1199%nbut had:%n  1200 (input 1000 + output 200)").formatted());
    }

    @Test
    void longTextsAreCutInTheMessage() {
        String text = "a".repeat(600);

        assertThatThrownBy(() -> assertThat(Routes.bare(text)).contains("b"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("%nExpecting actual:%n  \"%s...\" (600 characters)%nto contain:".formatted("a".repeat(500)));
    }

    @Test
    void aResponseWithoutTextFailsContentChecks() {
        ChatResponse toolCall = ChatResponse.builder()
                .aiMessage(dev.langchain4j.data.message.AiMessage.from(
                        dev.langchain4j.agent.tool.ToolExecutionRequest.builder().name("lookup").arguments("{}").build()))
                .build();

        assertThatThrownBy(() -> assertThat(toolCall).contains("billing"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("%nExpecting actual:%n  a response without text%nto contain:%n  [\"billing\"]%nbut could not find:%n  [\"billing\"]"
                        .formatted());
    }

    @Test
    void aNullResponseFails() {
        assertThatThrownBy(() -> assertThat((ChatResponse) null).contains("billing"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }
}
