package dev.llmunit.engine.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree (read from YAML or JSON) that remembers the line of every object, field and array
 * element, so an error in an eval file names the line a person has to fix. Jackson's own tree
 * reader forgets locations; this one reads the token stream itself.
 */
final class LocatedJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<JsonNode, Integer> containerLines = new IdentityHashMap<>();
    private final Map<ObjectNode, Map<String, Integer>> fieldLines = new IdentityHashMap<>();
    private final Map<ArrayNode, List<Integer>> elementLines = new IdentityHashMap<>();
    private final int lineOffset;

    /**
     * @param lineOffset added to every line the parser reports (a JSON Lines line is parsed alone)
     */
    LocatedJson(int lineOffset) {
        this.lineOffset = lineOffset;
    }

    /**
     * Reads the next value of a parser positioned before it.
     *
     * @param parser the parser
     * @return the value, or {@code null} at the end of input
     * @throws IOException on malformed input, with the parser's location
     */
    JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? null : value(parser, token);
    }

    private JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        int line = line(parser);
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                containerLines.put(object, line);
                Map<String, Integer> fields = new HashMap<>();
                fieldLines.put(object, fields);
                for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
                    String name = parser.currentName();
                    fields.put(name, line(parser));
                    object.set(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                containerLines.put(array, line);
                List<Integer> lines = new ArrayList<>();
                elementLines.put(array, lines);
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    lines.add(line(parser));
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(parser.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            case VALUE_EMBEDDED_OBJECT -> {
                return NODES.textNode(String.valueOf(parser.getEmbeddedObject()));
            }
            default -> throw new IOException("unexpected " + token + " at line " + line);
        }
    }

    private int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr() + lineOffset;
    }

    /** The line an object or array starts on; 0 when unknown. */
    int lineOf(JsonNode node) {
        return containerLines.getOrDefault(node, 0);
    }

    /** The line of an object's field, else the object's own line. */
    int lineOf(ObjectNode object, String field) {
        Map<String, Integer> fields = fieldLines.get(object);
        Integer line = fields == null ? null : fields.get(field);
        return line != null ? line : lineOf(object);
    }

    /** The line of an array's element, else the array's own line. */
    int lineOf(ArrayNode array, int index) {
        List<Integer> lines = elementLines.get(array);
        return lines != null && index < lines.size() ? lines.get(index) : lineOf(array);
    }
}
