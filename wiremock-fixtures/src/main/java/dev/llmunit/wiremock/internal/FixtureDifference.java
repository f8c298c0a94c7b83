package dev.llmunit.wiremock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.matching.ContentPattern;
import com.github.tomakehurst.wiremock.matching.EqualToJsonPattern;
import com.github.tomakehurst.wiremock.matching.MatchesJsonPathPattern;
import com.github.tomakehurst.wiremock.matching.RequestPattern;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import com.github.tomakehurst.wiremock.matching.UrlPattern;
import dev.llmunit.wiremock.Redaction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Says in one line how a request differs from a stub: the method, the URL, and for body
 * patterns written by {@code RequestMatching} the first differing JSON path with both values,
 * such as {@code messages[0].content: expected 'Hi' but was 'Hello'}.
 */
final class FixtureDifference {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOP_LEVEL_FIELD = Pattern.compile("^\\$(?:\\['(.+)'\\]|\\.([A-Za-z0-9_]+))$");
    private static final int MAX_ITEMS = 3;
    private static final int MAX_VALUE = 60;
    /** How many equal characters a long text's difference shows before the first that differs. */
    private static final int DIFFERENCE_CONTEXT = 20;

    private FixtureDifference() {}

    /**
     * Describes the differences.
     *
     * @param pattern the stub's request pattern
     * @param request the request that did not match
     * @return up to three differences joined by {@code ; }; a generic note when none can be named
     */
    static String describe(RequestPattern pattern, Request request) {
        return describe(pattern, request, true);
    }

    /**
     * Describes the differences, with or without the values (prompt text) that differ.
     *
     * @param pattern the stub's request pattern
     * @param request the request that did not match
     * @param values whether to show the differing values; without them, only where the request differs
     * @return up to three differences joined by {@code ; }; a generic note when none can be named
     */
    static String describe(RequestPattern pattern, Request request, boolean values) {
        List<String> differences = new ArrayList<>();
        RequestMethod method = pattern.getMethod();
        if (method != null && !RequestMethod.ANY.equals(method) && !method.equals(request.getMethod())) {
            differences.add("method: expected " + method + " but was " + request.getMethod());
        }
        UrlPattern url = pattern.getUrlMatcher();
        if (url != null && !url.match(request.getUrl()).isExactMatch()) {
            differences.add("URL: expected " + url.getExpected() + " but was " + Redaction.withoutPrivateQueryParameters(request.getUrl()));
        }
        String body = request.getBodyAsString();
        JsonNode json = parse(body);
        List<ContentPattern<?>> bodyPatterns = pattern.getBodyPatterns();
        if (bodyPatterns != null) {
            for (ContentPattern<?> bodyPattern : bodyPatterns) {
                if (bodyPattern instanceof StringValuePattern string && !string.match(body).isExactMatch()) {
                    differences.add(bodyDifference(string, json, values));
                }
            }
        }
        if (differences.isEmpty()) {
            return "differs in headers, query or other matchers"
                    + (values ? ": " + abbreviate(pattern.toString().replaceAll("\\s+", " "), 200) : "");
        }
        return String.join("; ", differences.subList(0, Math.min(MAX_ITEMS, differences.size())))
                + (differences.size() > MAX_ITEMS ? "; and " + (differences.size() - MAX_ITEMS) + " more" : "");
    }

    private static String bodyDifference(StringValuePattern pattern, @Nullable JsonNode body, boolean values) {
        if (pattern instanceof EqualToJsonPattern && body != null) {
            JsonNode expected = parse(pattern.getExpected());
            if (expected != null) {
                String first = firstDifference(expected, body, "", values);
                if (first != null) {
                    return first.startsWith(".") ? first.substring(1) : first;
                }
            }
        }
        if (pattern instanceof MatchesJsonPathPattern jsonPath && body != null) {
            Matcher field = TOP_LEVEL_FIELD.matcher(jsonPath.getMatchesJsonPath());
            StringValuePattern value = jsonPath.getValuePattern();
            if (field.matches()) {
                String name = field.group(1) != null ? field.group(1).replace("\\'", "'") : field.group(2);
                JsonNode actual = body.get(name);
                if (value == null) {
                    return name + ": expected to be present but the request has none";
                }
                if (actual == null) {
                    return name + ": expected " + hidden(abbreviate(value.getExpected(), MAX_VALUE), values) + " but the request has none";
                }
                if (value instanceof EqualToJsonPattern) {
                    JsonNode expected = parse(value.getExpected());
                    if (expected != null) {
                        String first = firstDifference(expected, actual, name, values);
                        if (first != null) {
                            return first;
                        }
                    }
                }
                return name + ": expected " + hidden(abbreviate(quote(value.getExpected()), MAX_VALUE), values) + " but was "
                        + render(actual, values);
            }
        }
        return "body: expected " + pattern.getName() + " " + hidden(abbreviate(String.valueOf(pattern.getExpected()), MAX_VALUE), values);
    }

