package dev.llmunit.wiremock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmunit.wiremock.LlmProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What llmunit reads from one provider request: the model, the last user message, and the hash
 * of the normalised request (method, path, and the body in its {@link CanonicalBody canonical
 * form}: volatile fields left out, keys sorted, numbers by value) that names its fixture file.
 *
 * @param provider the provider whose base path the request used
 * @param method the HTTP method, upper case
 * @param path the request path without query
 * @param model the model named in the body (or, for Gemini, in the path); {@code unknown} when none
 * @param lastUserMessage the last user message, whitespace collapsed and truncated; empty when none
 * @param hash the first 12 hex digits of the SHA-256 of the normalised request
 * @param bodyText the request body as text
 * @param jsonObjectBody whether the body is a JSON object (and so matched field by field)
 */
public record RequestFacts(
        LlmProvider provider,
        String method,
        String path,
        String model,
        String lastUserMessage,
        String hash,
        String bodyText,
        boolean jsonObjectBody) {

    /** The model recorded when a request names none. */
    public static final String UNKNOWN_MODEL = "unknown";

    private static final Pattern GEMINI_MODEL = Pattern.compile("/models/([^/:]+)");
    private static final int MESSAGE_LENGTH = 80;

    /**
     * Reads a request.
     *
     * @param provider the provider serving the path
     * @param method the HTTP method
     * @param path the request path, without query
     * @param body the request body
     * @param volatileFields top-level body fields left out of the hash
     * @return the facts
     */
    public static RequestFacts of(LlmProvider provider, String method, String path, byte[] body, Set<String> volatileFields) {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode json = CanonicalBody.parse(text);
        boolean jsonObject = json instanceof ObjectNode;
        String canonical = jsonObject ? CanonicalBody.text((ObjectNode) json, volatileFields) : text;
        String upperMethod = method.toUpperCase(Locale.ROOT);
        String hash = CanonicalBody.sha256(upperMethod + "\n" + path + "\n" + canonical).substring(0, 12);
        return new RequestFacts(provider, upperMethod, path, model(json, path), lastUserMessage(json), hash, text, jsonObject);
    }

    /**
     * The fixture's file name without extension: {@code <provider>-<model>-<hash12>}, the model
     * reduced to lower-case letters, digits, dots and dashes.
     *
     * @return the name, such as {@code openai-gpt-4o-mini-3f9a1c0b7d2e}
     */
    public String fixtureName() {
        String safeModel = model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return provider.id() + "-" + (safeModel.isEmpty() ? UNKNOWN_MODEL : safeModel) + "-" + hash;
    }

    /**
     * The stub's id, derived from the fixture name so a re-recording keeps it.
     *
     * @return a name-based UUID
     */
    public UUID stubId() {
        return UUID.nameUUIDFromBytes(("llmunit:" + fixtureName()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The stub's human-readable name.
     *
     * @return such as {@code openai gpt-4o-mini: What is the capital of France?}
     */
    public String stubName() {
        // The prompt may hold control characters; the name travels as a header (StubNames).
        return StubNames.safe(provider.id() + " " + model + (lastUserMessage.isEmpty() ? "" : ": " + lastUserMessage));
    }


    private static String model(@Nullable JsonNode body, String path) {
        if (body != null && body.path("model").isTextual() && !body.path("model").asText().isBlank()) {
            return body.path("model").asText();
        }
        Matcher matcher = GEMINI_MODEL.matcher(path);
        return matcher.find() ? matcher.group(1) : UNKNOWN_MODEL;
    }

    /**
     * The text of the last user message of an OpenAI or Anthropic {@code messages} array or a
     * Gemini {@code contents} array.
     */
    static String lastUserMessage(@Nullable JsonNode body) {
        if (body == null) {
            return "";
        }
        JsonNode messages = body.has("messages") ? body.get("messages") : body.path("contents");
        if (!messages.isArray()) {
            return "";
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                return truncate(text(message.has("content") ? message.get("content") : message.path("parts")));
            }
        }
        return "";
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> parts = new ArrayList<>();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    parts.add(part.asText());
                } else if (part.path("text").isTextual()) {
                    parts.add(part.path("text").asText());
                }
            }
        }
        return String.join(" ", parts);
    }

    /**
     * Collapses whitespace and cuts text to {@value #MESSAGE_LENGTH} characters.
     *
     * @param text any text
     * @return the text, ending in {@code …} when cut
     */
    public static String truncate(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= MESSAGE_LENGTH ? flat : flat.substring(0, MESSAGE_LENGTH) + "…";
    }
}
