package dev.llmunit.core.optimize;

import java.nio.file.Path;

/**
 * An optimizer history file that cannot be used: not JSON, not the history format, or naming a
 * task type or strategy the optimizer does not know. The message names the file, the position or
 * JSON path, the bad value and what would be valid.
 */
public final class InvalidHistoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    InvalidHistoryException(Path file, String problem, Throwable cause) {
        super("optimizer history file " + file + ": " + problem, cause);
        this.file = file;
    }

    /**
     * The file that could not be used.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }
}
