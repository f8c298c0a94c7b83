package dev.llmunit.junit;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.ensemble.AnswerCluster;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.ensemble.MemberOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One ensemble run a test made through an {@code Ensemble} llmunit injected, as the
 * {@link LlmCalls call ledger} saw it. Each member sample's provider call (and each judge or fuser
 * call) is also an ordinary {@link LlmCall} in the ledger, with its own fixture, tokens, cost and
 * latency, so cost and latency budgets count every member; this record ties them together with the
 * votes, the clusters and the confidence. {@link MinConfidence} judges an ensemble's calls by the
 * ensemble's {@link #confidence()} (calibrated where the ensemble has a calibration), not by each member's.
 *
 * @param sequence the ensemble run's number within its test, from 1
 * @param source the ensemble's name
 * @param strategy the merge strategy's name, such as {@code majorityVote}
 * @param answerKey the answer key's name, such as {@code json /category}
 * @param members every member sample, in member order, each with its call in the ledger
 * @param clusters the answers' clusters, the winner first; empty when the run failed
 * @param auxiliaryCalls the judge's and fuser's calls, as they are in the ledger
 * @param chosen the id of the member sample whose answer was chosen, {@code fused} for a written
 *     answer, or {@code null} when the run failed
 * @param confidence the run's confidence, 0 to 1 (calibrated when {@code calibrated}), or
 *     {@code null} when the run failed
 * @param rawConfidence the raw confidence, or {@code null} when the run failed
 * @param calibrated whether {@code confidence} went through a calibration
 * @param agreement the chosen answer's share of the votes or weight, 0 when the run failed
 * @param fallbackReason why a judge or fuser fell back to the consensus, or {@code null}
 * @param notes anything else the run noted
 * @param stoppedEarly whether {@code earlyStop()} cancelled members
 * @param timedOut whether the timeout cancelled members
 * @param error why the run failed, or {@code null} when it answered
 * @param prompt the last user message, shortened to {@value LlmCall#TEXT_LIMIT} characters
 * @param answer the chosen answer, shortened; empty when the run failed
 * @param result the full result, or {@code null} when the run failed
 */
public record EnsembleCall(
        int sequence,
        String source,
        String strategy,
        String answerKey,
        List<Member> members,
        List<AnswerCluster> clusters,
        List<LlmCall> auxiliaryCalls,
        @Nullable String chosen,
        @Nullable Double confidence,
        @Nullable Double rawConfidence,
        boolean calibrated,
        double agreement,
        @Nullable String fallbackReason,
        List<String> notes,
        boolean stoppedEarly,
        boolean timedOut,
        @Nullable String error,
        String prompt,
        String answer,
        @Nullable EnsembleResult result) {

    /** Validates and copies. */
    public EnsembleCall {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, but was " + sequence);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(answerKey, "answerKey");
        members = List.copyOf(Objects.requireNonNull(members, "members"));
        clusters = List.copyOf(Objects.requireNonNull(clusters, "clusters"));
        auxiliaryCalls = List.copyOf(Objects.requireNonNull(auxiliaryCalls, "auxiliaryCalls"));
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
    }

    /**
     * One member sample of the run.
     *
     * @param id the sample's id, such as {@code openai#2}
     * @param member the member's name
     * @param outcome how it ended
     * @param weight its vote weight
     * @param key its answer's key, or {@code null}
     * @param reason why it did not vote, or {@code null}
     * @param answer its answer, shortened; empty when it gave none
     * @param call its provider call in the ledger, or {@code null} when it made none the ledger
     *     keeps (skipped by the budget, cancelled by early stop)
     */
    public record Member(String id, String member, MemberOutcome outcome, double weight, @Nullable String key, @Nullable String reason,
            String answer, @Nullable LlmCall call) {

        /** Validates the parts. */
        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(answer, "answer");
        }

        @Override
        public String toString() {
            return id + ": " + outcome.name() + (key == null ? "" : " \"" + key + "\"") + (reason == null ? "" : " (" + reason + ")")
                    + (call == null ? "" : ", " + (call.cost() == null ? "cost unknown" : call.cost().toString()) + ", "
                            + call.judgedLatency().toMillis() + " ms" + (call.fixture() == null ? "" : ", fixture " + call.fixture()));
        }
    }

    /**
     * Whether the run produced an answer.
     *
     * @return {@code true} when it has no error
     */
    public boolean succeeded() {
        return error == null;
    }

    /**
     * Every provider call of the run, as the ledger holds them: the members', then the judge's and fuser's.
     *
     * @return the calls
     */
    public List<LlmCall> calls() {
        List<LlmCall> calls = new ArrayList<>();
        for (Member member : members) {
            if (member.call() != null) {
                calls.add(member.call());
            }
        }
        calls.addAll(auxiliaryCalls);
        return calls;
    }

    /**
     * What the run cost: every member and judge or fuser call.
     *
     * @return the exact sum, or {@code null} when some call's cost is unknown
     */
    public @Nullable Usd cost() {
        Usd total = Usd.ZERO;
        for (LlmCall call : calls()) {
            if (call.cost() == null) {
                return null;
            }
            total = total.plus(call.cost());
        }
        return total;
    }

    /**
     * The latency the run's caller waited, judged like a call's: the slowest member's judged
     * latency (members run in parallel) plus the judge's and fuser's (which run after).
     *
     * @return the judged latency
     */
    public Duration judgedLatency() {
        Duration slowest = Duration.ZERO;
        for (Member member : members) {
            if (member.call() != null && member.call().judgedLatency().compareTo(slowest) > 0) {
                slowest = member.call().judgedLatency();
            }
        }
        for (LlmCall call : auxiliaryCalls) {
            slowest = slowest.plus(call.judgedLatency());
        }
        return slowest;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ensemble #").append(sequence).append(" '").append(source).append("' ");
        if (error != null) {
            text.append("failed (").append(error).append(')');
        } else {
            text.append("chose ").append(chosen).append(String.format(Locale.ROOT, ", confidence %.2f", confidence))
                    .append(calibrated ? " (calibrated)" : "");
        }
        Usd cost = cost();
        text.append(", ").append(cost == null ? "cost unknown" : cost.toString()).append(", ").append(judgedLatency().toMillis())
                .append(" ms, ").append(members.size()).append(members.size() == 1 ? " member" : " members");
        return text.toString();
    }
}
