package dev.llmunit.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One assertion of an eval case.
 *
 * @param type what it checks
 * @param negated {@code not-} in front of the type: passes when the check fails (text checks only)
 * @param value the expected value, schema, rubric or text; {@code null} when the type takes none
 * @param threshold the limit of {@code similar} (default 0.75), {@code cost} (USD), {@code latency}
 *     (milliseconds), {@code confidence} (0 to 1) and {@code llm-rubric} (the score to pass, default 0.5)
 * @param weight its share of the case's score; default 1, 0 to report without counting
 * @param line its line in the file
 */
record EvalAssertion(Type type, boolean negated, @Nullable JsonNode value, @Nullable BigDecimal threshold, double weight,
        int line) {

    /** The assertion types, by the names files use. */
    enum Type {
        EQUALS("equals", true, false),
        CONTAINS("contains", true, false),
        ICONTAINS("icontains", true, false),
        REGEX("regex", true, false),
        IS_JSON("is-json", false, false),
        JSON_SCHEMA("json-schema", true, false),
        SIMILAR("similar", true, false),
        LLM_RUBRIC("llm-rubric", true, false),
        COST("cost", false, true),
        LATENCY("latency", false, true),
        CONFIDENCE("confidence", false, true);

        final String fileName;
        final boolean needsValue;
        final boolean needsThreshold;

        Type(String fileName, boolean needsValue, boolean needsThreshold) {
            this.fileName = fileName;
            this.needsValue = needsValue;
            this.needsThreshold = needsThreshold;
        }

        static @Nullable Type named(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Type type : values()) {
                if (type.fileName.equals(lower)) {
                    return type;
                }
            }
            return null;
        }

        static String names() {
            return String.join(", ", Arrays.stream(values()).map(type -> type.fileName).toList());
        }

        /** Whether {@code not-} may precede it: the checks of the answer's text. */
        boolean negatable() {
            return !needsThreshold && this != LLM_RUBRIC;
        }
    }

    /** The name as written in files, with {@code not-} when negated. */
    String name() {
        return (negated ? "not-" : "") + type.fileName;
    }
}
