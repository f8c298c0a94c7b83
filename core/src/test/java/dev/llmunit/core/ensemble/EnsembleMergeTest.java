package dev.llmunit.core.ensemble;

import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.route.ScriptedChatModel;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** bestOfN with a judge model or a scoring function, fuse, custom strategies, and the deterministic fallbacks. */
class EnsembleMergeTest {

    private static final ChatRequest QUESTION = request("What is 17 + 25?");

    private static EnsembleBuilder threeAnswers() {
        return Ensemble.builder()
                .member("a", answering("It is 42."))
                .member("b", answering("The answer is 42"))
                .member("c", answering("I think 41"))
                .answerKey(AnswerKey.finalNumber())
                .routerDefaults(router -> router.retry(retry -> retry.maxRetries(0)));
    }

    @Test
    void bestOfNTakesTheCandidateTheScoringFunctionLikesBest() {
        EnsembleResult result = threeAnswers()
                .merge(MergeStrategy.bestOfN(Judge.scoring((request, answer) -> answer.startsWith("The answer") ? 1 : 0.5)))
                .build().run(QUESTION);

        assertThat(result.chosenId()).isEqualTo("b");
        assertThat(result.strategy()).isEqualTo("bestOfN");
        assertThat(result.fallbackReason()).isNull();
        assertThat(result.agreement()).isEqualTo(2.0 / 3);
    }

    @Test
    void bestOfNAsksTheJudgeModelOnceAndCountsItsCost() {
        ScriptedChatModel judge = answeringWithUsage("```json\n{\"scores\": [3, 4, 9]}\n```", "gpt-4o-mini", 300, 12);

        EnsembleResult result = threeAnswers()
                .merge(MergeStrategy.bestOfN(Judge.model(judge, "the arithmetic is right")))
                .build().run(QUESTION);

        assertThat(result.chosenId()).isEqualTo("c");
        assertThat(result.agreement()).isEqualTo(1.0 / 3);
        assertThat(judge.calls()).isEqualTo(1);
        String prompt = ((UserMessage) judge.lastRequest().messages().get(1)).singleText();
        assertThat(prompt).isEqualTo("Request:\nWhat is 17 + 25?\n\nCandidate 1:\nIt is 42.\n\nCandidate 2:\nThe answer is 42\n\n"
                + "Candidate 3:\nI think 41");
        assertThat(judge.lastRequest().messages().get(0).toString()).contains("by this rubric: the arithmetic is right.");
        assertThat(result.auxiliaryCalls()).singleElement().satisfies(call -> {
            assertThat(call.role()).isEqualTo("judge");
            // gpt-4o-mini: 300 x $0.15/M + 12 x $0.60/M
            assertThat(call.cost()).isEqualTo(usd("0.0000522"));
        });
        assertThat(result.totalCost()).isEqualTo(usd("0.0000522"));
    }

    @RepeatedTest(5)
    void aJudgeThatAnswersGarbageFallsBackToTheConsensusOnEveryRun() {
        EnsembleResult result = threeAnswers()
                .merge(MergeStrategy.bestOfN(Judge.model(answering("Candidate 3 is clearly the best."))))
                .build().run(QUESTION);

        assertThat(result.chosenId()).isEqualTo("a");
        assertThat(result.fallbackReason()).isEqualTo("the judge answered \"Candidate 3 is clearly the best.\", which is not"
                + " {\"scores\": [3 numbers from 0 to 10]} (not JSON); chose the weighted consensus answer instead");
    }

    @Test
    void aJudgeWithTheWrongNumberOfScoresOrAScoreOutOfRangeFallsBack() {
        EnsembleResult tooFew = threeAnswers().merge(MergeStrategy.bestOfN(Judge.model(answering("{\"scores\": [9, 1]}"))))
                .build().run(QUESTION);
        EnsembleResult outOfRange = threeAnswers().merge(MergeStrategy.bestOfN(Judge.model(answering("[1, 2, 11]"))))
                .build().run(QUESTION);
        EnsembleResult badScorer = threeAnswers().merge(MergeStrategy.bestOfN(Judge.scoring((request, answer) -> Double.NaN)))
                .build().run(QUESTION);

        assertThat(tooFew.fallbackReason()).contains("(2 scores for 3 candidates)");
        assertThat(outOfRange.fallbackReason()).contains("(score 3 is 11)");
        assertThat(badScorer.fallbackReason()).startsWith("the scoring function gave NaN for candidate 1, which is not between 0 and 1");
        assertThat(tooFew.chosenId()).isEqualTo("a");
        assertThat(outOfRange.chosenId()).isEqualTo("a");
        assertThat(badScorer.chosenId()).isEqualTo("a");
    }

