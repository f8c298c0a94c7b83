package dev.llmunit.core.optimize;

import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * Detects the {@link TaskType} of a request. The {@link #standard()} detector is deterministic: the
 * same request always gets the same type and confidence.
 */
@FunctionalInterface
public interface TaskDetector {

    /**
     * Detects a request's task type.
     *
     * @param request the request
     * @return the detection, never null
     */
    TaskDetection detect(ChatRequest request);

    /**
     * The standard detector: it scores each type from the request's features (a JSON-schema response
     * format, an enum in that schema, a small output limit, code fences, arithmetic, and keywords in
     * the system and last user messages such as "classify", "extract", "summarize", "step by step",
     * "function") and picks the best, ties in declaration order of {@link TaskType}. Confidence is
     * the winner's score over the total plus one, so a single weak signal gives 0.5 and agreeing
     * signals approach 1. A request with no signal is {@link TaskType#OPEN_GENERATION} at 0.5.
     *
     * @return the shared standard detector
     */
    static TaskDetector standard() {
        return StandardTaskDetector.INSTANCE;
    }
}
