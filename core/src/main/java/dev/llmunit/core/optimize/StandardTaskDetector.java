package dev.llmunit.core.optimize;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link TaskDetector#standard()}: scores the six types from request features; see there. */
final class StandardTaskDetector implements TaskDetector {

    static final StandardTaskDetector INSTANCE = new StandardTaskDetector();

    /** Text past this many characters of a message is not scanned: the instructions come first, and detection must stay cheap. */
    private static final int SCAN_LIMIT = 2_000;

    private static final TaskType[] TYPES = TaskType.values();

    /** Keywords (lower case, matched as substrings) and the type each one points to. */
    private static final String[][] KEYWORDS = {
        {"classif", "categor", "label", "one of the following", "which of the following", "sentiment", "triage", "intent", "tag it"},
        {"extract", "pull out", "list all", "parse", "fields", "entities", "fill in the"},
        {"summar", "tl;dr", "tldr", "key points", "condense", "shorten", "gist"},
        {"step by step", "solve", "calculate", "compute", "how many", "prove", "equation", "math", "reason about", "puzzle"},
        {"```", "function", "implement", "refactor", "compile", "stack trace", "unit test", "java", "python", "kotlin", "sql", "regex"},
        {"write a story", "poem", "essay", "brainstorm", "imagine", "creative", "write a blog", "slogan"},
    };

    private StandardTaskDetector() {}

    @Override
    public TaskDetection detect(ChatRequest request) {
        double[] scores = new double[TYPES.length];
        List<String> signals = new ArrayList<>(4);
        ResponseFormat format = request.responseFormat();
        if (Messages.wantsJson(request)) {
            if (format.jsonSchema() != null && hasEnum(format.jsonSchema().rootElement())) {
                scores[TaskType.CLASSIFICATION.ordinal()] += 2;
                signals.add("schema-enum");
            } else if (format.jsonSchema() != null) {
                scores[TaskType.EXTRACTION.ordinal()] += 2;
                signals.add("json-schema");
            } else {
                scores[TaskType.EXTRACTION.ordinal()] += 1;
                signals.add("json-mode");
            }
        }
        Integer maxOutput = request.maxOutputTokens();
        if (maxOutput != null && maxOutput <= 16) {
            scores[TaskType.CLASSIFICATION.ordinal()] += 1;
            signals.add("short-output");
        }
        String text = instructionText(request);
        for (int type = 0; type < KEYWORDS.length; type++) {
            for (String keyword : KEYWORDS[type]) {
                if (text.contains(keyword)) {
                    scores[type] += 1;
                    signals.add("keyword:" + keyword);
                }
            }
        }
        if (hasArithmetic(text)) {
            scores[TaskType.REASONING.ordinal()] += 1;
            signals.add("arithmetic");
        }
        int best = 0;
        double total = 0;
        for (int type = 0; type < scores.length; type++) {
            total += scores[type];
            if (scores[type] > scores[best]) {
                best = type;
            }
        }
        if (total == 0) {
            return new TaskDetection(TaskType.OPEN_GENERATION, 0.5, List.of("no-signal"), false);
        }
        return new TaskDetection(TYPES[best], scores[best] / (total + 1), signals, false);
    }

    /** The system messages and the last user message, lower case, each cut at {@link #SCAN_LIMIT}. */
    private static String instructionText(ChatRequest request) {
        StringBuilder text = new StringBuilder(256);
        for (ChatMessage message : request.messages()) {
            if (message instanceof SystemMessage system) {
                append(text, system.text());
            }
        }
        append(text, Messages.lastUserText(request));
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static void append(StringBuilder text, String part) {
        text.append(part, 0, Math.min(part.length(), SCAN_LIMIT)).append('\n');
    }

    private static boolean hasEnum(JsonSchemaElement element) {
        if (element instanceof JsonEnumSchema) {
            return true;
        }
        if (element instanceof JsonObjectSchema object && object.properties() != null) {
            for (JsonSchemaElement property : object.properties().values()) {
                if (property instanceof JsonEnumSchema) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A digit, an operator and a digit, spaces allowed: "12 * 7", "3+4". */
    private static boolean hasArithmetic(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '+' || c == '*' || c == '/' || c == '=' || c == '×' || c == '^') {
                int before = i - 1;
                while (before >= 0 && text.charAt(before) == ' ') {
                    before--;
                }
                int after = i + 1;
                while (after < length && text.charAt(after) == ' ') {
                    after++;
                }
                if (before >= 0 && after < length && Character.isDigit(text.charAt(before)) && Character.isDigit(text.charAt(after))) {
                    return true;
                }
            }
        }
        return false;
    }
}
