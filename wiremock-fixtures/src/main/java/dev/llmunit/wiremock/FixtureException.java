package dev.llmunit.wiremock;

/**
 * A fixture set or a fixture server setting that cannot be used: a malformed mapping file, a
 * fixture directory that does not exist, a missing API key for recording. The message names the
 * file or setting and says how to fix it.
 */
public final class FixtureException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file or setting, and how to fix it
     */
    public FixtureException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong, naming the file or setting, and how to fix it
     * @param cause the underlying error, such as a JSON parse error
     */
    public FixtureException(String message, Throwable cause) {
        super(message, cause);
    }
}
