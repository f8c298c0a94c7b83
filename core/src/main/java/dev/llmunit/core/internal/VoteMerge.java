package dev.llmunit.core.internal;

import dev.llmunit.core.ensemble.AnswerCluster;
import dev.llmunit.core.ensemble.MergeContext;
import dev.llmunit.core.ensemble.MergeDecision;
import dev.llmunit.core.ensemble.MergeStrategy;
import java.util.List;

/** {@link MergeStrategy#majorityVote()} and {@link MergeStrategy#weightedConsensus()}. */
public final class VoteMerge implements MergeStrategy {

    /** Most answers wins. */
    public static final VoteMerge MAJORITY = new VoteMerge(true);
    /** Most weight wins. */
    public static final VoteMerge WEIGHTED = new VoteMerge(false);

    private final boolean majority;

    private VoteMerge(boolean majority) {
        this.majority = majority;
    }

    /**
     * Whether this counts votes rather than weight.
     *
     * @return {@code true} for the majority vote
     */
    public boolean majority() {
        return majority;
    }

    @Override
    public MergeDecision merge(MergeContext context) {
        List<AnswerCluster> ordered = Votes.ordered(context.clusters(), majority);
        return MergeDecision.choose(Votes.speaker(ordered.get(0), context.candidates()));
    }

    @Override
    public String name() {
        return majority ? "majorityVote" : "weightedConsensus";
    }

    @Override
    public String toString() {
        return "MergeStrategy." + name() + "()";
    }
}
