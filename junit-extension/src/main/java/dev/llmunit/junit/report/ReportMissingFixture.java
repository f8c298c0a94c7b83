package dev.llmunit.junit.report;

import dev.llmunit.wiremock.MissingFixture;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request the fixture server had no recording for, as the report lists it.
 *
 * @param provider the provider's id, such as {@code openai}
 * @param model the model the request named, or {@code unknown}
 * @param lastUserMessage the request's last user message, shortened; empty when it had none
 * @param url the request's path on the fixture server
 * @param closestFixture the closest recorded fixture, or {@code null} when there is none for the provider
 * @param difference how the closest fixture differs, or {@code null}
 */
public record ReportMissingFixture(String provider, String model, String lastUserMessage, String url,
        @Nullable String closestFixture, @Nullable String difference) {

    /** Validates. */
    public ReportMissingFixture {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lastUserMessage, "lastUserMessage");
        Objects.requireNonNull(url, "url");
    }

    /**
     * Copies what the fixture server reported.
     *
     * @param missing the missing fixture
     * @return the report's view of it
     */
    public static ReportMissingFixture of(MissingFixture missing) {
        return new ReportMissingFixture(missing.provider().id(), missing.model(), missing.lastUserMessage(), missing.url(),
                missing.closestFixture(), missing.difference());
    }
}
