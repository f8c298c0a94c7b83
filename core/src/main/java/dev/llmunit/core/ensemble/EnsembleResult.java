package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.trace.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The answer of an ensemble run and how it came about: the chosen response, how sure the ensemble
 * is, the clusters and their votes, every member sample's response or error with its tokens, cost
 * and latency, the judge's and fuser's calls, the total cost and the wall-clock latency.
 *
 * @param ensemble the ensemble's name
 * @param strategy the merge strategy's name, such as {@code majorityVote}
 * @param answerKey the answer key's name, such as {@code json /category}
 * @param chatResponse the chosen response: a member's, or the fuser's for {@link MergeStrategy#fuse}
 * @param chosen the member sample whose response was chosen, or {@code null} when the answer was
 *     written by a fuser (or a custom strategy)
 * @param chosenKey the chosen answer's key, or {@code null} when a written answer has none
 * @param agreement the share of the chosen answer's cluster, 0 to 1: its votes (majority vote) or
 *     weight (every other strategy) over all member samples asked; 0 when no cluster holds the
 *     chosen answer's key
 * @param rawConfidence the agreement, multiplied by the weighted mean log-probability confidence of
 *     the chosen cluster's members where their responses carry one; 0 to 1
 * @param calibratedConfidence the raw confidence mapped through the ensemble's
 *     {@link ConfidenceCalibration}, or {@code null} when it has none
 * @param clusters the answers' clusters, the winner first, then by the strategy's order
 * @param members every member sample, in member order (declaration, then sample)
 * @param auxiliaryCalls the judge's, filter judge's and fuser's calls, in the order made
 * @param fallbackReason why a judge or fuser strategy fell back to the consensus answer, or
 *     {@code null} when it did not
 * @param notes anything else worth knowing, such as a judge filter that could not judge
 * @param stoppedEarly whether {@code earlyStop()} cancelled members once the winner was certain
 * @param timedOut whether the timeout cancelled members that had not answered
 * @param trace the run's trace: every attempt of every member, then of the auxiliary calls, and the
 *     run's start and end (members run in parallel, so provider time adds up to more than the wall time)
 */
public record EnsembleResult(
        String ensemble,
        String strategy,
        String answerKey,
        ChatResponse chatResponse,
        @Nullable MemberResult chosen,
        @Nullable String chosenKey,
        double agreement,
        double rawConfidence,
        @Nullable Double calibratedConfidence,
        List<AnswerCluster> clusters,
        List<MemberResult> members,
        List<AuxiliaryCall> auxiliaryCalls,
        @Nullable String fallbackReason,
        List<String> notes,
        boolean stoppedEarly,
        boolean timedOut,
        Trace trace) {

    /** Validates and copies. */
    public EnsembleResult {
        Objects.requireNonNull(ensemble, "ensemble");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(answerKey, "answerKey");
        Objects.requireNonNull(chatResponse, "chatResponse");
        requireFraction("agreement", agreement);
        requireFraction("rawConfidence", rawConfidence);
        if (calibratedConfidence != null) {
            requireFraction("calibratedConfidence", calibratedConfidence);
        }
        clusters = List.copyOf(Objects.requireNonNull(clusters, "clusters"));
        members = List.copyOf(Objects.requireNonNull(members, "members"));
        auxiliaryCalls = List.copyOf(Objects.requireNonNull(auxiliaryCalls, "auxiliaryCalls"));
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
        Objects.requireNonNull(trace, "trace");
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, but was " + value);
        }
    }

    /**
     * How sure the ensemble is of its answer: the calibrated confidence when the ensemble has a
     * calibration, else the raw confidence.
     *
     * @return 0 to 1
     */
    public double confidence() {
        return calibratedConfidence != null ? calibratedConfidence : rawConfidence;
    }

    /**
     * Whether {@link #confidence()} is calibrated.
     *
     * @return {@code true} when the ensemble has a calibration
     */
    public boolean calibrated() {
        return calibratedConfidence != null;
    }

    /**
     * The calibrated confidence.
     *
     * @return it, or empty when the ensemble has no calibration
     */
    public OptionalDouble calibratedConfidenceIfAny() {
        return calibratedConfidence == null ? OptionalDouble.empty() : OptionalDouble.of(calibratedConfidence);
    }

    /**
     * The chosen answer's text.
     *
     * @return the text, or an empty string
     */
    public String text() {
        return chatResponse.aiMessage() == null || chatResponse.aiMessage().text() == null ? "" : chatResponse.aiMessage().text();
    }

    /**
     * Who gave the chosen answer.
     *
     * @return the member sample's id, or {@code "fused"} when a fuser wrote it
     */
    public String chosenId() {
        return chosen == null ? "fused" : chosen.id();
    }

    /**
     * Whether the answer was written by a fuser (or a custom strategy) rather than chosen from a member.
     *
     * @return {@code true} when {@link #chosen()} is {@code null}
     */
    public boolean fused() {
        return chosen == null;
    }

    /**
     * The cluster that holds the chosen answer.
     *
     * @return the cluster, or empty when no cluster holds the chosen answer's key (a fused answer
     *     no member gave)
     */
    public Optional<AnswerCluster> winningCluster() {
        if (chosenKey == null) {
            return Optional.empty();
        }
        for (AnswerCluster cluster : clusters) {
            if (cluster.key().equals(chosenKey)) {
                return Optional.of(cluster);
            }
        }
        return Optional.empty();
    }

    /**
     * How many member samples gave the chosen answer.
     *
     * @return the winning cluster's votes; 0 when no cluster holds it
     */
    public int agreedBy() {
        return winningCluster().map(AnswerCluster::votes).orElse(0);
    }

    /**
     * One member sample's result.
     *
     * @param id a sample id such as {@code openai#2}, or a member's name when it has one sample
     * @return the result, or empty when there is no such sample
     */
    public Optional<MemberResult> member(String id) {
        for (MemberResult member : members) {
            if (member.id().equals(id)) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /**
     * The member samples that voted.
     *
     * @return the answered members, in member order
     */
    public List<MemberResult> answered() {
        List<MemberResult> answered = new ArrayList<>();
        for (MemberResult member : members) {
            if (member.answered()) {
                answered.add(member);
            }
        }
        return answered;
    }

    /**
     * What the run cost: every member's call and every judge and fuser call.
     *
     * @return the exact sum of the priced attempts; see {@link #unpricedCalls()}
     */
    public Usd totalCost() {
        Usd total = Usd.ZERO;
        for (MemberResult member : members) {
            total = total.plus(member.cost());
        }
        for (AuxiliaryCall call : auxiliaryCalls) {
            total = total.plus(call.cost());
        }
        return total;
    }

    /**
     * Calls whose model had no price, so {@link #totalCost()} is a lower bound.
     *
     * @return the count, 0 when every cost is known
     */
    public int unpricedCalls() {
        int unpriced = 0;
        for (MemberResult member : members) {
            unpriced += member.costKnown() ? 0 : 1;
        }
        for (AuxiliaryCall call : auxiliaryCalls) {
            unpriced += call.costKnown() ? 0 : 1;
        }
        return unpriced;
    }

    /**
     * The tokens of every call of the run.
     *
     * @return the summed usage
     */
    public Usage totalUsage() {
        Usage total = Usage.NONE;
        for (MemberResult member : members) {
            total = total.plus(member.usage());
        }
        for (AuxiliaryCall call : auxiliaryCalls) {
            total = total.plus(call.usage());
        }
        return total;
    }

    /**
     * The run's wall-clock time, from the first member sent to the merged answer.
     *
     * @return the trace's total time
     */
    public Duration latency() {
        return trace.totalTime();
    }
}
