package dev.llmunit.wiremock.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one canonical form of a JSON request body, so that two bodies the fixture matcher
 * ({@code RequestMatching}: WireMock's strict {@code equalToJson}) takes for the same request
 * have the same form: the volatile top-level fields left out, every object's keys in
 * alphabetical order, arrays in their order, and numbers written by their value (WireMock
 * compares numbers as decimals with trailing zeros stripped, so {@code 1}, {@code 1.0} and
 * {@code 1e0} are one number). It names recorded fixture files ({@link RequestFacts#hash()}) and
 * keys the playback index ({@link IndexedStubMappingStore}).
 */
final class CanonicalBody {

    // Exact decimals: 0.1 and 0.10000000000000000001 are different numbers to the matcher, and must
    // stay different here; a double would merge them.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /** Beyond this many digits after (or zeros before) the point a number is written in E notation, so 1e999999 stays short. */
    private static final int MAX_PLAIN_SCALE = 100;

    private CanonicalBody() {}

    /**
     * Parses a body.
     *
     * @param text the body
     * @return the JSON tree; null when the text is blank or not JSON
     */
    static @Nullable JsonNode parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /**
     * Parses a body that should be a JSON object.
     *
     * @param text the body
     * @return the object; null when the text is not a JSON object
     */
    static @Nullable ObjectNode parseObject(@Nullable String text) {
        JsonNode node = parse(text);
        return node instanceof ObjectNode object ? object : null;
    }

    /**
     * The canonical text of a body.
     *
     * @param body a JSON object
     * @param leftOut top-level fields to leave out
     * @return compact JSON with sorted keys and numbers by value
     */
    static String text(ObjectNode body, Set<String> leftOut) {
        ObjectNode sorted = JsonNodeFactory.instance.objectNode();
        for (String name : sortedNames(body)) {
            if (!leftOut.contains(name)) {
                sorted.set(name, canonical(body.get(name)));
            }
        }
        return sorted.toString();
    }

    /**
     * The SHA-256 of a body's canonical text, in hex.
     *
     * @param body a JSON object
     * @param leftOut top-level fields to leave out
     * @return 64 hex digits
     */
    static String hash(ObjectNode body, Set<String> leftOut) {
        return sha256(text(body, leftOut));
    }

    /**
     * The SHA-256 of a text, in hex.
     *
     * @param text any text, as UTF-8
     * @return 64 hex digits
     */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            for (String name : sortedNames(node)) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode(node.size());
            for (Iterator<JsonNode> items = node.elements(); items.hasNext(); ) {
                array.add(canonical(items.next()));
            }
            return array;
        }
        if (node.isNumber()) {
            return JsonNodeFactory.instance.rawValueNode(new RawValue(number(node.decimalValue())));
        }
        return node;
    }

    /**
     * A number by its value: integers without a point ({@code 100}, also for {@code 1e2} and
     * {@code 100.0}), other values with exactly the digits they need ({@code 0.7} for {@code 0.70}).
     */
    private static String number(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        int scale = stripped.scale();
        return scale < -MAX_PLAIN_SCALE || scale > MAX_PLAIN_SCALE ? stripped.toString() : stripped.toPlainString();
    }

    private static List<String> sortedNames(JsonNode node) {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }
}
