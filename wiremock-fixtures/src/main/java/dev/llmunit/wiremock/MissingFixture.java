package dev.llmunit.wiremock;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request a {@link FixtureServer} in playback mode had no fixture for. The server answered it
 * with HTTP 404 and the provider's own error JSON carrying {@link #message()}, so the calling test
 * fails; a test framework can list these to report every missing fixture at once.
 *
 * @param provider the provider the request was for
 * @param model the model the request named, or {@code unknown}
 * @param lastUserMessage the last user message, truncated; empty when the request had none
 * @param method the HTTP method
 * @param url the request URL on the fixture server (path and query)
 * @param closestFixture the name (or id) of the closest fixture, null when the server has none for this provider
 * @param difference how the closest fixture differs from the request, null when there is none
 * @param message the whole explanation: what had no recording, the closest difference, how to record it
 */
public record MissingFixture(
        LlmProvider provider,
        String model,
        String lastUserMessage,
        String method,
        String url,
        @Nullable String closestFixture,
        @Nullable String difference,
        String message) {

    /** Checks that the required values are present. */
    public MissingFixture {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lastUserMessage, "lastUserMessage");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(message, "message");
    }
}
