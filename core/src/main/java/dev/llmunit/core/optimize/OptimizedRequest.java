package dev.llmunit.core.optimize;

import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.List;
import java.util.Objects;

/**
 * What {@link QueryOptimizer#optimize(ChatRequest)} did to a request: the request to send, the one
 * the caller wrote, the detected task, the strategies applied, the input tokens before and after
 * (estimated with the optimizer's {@code TokenEstimator}) and the quality the history expects.
 *
 * @param request the request to send
 * @param original the request as the caller wrote it
 * @param task the task detection
 * @param strategies the names of the strategies applied, in the order applied; empty when the request is unchanged
 * @param tokensBefore estimated input tokens of {@code original}
 * @param tokensAfter estimated input tokens of {@code request}
 * @param expectedQuality the history's estimate for this task type and these strategies
 */
public record OptimizedRequest(ChatRequest request, ChatRequest original, TaskDetection task, List<String> strategies,
        int tokensBefore, int tokensAfter, QualityEstimate expectedQuality) {

    /** Checks and copies. */
    public OptimizedRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(expectedQuality, "expectedQuality");
        strategies = List.copyOf(strategies);
    }

    /**
     * The detected (or overridden) task type.
     *
     * @return the task type
     */
    public TaskType taskType() {
        return task.type();
    }

    /**
     * Whether the optimizer changed the request.
     *
     * @return false when no strategy was applied
     */
    public boolean changed() {
        return !strategies.isEmpty();
    }

    /**
     * Input tokens saved (negative when strategies added instructions or examples).
     *
     * @return {@code tokensBefore - tokensAfter}
     */
    public int tokensSaved() {
        return tokensBefore - tokensAfter;
    }

    @Override
    public String toString() {
        return "OptimizedRequest[" + task.type() + " (" + String.format(java.util.Locale.ROOT, "%.2f", task.confidence()) + "), strategies="
                + strategies + ", tokens " + tokensBefore + " -> " + tokensAfter + ", expected quality " + expectedQuality + "]";
    }
}