    /** The first path where two JSON values differ, with both values; null when they are equal. */
    static @Nullable String firstDifference(JsonNode expected, JsonNode actual, String path) {
        return firstDifference(expected, actual, path, true);
    }

    private static @Nullable String firstDifference(JsonNode expected, JsonNode actual, String path, boolean values) {
        if (expected.isObject() && actual.isObject()) {
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                if (field.getValue().isTextual() && field.getValue().asText().startsWith("${json-unit.")) {
                    continue; // a volatile field: any value, or none, matches
                }
                JsonNode other = actual.get(field.getKey());
                String child = path + "." + field.getKey();
                if (other == null) {
                    return child + ": expected " + render(field.getValue(), values) + " but the request has none";
                }
                String difference = firstDifference(field.getValue(), other, child, values);
                if (difference != null) {
                    return difference;
                }
            }
            for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!expected.has(name)) {
                    return path + "." + name + ": not in the fixture but was " + render(actual.get(name), values);
                }
            }
            return null;
        }
        if (expected.isArray() && actual.isArray()) {
            int common = Math.min(expected.size(), actual.size());
            for (int i = 0; i < common; i++) {
                String difference = firstDifference(expected.get(i), actual.get(i), path + "[" + i + "]", values);
                if (difference != null) {
                    return difference;
                }
            }
            if (expected.size() != actual.size()) {
                return path + ": expected " + expected.size() + " items but was " + actual.size();
            }
            return null;
        }
        if (expected.equals(actual)) {
            return null;
        }
        if (!values) {
            return path + ": differs (values hidden, " + dev.llmunit.wiremock.Excerpts.PROPERTY + ")";
        }
        if (expected.isTextual() && actual.isTextual()) {
            return textDifference(path, expected.asText(), actual.asText());
        }
        return path + ": expected " + render(expected, true) + " but was " + render(actual, true);
    }

    /**
     * Two texts that differ: as a whole when short, else from a little before the first character
     * that differs, so a long prompt changed near its end still shows the change (cut at
     * {@value #MAX_VALUE} characters from the start, it would show two identical beginnings).
     */
    private static String textDifference(String path, String expected, String actual) {
        int common = 0;
        int shorter = Math.min(expected.length(), actual.length());
        while (common < shorter && expected.charAt(common) == actual.charAt(common)) {
            common++;
        }
        if (common < MAX_VALUE - DIFFERENCE_CONTEXT) {
            return path + ": expected " + abbreviate(quote(expected), MAX_VALUE) + " but was " + abbreviate(quote(actual), MAX_VALUE);
        }
        int from = common - DIFFERENCE_CONTEXT;
        return path + ": expected '" + window(expected, from) + "' but was '" + window(actual, from) + "' (the first "
                + common + " characters are the same)";
    }

    private static String window(String text, int from) {
        int to = Math.min(text.length(), from + MAX_VALUE);
        return "…" + text.substring(from, to).replaceAll("\\s+", " ") + (to < text.length() ? "…" : "");
    }

    private static String render(JsonNode node, boolean values) {
        if (!values) {
            return "(hidden)";
        }
        return node.isTextual() ? abbreviate(quote(node.asText()), MAX_VALUE) : abbreviate(node.toString(), MAX_VALUE);
    }

    private static String hidden(String value, boolean values) {
        return values ? value : "(hidden)";
    }

    private static String quote(String text) {
        return "'" + text.replaceAll("\\s+", " ") + "'";
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length) + "…";
    }

    /** The JSON of a text, or null when it is blank or not JSON. */
    static @Nullable JsonNode parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return null;
        }
    }
}
