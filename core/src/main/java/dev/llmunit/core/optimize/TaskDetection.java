package dev.llmunit.core.optimize;

import java.util.List;
import java.util.Objects;

/**
 * The task type detected for a request, how sure the detector is, and the request features it
 * relied on.
 *
 * @param type the task type
 * @param confidence from 0 (a guess) to 1 (certain); 1 for an override
 * @param signals the features that decided, such as {@code "schema-enum"} or {@code "keyword:summar"}
 * @param overridden whether the caller fixed the type instead of detection
 */
public record TaskDetection(TaskType type, double confidence, List<String> signals, boolean overridden) {

    /** Checks the confidence and copies the signals. */
    public TaskDetection {
        Objects.requireNonNull(type, "type");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, but was " + confidence);
        }
        signals = List.copyOf(signals);
    }

    /**
     * A detection fixed by the caller.
     *
     * @param type the type to use
     * @return a detection with confidence 1 and signal {@code "override"}
     */
    public static TaskDetection overridden(TaskType type) {
        return new TaskDetection(type, 1.0, List.of("override"), true);
    }
}
