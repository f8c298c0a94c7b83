package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.ChatModel;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who scores answers for {@link MergeStrategy#bestOfN(Judge)} and
 * {@link AnswerFilter#judgeScoreAtLeast(Judge, double)}: a judge model with a rubric, or a scoring
 * function. A judge model gets one call per judgement, through the same provider pipeline as the
 * members (its cost and latency are part of the result), asking it to score every candidate from 0
 * to 10 as {@code {"scores": [..]}}; scores are then divided by 10.
 *
 * <pre>{@code
 * MergeStrategy.bestOfN(Judge.model(gpt4o, "Prefer the answer that names the right category and a specific summary"))
 * }</pre>
 */
public final class Judge {

    /** The rubric of a judge model when none is given. */
    public static final String DEFAULT_RUBRIC = "the answer is correct, complete, and follows the request's instructions and format";

    private final @Nullable ChatModel model;
    private final String rubric;
    private final @Nullable AnswerScorer scorer;

    private Judge(@Nullable ChatModel model, String rubric, @Nullable AnswerScorer scorer) {
        this.model = model;
        this.rubric = rubric;
        this.scorer = scorer;
    }

    /**
     * A judge model with the {@link #DEFAULT_RUBRIC default rubric}.
     *
     * @param model the judge; a {@code Router} is used as it is, any other model gets a one-provider router
     * @return the judge
     */
    public static Judge model(ChatModel model) {
        return model(model, DEFAULT_RUBRIC);
    }

    /**
     * A judge model with a rubric.
     *
     * @param model the judge; a {@code Router} is used as it is, any other model gets a one-provider router
     * @param rubric what a good answer is, in a sentence or two
     * @return the judge
     */
    public static Judge model(ChatModel model, String rubric) {
        Objects.requireNonNull(model, "judge model must not be null");
        if (rubric == null || rubric.isBlank()) {
            throw new IllegalArgumentException("judge rubric must not be blank, but was '" + rubric + "'");
        }
        return new Judge(model, rubric.strip(), null);
    }

    /**
     * A scoring function as the judge: no model call.
     *
     * @param scorer scores one answer from 0 to 1
     * @return the judge
     */
    public static Judge scoring(AnswerScorer scorer) {
        return new Judge(null, "", Objects.requireNonNull(scorer, "scorer must not be null"));
    }

    /**
     * The judge model.
     *
     * @return the model, or {@code null} for a scoring function
     */
    public @Nullable ChatModel model() {
        return model;
    }

    /**
     * The rubric a judge model scores by.
     *
     * @return the rubric; empty for a scoring function
     */
    public String rubric() {
        return rubric;
    }

    /**
     * The scoring function.
     *
     * @return the function, or {@code null} for a judge model
     */
    public @Nullable AnswerScorer scorer() {
        return scorer;
    }

    @Override
    public String toString() {
        return model != null ? "Judge.model(" + model + ")" : "Judge.scoring(" + scorer + ")";
    }
}
