package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * Scores one answer without a model, for {@link Judge#scoring(AnswerScorer)}: a unit test's oracle,
 * a heuristic, a checker of the answer's format.
 */
@FunctionalInterface
public interface AnswerScorer {

    /**
     * The answer's score.
     *
     * @param request the ensemble's request
     * @param answer the answer's text
     * @return a score from 0 (worst) to 1 (best); anything else (NaN, out of range, an exception)
     *     counts as an invalid judgement, and the ensemble falls back to its consensus
     */
    double score(ChatRequest request, String answer);
}
