package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one rule by which fixtures match requests, used by hand-written fixtures and recordings
 * alike: the request body must equal the fixture's exactly — no field missing, no field added,
 * arrays in order, so the order of chat messages matters — except the volatile fields, which may
 * be present with any value or absent. It is one built-in WireMock {@code equalToJson} matcher
 * whose volatile fields hold JsonUnit's {@value #IGNORE_ELEMENT} placeholder, so the standalone
 * WireMock jar serves the mappings unchanged.
 */
public final class RequestMatching {

    /** Fields that change between runs without changing the answer: {@code user}, {@code metadata}, {@code seed}, {@code stream_options}. */
    public static final Set<String> DEFAULT_VOLATILE_FIELDS = Set.of("user", "metadata", "seed", "stream_options");

    /** JsonUnit's placeholder for an element that may have any value or be absent. */
    public static final String IGNORE_ELEMENT = "${json-unit.ignore-element}";

    // Exact decimals: a body must be written back with the very digits it was recorded with.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private RequestMatching() {}

    /**
     * Adds the body matcher for a request body to a mapping.
     *
     * @param mapping the mapping being built
     * @param requestJson the request body the fixture answers, a JSON object
     * @param volatileFields top-level fields to ignore, present or not
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
        ObjectNode expected = ((ObjectNode) body).deepCopy();
        for (String field : new TreeSet<>(volatileFields)) { // sorted: the same fixture writes the same JSON
            expected.put(field, IGNORE_ELEMENT);
        }
        return mapping.withRequestBody(equalToJson(expected.toString(), false, false));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
