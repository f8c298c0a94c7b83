package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.internal.FuseMerge;
import dev.llmunit.core.internal.JudgeMerge;
import dev.llmunit.core.internal.VoteMerge;
import java.util.Objects;

/**
 * How an ensemble turns its members' answers into one. The built-ins vote ({@link #majorityVote()},
 * {@link #weightedConsensus()}), let a judge pick ({@link #bestOfN(Judge)}) or let a model write one
 * answer from the candidates ({@link #fuse(ChatModel)}); any lambda is a strategy too:
 *
 * <pre>{@code
 * .merge(context -> MergeDecision.choose(context.candidates().get(0)))   // the first answer that passed the filters
 * }</pre>
 *
 * <p>Ties always break the same way: by votes, then weight, then member order (declaration, then
 * sample), so a run over recorded fixtures merges the same on every run.
 */
@FunctionalInterface
public interface MergeStrategy {

    /**
     * Merges the answers that passed the filters.
     *
     * @param context the candidates, their clusters, the consensus, and a way to make calls that count
     * @return the chosen answer or a written one
     */
    MergeDecision merge(MergeContext context);

    /**
     * A short name for results, metrics and reports.
     *
     * @return {@code custom} unless a strategy says otherwise
     */
    default String name() {
        return "custom";
    }

    /**
     * The default: the cluster with the most answers wins, each member sample one vote whatever its
     * weight; ties go to the heavier cluster, then to member order. The winner's answer is its
     * heaviest member's, then its first. Confidence is the winner's share of the votes.
     *
     * @return the shared strategy
     */
    static MergeStrategy majorityVote() {
        return VoteMerge.MAJORITY;
    }

    /**
     * The cluster with the most weight wins (weights × agreement); ties go to the cluster with more
     * answers, then to member order. Confidence is the winner's share of the weight.
     *
     * @return the shared strategy
     */
    static MergeStrategy weightedConsensus() {
        return VoteMerge.WEIGHTED;
    }

    /**
     * A judge scores every candidate (one judge call), and the best wins; ties go to the consensus
     * cluster, then to the heavier cluster, then to member order. A judge that fails, or answers
     * anything but one valid score per candidate, is not guessed around: the run falls back to the
     * {@link #weightedConsensus() weighted consensus} answer and says why in
     * {@link EnsembleResult#fallbackReason()}. Confidence is the chosen answer's weight share.
     *
     * @param judge a judge model with a rubric, or a scoring function
     * @return the strategy
     */
    static MergeStrategy bestOfN(Judge judge) {
        return new JudgeMerge(Objects.requireNonNull(judge, "judge must not be null"));
    }

    /**
     * Mixture of n: a model reads the request and every candidate and writes one answer, which
     * becomes the result (one fuser call). Its confidence is the weight share of the cluster whose key
     * the fused answer has, 0 when none. A fuser that fails or answers nothing falls back to the
     * weighted consensus answer, saying why.
     *
     * @param fuser the model that writes the answer; a {@code Router} is used as it is, any other
     *     model gets a one-provider router
     * @return the strategy
     */
    static MergeStrategy fuse(ChatModel fuser) {
        return fuse(fuser, FuseMerge.DEFAULT_INSTRUCTION);
    }

    /**
     * Mixture of n with an own instruction for the fuser; see {@link #fuse(ChatModel)}.
     *
     * @param fuser the model that writes the answer
     * @param instruction what the fuser is told to do with the candidates
     * @return the strategy
     */
    static MergeStrategy fuse(ChatModel fuser, String instruction) {
        Objects.requireNonNull(fuser, "fuser must not be null");
        if (instruction == null || instruction.isBlank()) {
            throw new IllegalArgumentException("fuser instruction must not be blank, but was '" + instruction + "'");
        }
        return new FuseMerge(fuser, instruction.strip());
    }
}