    @Test
    void aFailedJudgeFallsBackAndItsFailedCallIsRecorded() {
        EnsembleResult result = threeAnswers()
                .merge(MergeStrategy.bestOfN(Judge.model(failingWith(ScriptedChatModel::unauthorized))))
                .build().run(QUESTION);

        assertThat(result.chosenId()).isEqualTo("a");
        assertThat(result.fallbackReason()).startsWith("the judge call failed (AUTHENTICATION): ");
        assertThat(result.auxiliaryCalls()).singleElement().satisfies(call -> assertThat(call.error()).isNotNull());
    }

    @Test
    void aScoreTieGoesToTheConsensusCluster() {
        EnsembleResult result = threeAnswers()
                .merge(MergeStrategy.bestOfN(Judge.scoring((request, answer) -> answer.contains("41") || answer.contains("answer") ? 1 : 0)))
                .build().run(QUESTION);

        assertThat(result.chosenId()).isEqualTo("b");
    }

    @Test
    void fuseMakesTheFusersAnswerTheResult() {
        ScriptedChatModel fuser = answering("17 + 25 = 42");

        EnsembleResult result = threeAnswers().merge(MergeStrategy.fuse(fuser)).build().run(QUESTION);

        assertThat(result.fused()).isTrue();
        assertThat(result.chosen()).isNull();
        assertThat(result.chosenId()).isEqualTo("fused");
        assertThat(result.text()).isEqualTo("17 + 25 = 42");
        assertThat(result.chosenKey()).isEqualTo("42");
        assertThat(result.agreement()).as("the share of the cluster the fused answer falls in").isEqualTo(2.0 / 3);
        assertThat(result.clusters().get(0).key()).isEqualTo("42");
        String prompt = ((UserMessage) fuser.lastRequest().messages().get(1)).singleText();
        assertThat(fuser.lastRequest().messages().get(0)).isEqualTo(QUESTION.messages().get(0));
        assertThat(prompt).endsWith("Answer 1:\nIt is 42.\n\nAnswer 2:\nThe answer is 42\n\nAnswer 3:\nI think 41");
        assertThat(result.auxiliaryCalls()).extracting(AuxiliaryCall::role).containsExactly("fuser");
    }

    @Test
    void aFusedAnswerNoMemberGaveHasNoAgreement() {
        EnsembleResult result = threeAnswers().merge(MergeStrategy.fuse(answering("It is 40"))).build().run(QUESTION);

        assertThat(result.agreement()).isZero();
        assertThat(result.winningCluster()).isEmpty();
        assertThat(result.agreedBy()).isZero();
    }

    @Test
    void aFailedOrEmptyFuserFallsBackToTheConsensus() {
        EnsembleResult failed = threeAnswers().merge(MergeStrategy.fuse(failingWith(ScriptedChatModel::unauthorized))).build().run(QUESTION);
        EnsembleResult empty = threeAnswers().merge(MergeStrategy.fuse(answering(" "))).build().run(QUESTION);

        assertThat(failed.chosenId()).isEqualTo("a");
        assertThat(failed.fallbackReason()).startsWith("the fuser call failed (AUTHENTICATION)");
        assertThat(empty.fallbackReason()).isEqualTo("the fuser answered nothing; chose the weighted consensus answer instead");
    }

    @Test
    void anyLambdaIsAStrategy() {
        EnsembleResult result = threeAnswers()
                .merge(context -> MergeDecision.choose(context.candidates().get(context.candidates().size() - 1)))
                .build().run(QUESTION);

        assertThat(result.chosenId()).isEqualTo("c");
        assertThat(result.strategy()).isEqualTo("custom");
        assertThat(result.clusters().get(0).key()).as("the chosen cluster comes first").isEqualTo("41");
    }

    @Test
    void aStrategyThatChoosesSomethingElseIsAnError() {
        Ensemble other = Ensemble.builder().member("x", answering("1")).build();
        MemberResult foreign = other.run(QUESTION).members().get(0);

        assertThatThrownBy(() -> threeAnswers().merge(context -> MergeDecision.choose(foreign)).build().run(QUESTION))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chose x, which is not one of the candidates; choose one of context.candidates()");
    }
}
