package dev.llmunit.core.optimize;

/**
 * What a request asks the model to do, as {@link TaskDetector} reads it from the request. The
 * optimizer learns and chooses strategies per task type.
 */
public enum TaskType {
    /** Pick a label or category from a fixed set (sentiment, ticket triage, intent). */
    CLASSIFICATION,
    /** Pull fields or facts out of the input, often as JSON. */
    EXTRACTION,
    /** Shorten the input while keeping its meaning. */
    SUMMARIZATION,
    /** Solve a problem: arithmetic, logic, multi-step reasoning. */
    REASONING,
    /** Write, fix or explain program code. */
    CODE,
    /** Anything else: free text, chat, creative writing. */
    OPEN_GENERATION
}
