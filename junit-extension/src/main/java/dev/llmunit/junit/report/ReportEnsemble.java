package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.ensemble.AnswerCluster;
import dev.llmunit.junit.EnsembleCall;
import dev.llmunit.junit.LlmCall;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One ensemble run as the report keeps it: a flat, JSON-friendly copy of an {@link EnsembleCall}.
 * Its members' provider calls are among the test's {@link ReportCall}s; each member names its call
 * by {@code callSequence}.
 *
 * @param sequence the run's number within its test, from 1
 * @param ensemble the ensemble's name
 * @param strategy the merge strategy, such as {@code majorityVote}
 * @param answerKey the answer key, such as {@code json /category}
 * @param chosen the chosen member sample's id ({@code fused} for a written answer), or {@code null} when the run failed
 * @param confidence the run's confidence (calibrated when {@code calibrated}), or {@code null} when it failed
 * @param rawConfidence the raw confidence, or {@code null} when it failed
 * @param calibrated whether the confidence was calibrated
 * @param agreement the chosen answer's share of the votes or weight
 * @param cost what every member and judge or fuser call cost, or {@code null} when some price is unknown
 * @param latencyMs the judged latency: the slowest member's, plus the judge's and fuser's
 * @param error why the run failed, or {@code null}
 * @param fallbackReason why a judge or fuser fell back to the consensus, or {@code null}
 * @param prompt the last user message, shortened
 * @param answer the chosen answer, shortened
 * @param members every member sample, in member order
 * @param clusters the clusters, the winner first
 */
public record ReportEnsemble(
        int sequence,
        String ensemble,
        String strategy,
        String answerKey,
        @Nullable String chosen,
        @Nullable Double confidence,
        @Nullable Double rawConfidence,
        boolean calibrated,
        double agreement,
        @Nullable Usd cost,
        long latencyMs,
        @Nullable String error,
        @Nullable String fallbackReason,
        String prompt,
        String answer,
        List<Member> members,
        List<Cluster> clusters) {

    /**
     * This run with its prompt, chosen answer, members' answers and keys, and cluster keys kept as a setting says.
     *
     * @param excerpts keep, redact or drop
     * @return a copy
     */
    ReportEnsemble withExcerpts(dev.llmunit.wiremock.Excerpts excerpts) {
        List<Member> kept = members.stream().map(member -> new Member(member.id(), member.member(), member.outcome(), member.weight(),
                member.key() == null ? null : excerpts.apply(member.key()), member.reason(), excerpts.apply(member.answer()),
                member.callSequence(), member.cost(), member.latencyMs(), member.fixture())).toList();
        List<Cluster> keys = clusters.stream().map(cluster -> new Cluster(excerpts.apply(cluster.key()), cluster.members(),
                cluster.votes(), cluster.weight(), cluster.share())).toList();
        return new ReportEnsemble(sequence, ensemble, strategy, answerKey, chosen == null ? null : excerpts.apply(chosen), confidence,
                rawConfidence, calibrated, agreement, cost, latencyMs, error, fallbackReason, excerpts.apply(prompt),
                excerpts.apply(answer), kept, keys);
    }

    /** Validates and copies. */
    public ReportEnsemble {
        Objects.requireNonNull(ensemble, "ensemble");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(answerKey, "answerKey");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        members = List.copyOf(Objects.requireNonNull(members, "members"));
        clusters = List.copyOf(Objects.requireNonNull(clusters, "clusters"));
    }

    /**
     * One member sample.
     *
     * @param id the sample's id, such as {@code openai#2}
     * @param member the member's name
     * @param outcome how it ended, such as {@code answered} or {@code timed_out}
     * @param weight its vote weight
     * @param key its answer's key, or {@code null}
     * @param reason why it did not vote, or {@code null}
     * @param answer its answer, shortened
     * @param callSequence the {@link ReportCall#sequence()} of its provider call, or {@code null} when it made none
     * @param cost its call's cost, or {@code null} when unknown or no call
     * @param latencyMs its call's judged latency, 0 without a call
     * @param fixture the fixture that answered it, or {@code null}
     */
    public record Member(String id, String member, String outcome, double weight, @Nullable String key, @Nullable String reason,
            String answer, @Nullable Integer callSequence, @Nullable Usd cost, long latencyMs, @Nullable String fixture) {

        /** Validates the parts. */
        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * One cluster.
     *
     * @param key the answers' common key
     * @param members the member sample ids in it
     * @param votes how many answers it holds
     * @param weight their weight
     * @param share its share of the votes (majority vote) or the weight (other strategies)
     */
    public record Cluster(String key, List<String> members, int votes, double weight, double share) {

        /** Validates and copies. */
        public Cluster {
            Objects.requireNonNull(key, "key");
            members = List.copyOf(Objects.requireNonNull(members, "members"));
        }
    }

    /**
     * Copies a run from the test's ledger.
     *
     * @param run the run
     * @return the report's view of it
     */
    public static ReportEnsemble of(EnsembleCall run) {
        List<Member> members = run.members().stream().map(member -> {
            LlmCall call = member.call();
            return new Member(member.id(), member.member(), member.outcome().tagValue(), member.weight(), member.key(), member.reason(),
                    member.answer(), call == null ? null : call.sequence(), call == null ? null : call.cost(),
                    call == null ? 0 : call.judgedLatency().toMillis(), call == null ? null : call.fixture());
        }).toList();
        boolean majority = run.strategy().equals("majorityVote");
        List<Cluster> clusters = run.clusters().stream().map((AnswerCluster cluster) -> new Cluster(cluster.key(), cluster.members(),
                cluster.votes(), cluster.weight(), majority ? cluster.voteShare() : cluster.weightShare())).toList();
        return new ReportEnsemble(run.sequence(), run.source(), run.strategy(), run.answerKey(), run.chosen(), run.confidence(),
                run.rawConfidence(), run.calibrated(), run.agreement(), run.cost(), run.judgedLatency().toMillis(), run.error(),
                run.fallbackReason(), run.prompt(), run.answer(), members, clusters);
    }

    /**
     * Whether the run's cost is known exactly.
     *
     * @return {@code false} when some call's price is unknown
     */
    public boolean costKnown() {
        return cost != null;
    }
}
