package dev.llmunit.core.internal;

import dev.llmunit.core.ensemble.AnswerCluster;
import dev.llmunit.core.ensemble.Judge;
import dev.llmunit.core.ensemble.MemberResult;
import dev.llmunit.core.ensemble.MergeContext;
import dev.llmunit.core.ensemble.MergeDecision;
import dev.llmunit.core.ensemble.MergeStrategy;
import java.util.ArrayList;
import java.util.List;

/** {@link MergeStrategy#bestOfN(Judge)}. */
public final class JudgeMerge implements MergeStrategy {

    private final Judge judge;

    /**
     * @param judge the judge
     */
    public JudgeMerge(Judge judge) {
        this.judge = judge;
    }

    @Override
    public MergeDecision merge(MergeContext context) {
        List<MemberResult> candidates = context.candidates();
        List<String> answers = new ArrayList<>(candidates.size());
        for (MemberResult candidate : candidates) {
            answers.add(candidate.text());
        }
        List<Double> scores;
        try {
            scores = JudgeScoring.scores(judge, "judge", context.request(), answers, context::call);
        } catch (JudgeScoring.Failure failure) {
            return MergeDecision.fallBack(context.consensus(), failure.getMessage() + "; chose the weighted consensus answer instead");
        }
        String consensusKey = context.consensus().key();
        int best = 0;
        for (int i = 1; i < candidates.size(); i++) {
            if (better(candidates.get(i), scores.get(i), candidates.get(best), scores.get(best), consensusKey, context.clusters())) {
                best = i;
            }
        }
        return MergeDecision.choose(candidates.get(best));
    }

    /** Higher score; then the consensus cluster; then the heavier cluster; then member order (the earlier stays). */
    private static boolean better(MemberResult candidate, double score, MemberResult best, double bestScore, String consensusKey,
            List<AnswerCluster> clusters) {
        if (score != bestScore) {
            return score > bestScore;
        }
        boolean inConsensus = consensusKey.equals(candidate.key());
        boolean bestInConsensus = consensusKey.equals(best.key());
        if (inConsensus != bestInConsensus) {
            return inConsensus;
        }
        return weightOf(candidate.key(), clusters) > weightOf(best.key(), clusters);
    }

    private static double weightOf(String key, List<AnswerCluster> clusters) {
        for (AnswerCluster cluster : clusters) {
            if (cluster.key().equals(key)) {
                return cluster.weight();
            }
        }
        return 0;
    }

    @Override
    public String name() {
        return "bestOfN";
    }

    @Override
    public String toString() {
        return "MergeStrategy.bestOfN(" + judge + ")";
    }
}
