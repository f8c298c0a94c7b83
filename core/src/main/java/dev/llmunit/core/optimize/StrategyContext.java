package dev.llmunit.core.optimize;

import java.util.List;
import java.util.Objects;

/**
 * What a strategy may use besides the request: the detected task and the best scored past
 * exchanges of the same task type (for few-shot examples).
 *
 * @param task the task detection
 * @param examples past exchanges of the same task type with a prompt and an answer, best score first
 */
public record StrategyContext(TaskDetection task, List<HistoryEntry> examples) {

    /** Copies the examples. */
    public StrategyContext {
        Objects.requireNonNull(task, "task");
        examples = List.copyOf(examples);
    }
}
