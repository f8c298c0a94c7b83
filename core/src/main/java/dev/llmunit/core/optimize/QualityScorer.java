package dev.llmunit.core.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.ensemble.Judge;
import dev.llmunit.core.internal.JsonSchemas;
import dev.llmunit.core.internal.OptimizerJudge;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Scores an answer from 0 (worst) to 1 (best), so the optimizer learns which strategies pay off:
 * an assertion's pass, similarity to a reference answer, or a judge's score.
 *
 * <pre>{@code
 * QualityScorer.assertion(answer -> answer.contains("\"category\""))
 * QualityScorer.similarity(request -> expectedAnswers.get(request))
 * QualityScorer.judge(Judge.model(gpt4o, "names the right category"))
 * }</pre>
 */
@FunctionalInterface
public interface QualityScorer {

    /**
     * The answer's score.
     *
     * @param request the request as the caller wrote it (before optimization)
     * @param answer the answer's text
     * @return a score from 0 to 1; the optimizer records nothing for a score outside, NaN or an exception
     */
    double score(ChatRequest request, String answer);

    /**
     * The default scorer: 1 for a non-blank answer that, when the request asks for JSON, parses as
     * JSON; 0 otherwise. It notices broken output, not wrong answers: give a stronger scorer when
     * you have one.
     *
     * @return the scorer
     */
    static QualityScorer wellFormed() {
        return (request, answer) -> {
            if (answer.isBlank()) {
                return 0;
            }
            if (!Messages.wantsJson(request)) {
                return 1;
            }
            try {
                JsonSchemas.STRICT_JSON.readTree(answer.strip());
                return 1;
            } catch (JsonProcessingException notJson) {
                return 0;
            }
        };
    }

    /**
     * An assertion: 1 when it passes, 0 when it fails or throws.
     *
     * @param passes the check of the answer's text
     * @return the scorer
     */
    static QualityScorer assertion(Predicate<String> passes) {
        Objects.requireNonNull(passes, "assertion must not be null");
        return (request, answer) -> {
            try {
                return passes.test(answer) ? 1 : 0;
            } catch (RuntimeException | AssertionError failed) {
                return 0;
            }
        };
    }

    /**
     * Similarity to one reference answer: the cosine of the two answers' word counts (lower case,
     * letters and digits), 1 for the same words in any order.
     *
     * @param reference the reference answer
     * @return the scorer
     */
    static QualityScorer similarityTo(String reference) {
        Objects.requireNonNull(reference, "reference must not be null");
        return similarity(request -> reference);
    }

    /**
     * Similarity to a reference answer per request (see {@link #similarityTo(String)}).
     *
     * @param reference the reference answer of a request (as the caller wrote it)
     * @return the scorer
     */
    static QualityScorer similarity(Function<ChatRequest, String> reference) {
        Objects.requireNonNull(reference, "reference must not be null");
        return (request, answer) -> cosine(words(answer), words(Objects.requireNonNull(reference.apply(request),
                "the reference function returned null")));
    }

    /**
     * A judge's score: a judge model asked to score the answer 0 to 10 by its rubric (one call per
     * scored answer, through its own router), or the judge's scoring function.
     *
     * @param judge the judge
     * @return the scorer; a judge call that fails or answers nonsense makes the score unusable, and the optimizer records nothing
     */
    static QualityScorer judge(Judge judge) {
        Objects.requireNonNull(judge, "judge must not be null");
        OptimizerJudge bridge = new OptimizerJudge(judge);
        return bridge::score;
    }

    private static Map<String, Integer> words(String text) {
        Map<String, Integer> counts = new HashMap<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.append(Character.toLowerCase(c));
            } else if (word.length() > 0) {
                counts.merge(word.toString().toLowerCase(Locale.ROOT), 1, Integer::sum);
                word.setLength(0);
            }
        }
        return counts;
    }

    private static double cosine(Map<String, Integer> a, Map<String, Integer> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty() ? 1 : 0;
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (Map.Entry<String, Integer> entry : a.entrySet()) {
            Integer other = b.get(entry.getKey());
            if (other != null) {
                dot += (double) entry.getValue() * other;
            }
            normA += (double) entry.getValue() * entry.getValue();
        }
        for (int count : b.values()) {
            normB += (double) count * count;
        }
        return Math.max(0, Math.min(1, dot / Math.sqrt(normA * normB)));
    }
}
