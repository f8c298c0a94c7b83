package dev.llmunit.wiremock.internal;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.llmunit.wiremock.LlmProvider;

/**
 * Error answers in each provider's own JSON shape, so the provider's client throws its usual
 * exception carrying llmunit's message.
 */
public final class ProviderErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderErrors() {}

    /**
     * An error response.
     *
     * @param provider whose shape to use
     * @param status the HTTP status
     * @param code llmunit's error code, such as {@code llmunit_fixture_missing}
     * @param message the explanation
     * @return a response definition with a JSON body
     */
    public static ResponseDefinition response(LlmProvider provider, int status, String code, String message) {
        return responseDefinition()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body(provider, status, code, message))
                .build();
    }

    /**
     * The error JSON: OpenAI {@code {"error":{"message","type","param","code"}}}, Anthropic
     * {@code {"type":"error","error":{"type","message"}}}, Gemini {@code {"error":{"code","message","status"}}}.
     *
     * @param provider whose shape to use
     * @param status the HTTP status, for Gemini's {@code code}
     * @param code llmunit's error code
     * @param message the explanation
     * @return the JSON text
     */
    public static String body(LlmProvider provider, int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        switch (provider) {
            case OPENAI -> {
                ObjectNode error = root.putObject("error");
                error.put("message", message);
                error.put("type", code);
                error.putNull("param");
                error.put("code", code);
            }
            case ANTHROPIC -> {
                root.put("type", "error");
                ObjectNode error = root.putObject("error");
                error.put("type", code);
                error.put("message", message);
            }
            case GEMINI -> {
                ObjectNode error = root.putObject("error");
                error.put("code", status);
                error.put("message", message);
                error.put("status", code.toUpperCase(java.util.Locale.ROOT));
            }
        }
        return root.toString();
    }
}
