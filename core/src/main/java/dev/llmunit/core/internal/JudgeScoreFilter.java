package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.ensemble.AnswerFilter;
import dev.llmunit.core.ensemble.Judge;
import org.jspecify.annotations.Nullable;

/**
 * {@link AnswerFilter#judgeScoreAtLeast(Judge, double)}. The ensemble runs it over all remaining
 * answers at once (one judge call), after the other filters; it never judges one answer alone.
 */
public final class JudgeScoreFilter implements AnswerFilter {

    private final Judge judge;
    private final double minScore;

    /**
     * @param judge the judge
     * @param minScore the least score, 0 to 1
     */
    public JudgeScoreFilter(Judge judge, double minScore) {
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("judgeScoreAtLeast's minimum score must be between 0 and 1, but was " + minScore
                    + " (a judge model's 0 to 10 scores are divided by 10)");
        }
        this.judge = judge;
        this.minScore = minScore;
    }

    Judge judge() {
        return judge;
    }

    double minScore() {
        return minScore;
    }

    @Override
    public @Nullable String rejectionReason(ChatResponse response) {
        throw new UnsupportedOperationException("a judge filter judges all answers of a run together; the ensemble runs it");
    }

    @Override
    public String toString() {
        return "AnswerFilter.judgeScoreAtLeast(" + judge + ", " + minScore + ")";
    }
}
