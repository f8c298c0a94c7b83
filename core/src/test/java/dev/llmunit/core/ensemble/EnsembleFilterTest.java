package dev.llmunit.core.ensemble;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.Test;

/** Quality filters before the vote, and the typed failure when none is left. */
class EnsembleFilterTest {

    private static final ChatRequest QUESTION = request("Triage: I was charged twice");
    private static final String SCHEMA = "{\"type\": \"object\", \"required\": [\"category\"],"
            + " \"properties\": {\"category\": {\"enum\": [\"BILLING\", \"BUG\"]}}}";

    @Test
    void aFilteredAnswerDoesNotVoteAndKeepsItsReason() {
        EnsembleBuilder builder = Ensemble.builder()
                .member("a", answering("BUG"))
                .member("b", answering("BUG"))
                .member("c", answering("billing"))
                .member("d", answering("billing"))
                .member("e", answering("BILLING"));

        EnsembleResult unfiltered = builder.build().run(QUESTION);
        EnsembleResult filtered = builder
                .filter(AnswerFilter.matching("write the category in capitals", response -> {
                    String text = response.aiMessage().text();
                    return text.equals(text.toUpperCase(java.util.Locale.ROOT));
                }))
                .build().run(QUESTION);

        assertThat(unfiltered.text()).isEqualTo("billing");
        assertThat(filtered.text()).isEqualTo("BUG");
        assertThat(filtered.agreement()).as("filtered answers count as not agreeing").isEqualTo(2.0 / 5);
        assertThat(filtered.member("c").orElseThrow().reason()).isEqualTo("does not write the category in capitals");
        assertThat(filtered.member("c").orElseThrow().outcome()).isEqualTo(MemberOutcome.FILTERED);
    }

    @Test
    void eachBuiltInFilterSaysWhyItDroppedAnAnswer() {
        ChatModel filtered = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                return ChatResponse.builder().aiMessage(AiMessage.from("")).finishReason(FinishReason.CONTENT_FILTER).build();
            }
        };
        EnsembleException.AllFiltered failure = catchThrowableOfType(EnsembleException.AllFiltered.class, () -> Ensemble.builder()
                .name("triage")
                .member("blank", answering("   "))
                .member("refusal", answering("I’m sorry, but I can’t help with that request."))
                .member("stopped", filtered)
                .member("prose", answering("The category is billing."))
                .member("wrong", answering("{\"category\": \"REFUND\"}"))
                .member("short", answeringWithUsage("{\"category\": \"BUG\"}", "m", 10, 3))
                .member("nokey", answering("{\"kategorie\": \"BUG\"}"))
                .filter(AnswerFilter.nonEmpty())
                .filter(AnswerFilter.noRefusal())
                .filter(AnswerFilter.validJson())
                .filter(AnswerFilter.matchesJsonSchema(SCHEMA.replace("\"required\": [\"category\"],", "")))
                .filter(AnswerFilter.minTokens(4))
                .filter(AnswerFilter.matching("avoid REFUND", response -> !response.aiMessage().text().contains("REFUND")))
                .answerKey(AnswerKey.jsonPointer("/category"))
                .build().run(QUESTION));

        assertThat(failure.members()).extracting(MemberResult::id, MemberResult::outcome, MemberResult::reason).containsExactly(
                tuple("blank", MemberOutcome.FILTERED, "empty answer"),
                tuple("refusal", MemberOutcome.FILTERED, "refused: the answer opens with \"I’m sorry, but I can’t help with that"
                        + " request.\""),
                tuple("stopped", MemberOutcome.FILTERED, "empty answer"),
                tuple("prose", MemberOutcome.FILTERED, "not valid JSON: Unrecognized token 'The': was expecting (JSON String, Number,"
                        + " Array, Object or token 'null', 'true' or 'false')"),
                tuple("wrong", MemberOutcome.FILTERED, "does not match the JSON schema: $.category: does not have a value in the"
                        + " enumeration [\"BILLING\", \"BUG\"]"),
                tuple("short", MemberOutcome.FILTERED, "shorter than 4 tokens (3)"),
                tuple("nokey", MemberOutcome.FILTERED, "answer key json /category: no value at /category"));
        assertThat(failure).hasMessageStartingWith("ensemble 'triage' has no answer left: its filters dropped every answer:"
                + System.lineSeparator() + "  blank: FILTERED (empty answer)");
    }

    @Test
    void theContentFilterCountsAsARefusal() {
        ChatModel stopped = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                return ChatResponse.builder().aiMessage(AiMessage.from("partial")).finishReason(FinishReason.CONTENT_FILTER).build();
            }
        };
        EnsembleResult result = Ensemble.builder().member("stopped", stopped).member("ok", answering("fine"))
                .filter(AnswerFilter.noRefusal()).build().run(QUESTION);

        assertThat(result.member("stopped").orElseThrow().reason()).isEqualTo("refused: the provider's content filter stopped the answer");
        assertThat(result.text()).isEqualTo("fine");
    }

    @Test
    void anAnswerThatQuotesARefusalLaterIsKept() {
        EnsembleResult result = Ensemble.builder()
                .member("a", answering("The customer wrote: I'm sorry, but I can't pay twice."))
                .filter(AnswerFilter.noRefusal()).build().run(QUESTION);

        assertThat(result.answered()).hasSize(1);
    }

    @Test
    void aJudgeFilterDropsAnswersScoredBelowItsMinimumInOneJudgement() {
        EnsembleResult result = Ensemble.builder()
                .member("good", answering("BILLING, because of the double charge"))
                .member("vague", answering("something"))
                .filter(AnswerFilter.judgeScoreAtLeast(Judge.scoring((request, answer) -> answer.contains("because") ? 0.9 : 0.2), 0.5))
                .build().run(QUESTION);

        assertThat(result.member("vague").orElseThrow().reason()).isEqualTo("judge score 0.20 is below 0.50");
        assertThat(result.chosenId()).isEqualTo("good");
        assertThat(result.agreement()).isEqualTo(0.5);
    }

    @Test
    void aJudgeFilterThatCannotJudgeDropsNothingAndSaysSo() {
        EnsembleResult result = Ensemble.builder()
                .member("a", answering("BILLING"))
                .filter(AnswerFilter.judgeScoreAtLeast(Judge.model(answering("looks fine to me")), 0.5))
                .build().run(QUESTION);

        assertThat(result.answered()).hasSize(1);
        assertThat(result.notes()).containsExactly("judge filter dropped nothing: the filter judge answered \"looks fine to me\", which is"
                + " not {\"scores\": [1 number from 0 to 10]} (not JSON)");
        assertThat(result.auxiliaryCalls()).extracting(AuxiliaryCall::role).containsExactly("filter judge");
    }

    @Test
    void aBadSchemaIsRefusedWhereTheFilterIsMade() {
        assertThatThrownBy(() -> AnswerFilter.matchesJsonSchema("{\"type\": \"strng\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a valid https://json-schema.org/draft/2020-12/schema schema");
        assertThatThrownBy(() -> AnswerFilter.minTokens(0)).hasMessage("minTokens must be at least 1, but was 0");
    }
}
