package dev.llmunit.core.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmunit.core.ensemble.AnswerKey;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/** The lexical {@link AnswerKey}s: each answer's key depends on that answer alone. */
public final class AnswerKeys {

    /** {@link AnswerKey#normalizedText()}. */
    public static final AnswerKey NORMALIZED_TEXT = new PerAnswer("normalized text") {
        @Override
        AnswerKey.Key key(String answer) {
            String normalized = AnswerText.normalize(answer);
            return normalized.isEmpty() ? AnswerKey.Key.none("empty answer") : AnswerKey.Key.of(normalized);
        }
    };

    /** {@link AnswerKey#finalNumber()}. */
    public static final AnswerKey FINAL_NUMBER = new PerAnswer("final number") {
        private final Pattern number = Pattern.compile("-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|-?\\d+(?:\\.\\d+)?");

        @Override
        AnswerKey.Key key(String answer) {
            Matcher matcher = number.matcher(answer);
            String last = null;
            while (matcher.find()) {
                last = matcher.group();
            }
            if (last == null) {
                return AnswerKey.Key.none("no number in the answer");
            }
            return AnswerKey.Key.of(plain(new BigDecimal(last.replace(",", ""))));
        }
    };

    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private AnswerKeys() {}

    /** A number as a key: {@code 2.50} and {@code 2.5} and {@code 2.5e0} agree. */
    static String plain(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.signum() == 0 ? "0" : stripped.toPlainString();
    }

    /**
     * Parses an answer as strict JSON after removing a surrounding code fence.
     *
     * @param answer the answer
     * @return the JSON
     * @throws JsonProcessingException when it is not JSON
     */
    public static JsonNode json(String answer) throws JsonProcessingException {
        return STRICT_JSON.readTree(AnswerText.withoutFence(answer).strip());
    }

    /** A key whose value for each answer depends on that answer alone. */
    abstract static class PerAnswer implements AnswerKey {
        private final String name;

        PerAnswer(String name) {
            this.name = name;
        }

        abstract AnswerKey.Key key(String answer);

        @Override
        public final List<AnswerKey.Key> keys(List<String> answers) {
            List<AnswerKey.Key> keys = new ArrayList<>(answers.size());
            for (String answer : answers) {
                keys.add(key(answer));
            }
            return keys;
        }

        @Override
        public final String name() {
            return name;
        }

        @Override
        public String toString() {
            return "AnswerKey(" + name + ")";
        }
    }

    /** {@link AnswerKey#jsonPointer(String)}. */
    public static final class JsonPointerKey extends PerAnswer {
        private final JsonPointer pointer;
        private final String text;

        /**
         * @param pointer an RFC 6901 pointer
         */
        public JsonPointerKey(String pointer) {
            super("json " + pointer);
            Objects.requireNonNull(pointer, "pointer must not be null");
            try {
                this.pointer = JsonPointer.compile(pointer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + pointer + "' is not a JSON Pointer (RFC 6901); write one such as \"/category\": "
                        + e.getMessage(), e);
            }
            if (this.pointer.matches()) {
                throw new IllegalArgumentException("JSON Pointer '" + pointer + "' names the whole answer; name a field such as \"/category\","
                        + " or use AnswerKey.normalizedText()");
            }
            this.text = pointer;
        }

        @Override
        AnswerKey.Key key(String answer) {
            JsonNode root;
            try {
                root = json(answer);
            } catch (JsonProcessingException notJson) {
                return AnswerKey.Key.none("not JSON, so no value at " + text);
            }
            JsonNode value = root == null ? null : root.at(pointer);
            if (value == null || value.isMissingNode()) {
                return AnswerKey.Key.none("no value at " + text);
            }
            if (value.isTextual()) {
                String textValue = value.textValue().strip();
                return textValue.isEmpty() ? AnswerKey.Key.none("empty string at " + text) : AnswerKey.Key.of(textValue);
            }
            if (value.isNumber()) {
                return AnswerKey.Key.of(plain(value.decimalValue()));
            }
            if (value.isNull()) {
                return AnswerKey.Key.none("null at " + text);
            }
            return AnswerKey.Key.of(value.toString());
        }
    }

    /** {@link AnswerKey#regex(String)}. */
    public static final class RegexKey extends PerAnswer {
        private final Pattern pattern;

        /**
         * @param regex the expression
         */
        public RegexKey(String regex) {
            super("regex " + regex);
            Objects.requireNonNull(regex, "regex must not be null");
            try {
                this.pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("answer key regex '" + regex + "' does not compile: " + e.getDescription(), e);
            }
        }

        @Override
        AnswerKey.Key key(String answer) {
            Matcher matcher = pattern.matcher(answer);
            String last = null;
            while (matcher.find()) {
                last = matcher.groupCount() > 0 && matcher.group(1) != null ? matcher.group(1) : matcher.group();
            }
            return last == null ? AnswerKey.Key.none("no match for /" + pattern.pattern() + "/") : AnswerKey.Key.of(last.strip());
        }
    }

    /** {@link AnswerKey#by(String, Function)}. */
    public static final class FunctionKey extends PerAnswer {
        private final Function<String, @Nullable String> function;

        /**
         * @param name a description
         * @param function the key of a text, or null for none
         */
        public FunctionKey(String name, Function<String, @Nullable String> function) {
            super(requireName(name));
            this.function = Objects.requireNonNull(function, "keyOfText must not be null");
        }

        private static String requireName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("answer key name must not be blank, but was '" + name + "'");
            }
            return name;
        }

        @Override
        AnswerKey.Key key(String answer) {
            String key = function.apply(answer);
            return key == null ? AnswerKey.Key.none(name() + " gave no key") : AnswerKey.Key.of(key);
        }
    }
}
