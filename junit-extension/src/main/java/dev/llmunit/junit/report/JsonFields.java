package dev.llmunit.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmunit.core.cost.Usd;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads from a parsed JSON file that fail with the file, the JSON path, what was expected,
 * what was there, and the fix, such as
 * {@code llmunit-baseline.json: $.tests["a.B#c"].calls must be a whole number, but was "two"; …}.
 */
final class JsonFields {

    private final String source;
    private final String fix;

    JsonFields(String source, String fix) {
        this.source = source;
        this.fix = fix;
    }

    IllegalStateException error(String path, String expected, @Nullable JsonNode actual) {
        String was = actual == null || actual.isMissingNode() ? "missing" : "was " + shorten(actual.toString());
        return new IllegalStateException(source + ": " + path + " must be " + expected + ", but " + was + "; " + fix);
    }

    ObjectNode object(JsonNode node, String path) {
        if (!(node instanceof ObjectNode object)) {
            throw error(path, "an object", node);
        }
        return object;
    }

    static String child(String path, String field) {
        return field.matches("[A-Za-z_][A-Za-z0-9_]*") ? path + "." + field : path + "[\"" + field.replace("\"", "\\\"") + "\"]";
    }

    <T> List<T> list(ObjectNode parent, String field, String path, BiFunction<JsonNode, String, T> element) {
        JsonNode node = parent.path(field);
        String at = child(path, field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!(node instanceof ArrayNode array)) {
            throw error(at, "an array", node);
        }
        List<T> values = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            values.add(element.apply(array.get(i), at + "[" + i + "]"));
        }
        return values;
    }

    String text(ObjectNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (!node.isTextual()) {
            throw error(child(path, field), "a string", node);
        }
        return node.textValue();
    }

    String textOr(ObjectNode parent, String field, String path, String otherwise) {
        String value = textOrNull(parent, field, path);
        return value == null ? otherwise : value;
    }

    @Nullable String textOrNull(ObjectNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw error(child(path, field), "a string or null", node);
        }
        return node.textValue();
    }

    long whole(ObjectNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (!node.isIntegralNumber() || node.longValue() < 0) {
            throw error(child(path, field), "a whole number, 0 or more", node);
        }
        return node.longValue();
    }

    long wholeOr(ObjectNode parent, String field, String path, long otherwise) {
        JsonNode node = parent.path(field);
        return node.isMissingNode() || node.isNull() ? otherwise : whole(parent, field, path);
    }

    @Nullable Long wholeOrNull(ObjectNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        return node.isMissingNode() || node.isNull() ? null : whole(parent, field, path);
    }

    int count(ObjectNode parent, String field, String path) {
        long value = whole(parent, field, path);
        if (value > Integer.MAX_VALUE) {
            throw error(child(path, field), "a count below " + Integer.MAX_VALUE, parent.path(field));
        }
        return (int) value;
    }

    int countOr(ObjectNode parent, String field, String path, int otherwise) {
        JsonNode node = parent.path(field);
        return node.isMissingNode() || node.isNull() ? otherwise : count(parent, field, path);
    }

    boolean bool(ObjectNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (!node.isBoolean()) {
            throw error(child(path, field), "true or false", node);
        }
        return node.booleanValue();
    }

    boolean boolOr(ObjectNode parent, String field, String path, boolean otherwise) {
        JsonNode node = parent.path(field);
        return node.isMissingNode() || node.isNull() ? otherwise : bool(parent, field, path);
    }

    BigDecimal decimalOr(ObjectNode parent, String field, String path, BigDecimal otherwise) {
        BigDecimal value = decimalOrNull(parent, field, path);
        return value == null ? otherwise : value;
    }

    @Nullable BigDecimal decimalOrNull(ObjectNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw error(child(path, field), "a number", node);
        }
        return node.decimalValue();
    }

    @Nullable Double fractionOrNull(ObjectNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || node.doubleValue() < 0 || node.doubleValue() > 1) {
            throw error(child(path, field), "a number from 0 to 1, or null", node);
        }
        return node.doubleValue();
    }

    /** A USD amount written as a decimal string, as llmunit writes it; a bare JSON number is accepted too. */
    @Nullable Usd usdOrNull(ObjectNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            if (node.isTextual()) {
                return Usd.usd(node.textValue());
            }
            if (node.isNumber()) {
                return Usd.of(node.decimalValue());
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the message below, which names the path.
        }
        throw error(child(path, field), "a non-negative decimal string such as \"0.000435\", or null for unknown", node);
    }

    List<String> strings(ObjectNode parent, String field, String path) {
        return list(parent, field, path, (node, at) -> {
            if (!node.isTextual()) {
                throw error(at, "a string", node);
            }
            return node.textValue();
        });
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
