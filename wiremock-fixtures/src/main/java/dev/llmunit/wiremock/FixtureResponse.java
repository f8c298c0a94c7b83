package dev.llmunit.wiremock;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One response a fixture serves, before the request side (matching, latency, scenario) is added.
 * Not API.
 *
 * @param description a short label for the stub's name, such as {@code 429 rate_limit_exceeded}
 * @param response the WireMock response, without delays
 * @param stream {@code true} for a streamed reply, {@code false} for a JSON reply, {@code null}
 *     for errors and faults, which answer streaming and non-streaming requests alike
 * @param model the model the response names, or null when it names none
 * @param details more metadata for reports, such as the status or the fault
 */
record FixtureResponse(
        String description,
        ResponseDefinitionBuilder response,
        @Nullable Boolean stream,
        @Nullable String model,
        Map<String, Object> details) {

    FixtureResponse {
        details = Map.copyOf(details);
    }
}
