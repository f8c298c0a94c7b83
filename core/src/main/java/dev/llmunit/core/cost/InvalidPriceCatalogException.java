package dev.llmunit.core.cost;

/**
 * A price file could not be read. The message names the file, the model key and the field, and
 * says what would be valid.
 */
public final class InvalidPriceCatalogException extends IllegalArgumentException {

    /**
     * Creates the error.
     *
     * @param message the file, model, field and fix
     * @param cause the parser's error, or null
     */
    public InvalidPriceCatalogException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the error.
     *
     * @param message the file, model, field and fix
     */
    public InvalidPriceCatalogException(String message) {
        super(message);
    }
}
