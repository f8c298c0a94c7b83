package dev.llmunit.core.internal;

import dev.llmunit.core.ensemble.AnswerCluster;
import dev.llmunit.core.ensemble.MemberResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clusters and their orders: the one place that decides which cluster leads and which candidate
 * speaks for a cluster, so the strategies, the consensus and early stopping always agree. Every
 * order ends in member order, so ties break the same way on every run.
 */
final class Votes {

    private Votes() {}

    /**
     * Groups answered candidates by key.
     *
     * @param candidates answered member samples with keys, in member order
     * @param askedSamples member samples asked in the run
     * @param askedWeight their total weight
     * @return the clusters in order of first appearance
     */
    static List<AnswerCluster> clusters(List<MemberResult> candidates, int askedSamples, double askedWeight) {
        Map<String, List<MemberResult>> byKey = new LinkedHashMap<>();
        for (MemberResult candidate : candidates) {
            byKey.computeIfAbsent(candidate.key(), key -> new ArrayList<>()).add(candidate);
        }
        List<AnswerCluster> clusters = new ArrayList<>(byKey.size());
        byKey.forEach((key, members) -> {
            double weight = 0;
            List<String> ids = new ArrayList<>(members.size());
            for (MemberResult member : members) {
                weight += member.weight();
                ids.add(member.id());
            }
            clusters.add(new AnswerCluster(key, ids, members.size(), weight, askedSamples == 0 ? 0 : (double) members.size() / askedSamples,
                    askedWeight <= 0 ? 0 : Math.min(1.0, weight / askedWeight)));
        });
        return clusters;
    }

    /**
     * Sorts clusters, leader first.
     *
     * @param clusters clusters in order of first appearance (member order)
     * @param majority by votes first (majority vote), else by weight first
     * @return a sorted copy
     */
    static List<AnswerCluster> ordered(List<AnswerCluster> clusters, boolean majority) {
        List<AnswerCluster> sorted = new ArrayList<>(clusters);
        Comparator<AnswerCluster> byVotes = Comparator.comparingInt(AnswerCluster::votes).reversed();
        Comparator<AnswerCluster> byWeight = Comparator.comparingDouble(AnswerCluster::weight).reversed();
        sorted.sort(majority ? byVotes.thenComparing(byWeight) : byWeight.thenComparing(byVotes)); // stable: then first appearance
        return sorted;
    }

    /**
     * The candidate that speaks for a cluster: its heaviest member, then its first.
     *
     * @param cluster a cluster
     * @param candidates the candidates, in member order
     * @return the candidate
     */
    static MemberResult speaker(AnswerCluster cluster, List<MemberResult> candidates) {
        MemberResult best = null;
        for (MemberResult candidate : candidates) {
            if (cluster.key().equals(candidate.key()) && (best == null || candidate.weight() > best.weight())) {
                best = candidate;
            }
        }
        if (best == null) {
            throw new IllegalStateException("cluster " + cluster + " has no candidate among " + candidates);
        }
        return best;
    }

    /**
     * Whether the leader can no longer be overtaken.
     *
     * @param clusters the clusters of the answers so far
     * @param majority count votes (else weight)
     * @param outstandingVotes member samples still running
     * @param outstandingWeight their weight
     * @return {@code true} when the leader is ahead of the second by more than what is outstanding
     */
    static boolean decided(List<AnswerCluster> clusters, boolean majority, int outstandingVotes, double outstandingWeight) {
        if (clusters.isEmpty()) {
            return false;
        }
        List<AnswerCluster> sorted = ordered(clusters, majority);
        AnswerCluster leader = sorted.get(0);
        AnswerCluster second = sorted.size() > 1 ? sorted.get(1) : null;
        if (majority) {
            return leader.votes() - (second == null ? 0 : second.votes()) > outstandingVotes;
        }
        return leader.weight() - (second == null ? 0 : second.weight()) > outstandingWeight + 1e-9;
    }
}
