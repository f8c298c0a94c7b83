package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The one rule by which fixtures match requests, used by hand-written fixtures and recordings
 * alike: every top-level field of the request body must equal the fixture's, exactly — arrays in
 * order, so the order of chat messages matters — except the volatile fields, which are ignored.
 * Only built-in WireMock matchers are used ({@code matchesJsonPath} with {@code equalToJson} or
 * {@code equalTo}), so the standalone WireMock jar serves the mappings unchanged.
 */
public final class RequestMatching {

    /** Fields that change between runs without changing the answer: {@code user}, {@code metadata}, {@code seed}, {@code stream_options}. */
    public static final Set<String> DEFAULT_VOLATILE_FIELDS = Set.of("user", "metadata", "seed", "stream_options");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestMatching() {}

    /**
     * Adds body matchers for a request body to a mapping.
     *
     * @param mapping the mapping being built
     * @param requestJson the request body the fixture answers, a JSON object
     * @param volatileFields top-level fields to ignore
     * @return the same mapping
     * @throws IllegalArgumentException when the body is not a JSON object
     */
    public static MappingBuilder matchingBody(MappingBuilder mapping, String requestJson, Set<String> volatileFields) {
        JsonNode body;
        try {
            body = JSON.readTree(requestJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("a fixture's request body must be JSON, but was: " + abbreviate(requestJson), e);
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("a fixture's request body must be a JSON object, but was: " + abbreviate(requestJson));
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (volatileFields.contains(field.getKey())) {
                continue;
            }
            JsonNode value = field.getValue();
            String path = "$['" + field.getKey().replace("'", "\\'") + "']";
            mapping.withRequestBody(value.isContainerNode()
                    ? matchingJsonPath(path, equalToJson(value.toString(), false, false))
                    : matchingJsonPath(path, equalTo(value.isNull() ? "null" : value.asText())));
        }
        return mapping;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
