package dev.llmunit.core.optimize;

import dev.llmunit.core.cost.Usd;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One outcome the optimizer learned from: which strategies a request of a task type got, how good
 * the answer was and what it cost, and optionally the exchange itself as a few-shot example.
 *
 * @param taskType the request's task type
 * @param strategies the names of the strategies applied, in the order applied; empty for none
 * @param quality the answer's score from 0 to 1 (a {@link QualityScorer}'s, or a test's pass as 1 and fail as 0)
 * @param cost what the call cost
 * @param prompt the last user message as sent (shortened), or null when not kept
 * @param answer the answer (shortened), or null when not kept
 */
public record HistoryEntry(TaskType taskType, List<String> strategies, double quality, Usd cost,
        @Nullable String prompt, @Nullable String answer) {

    /** Validates the score and copies the strategies. */
    public HistoryEntry {
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(cost, "cost");
        strategies = List.copyOf(strategies);
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("quality must be between 0 and 1, but was " + quality);
        }
    }

    /**
     * Whether the entry can serve as a few-shot example.
     *
     * @return true when it has both a prompt and an answer
     */
    public boolean isExample() {
        return prompt != null && answer != null;
    }
}
