package dev.llmunit.core.ensemble;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Answers that share a key, and their votes.
 *
 * @param key the answers' common key
 * @param members the ids of the member samples whose answers it holds, in member order
 * @param votes how many answers it holds
 * @param weight the sum of their members' weights
 * @param voteShare its votes over all member samples asked (failed, filtered, timed out and
 *     cancelled ones count as not agreeing)
 * @param weightShare its weight over the weight of all member samples asked
 */
public record AnswerCluster(String key, List<String> members, int votes, double weight, double voteShare, double weightShare) {

    /** Validates and copies. */
    public AnswerCluster {
        Objects.requireNonNull(key, "key");
        members = List.copyOf(Objects.requireNonNull(members, "members"));
        if (votes != members.size()) {
            throw new IllegalArgumentException("a cluster's votes are its members, but were " + votes + " for " + members);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "\"%s\" %s (%d votes, weight %.2f)", key, members, votes, weight);
    }
}
