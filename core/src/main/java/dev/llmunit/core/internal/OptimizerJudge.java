package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.ensemble.Judge;
import dev.llmunit.core.route.Router;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code QualityScorer.judge(..)}: scores one answer with the ensemble's judge prompt and parser
 * ({@link JudgeScoring}), so the optimizer and the ensemble judge alike.
 */
public final class OptimizerJudge {

    private final Judge judge;
    private final @Nullable Router router;

    /**
     * A scorer over a judge; a plain judge model gets a one-provider router, built once.
     *
     * @param judge the judge
     */
    public OptimizerJudge(Judge judge) {
        this.judge = judge;
        ChatModel model = judge.model();
        this.router = model == null ? null : model instanceof Router given ? given : Router.builder().provider("judge", model).build();
    }

    /**
     * The judge's score of one answer.
     *
     * @param request the request
     * @param answer the answer
     * @return the score from 0 to 1
     * @throws IllegalStateException when the judge failed or answered something unusable
     */
    public double score(ChatRequest request, String answer) {
        try {
            return JudgeScoring.scores(judge, "optimizer judge", request, List.of(answer),
                    (role, model, call) -> java.util.Objects.requireNonNull(router).route(call)).get(0);
        } catch (JudgeScoring.Failure failure) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
    }
}
