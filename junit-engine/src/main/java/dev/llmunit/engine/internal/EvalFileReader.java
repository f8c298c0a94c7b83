package dev.llmunit.engine.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmunit.junit.Reducer;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Reads an eval file into cases, collecting every problem with its file, line and field instead of
 * stopping at the first, so one run shows a person everything to fix.
 *
 * <p>YAML and JSON files hold a list of cases, or an object with {@code tests} (the cases) and
 * {@code defaultTest} (what every case gets: its {@code vars} and {@code metadata} under the
 * case's own, its {@code assert} list before the case's, its {@code threshold} and
 * {@code options} unless the case sets them), as promptfoo writes them. JSON Lines files hold one
 * case per line. CSV files hold one case per row: each column is a variable, except
 * {@code __expected} (and {@code __expected1}, {@code __expected2}, …: one assertion each, such as
 * {@code contains: BILLING}), {@code __description}, {@code __id}, {@code __threshold},
 * {@code __repeat}, {@code __reducer} and {@code __metadata:<key>}.
 */
final class EvalFileReader {

    static final Set<String> CASE_FIELDS = Set.of("id", "description", "vars", "assert", "threshold", "metadata", "options");
    private static final String CASE_FIELD_LIST = "id, description, vars, assert, threshold, metadata, options";
    static final Set<String> ASSERT_FIELDS = Set.of("type", "value", "threshold", "weight");
    static final Set<String> OPTION_FIELDS = Set.of("repeat", "reducer");
    static final Set<String> FILE_FIELDS = Set.of("tests", "defaultTest", "description");

    /** {@code similar}'s threshold when none is given (promptfoo's). */
    static final BigDecimal DEFAULT_SIMILARITY = new BigDecimal("0.75");
    /** The score an {@code llm-rubric} judge must give when no threshold is given. */
    static final BigDecimal DEFAULT_RUBRIC_SCORE = new BigDecimal("0.5");

    private static final Pattern CSV_EXPECTED = Pattern.compile("__expected\\d*");
    private static final Pattern CSV_SHORTHAND = Pattern.compile("(?s)(not-)?([a-z-]+)(?:\\(([^)]*)\\))?(?::\\s*(.*))?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * A problem in a file.
     *
     * @param file the file's resource path
     * @param line its line, from 1; 0 when the whole file is concerned
     * @param message what is wrong and how to fix it, naming the field
     */
    record Problem(String file, int line, String message) {

        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + message;
        }
    }

    /**
     * What a file gave.
     *
     * @param cases the cases that are well-formed
     * @param problems everything wrong, in file order
     */
    record Result(List<EvalCase> cases, List<Problem> problems) {}

    private final String file;
    private final Function<String, @Nullable String> siblings;
    private final List<Problem> problems = new ArrayList<>();
    private LocatedJson located = new LocatedJson(0);

    private EvalFileReader(String file, Function<String, @Nullable String> siblings) {
        this.file = file;
        this.siblings = siblings;
    }

    /**
     * Reads a file.
     *
     * @param file the file's resource path, such as {@code llmunit/evals/triage/tickets.yaml}
     * @param text its content
     * @param siblings reads a file relative to the eval file's folder (for a {@code json-schema} given as a path), null when absent
     * @return the cases and the problems
     */
    static Result read(String file, String text, Function<String, @Nullable String> siblings) {
        EvalFileReader reader = new EvalFileReader(file, siblings);
        List<EvalCase> cases = reader.readAll(text);
        return new Result(cases, List.copyOf(reader.problems));
    }

    /** Whether a file name is an eval file this reader reads; {@code *.schema.json} files are JSON Schemas cases refer to. */
    static boolean isEvalFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.endsWith(".schema.json") && (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")
                || lower.endsWith(".jsonl") || lower.endsWith(".csv"));
    }

    private List<EvalCase> readAll(String text) {
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return readCsv(text);
        }
        if (lower.endsWith(".jsonl")) {
            return readJsonLines(text);
        }
        JsonNode root;
        try (JsonParser parser = (lower.endsWith(".json") ? JSON : YAML).createParser(text)) {
            root = located.read(parser);
        } catch (JsonProcessingException e) {
            problems.add(new Problem(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid " + (lower.endsWith(".json") ? "JSON" : "YAML") + ": " + e.getOriginalMessage()));
            return List.of();
        } catch (IOException e) {
            problems.add(new Problem(file, 0, "cannot be read: " + e.getMessage()));
            return List.of();
        }
        if (root == null || root.isNull()) {
            problems.add(new Problem(file, 0, "is empty; write a list of cases, or 'tests:' with the cases"));
            return List.of();
        }
        ObjectNode defaults = NODES.objectNode();
        JsonNode tests = root;
        if (root.isObject()) {
            ObjectNode object = (ObjectNode) root;
            unknownFields(object, FILE_FIELDS, "the file", "tests (the cases), defaultTest (what every case gets), description");
            if (object.has("defaultTest")) {
                JsonNode given = object.get("defaultTest");
                if (given.isObject()) {
                    defaults = (ObjectNode) given;
                    unknownFields(defaults, CASE_FIELDS, "defaultTest", CASE_FIELD_LIST);
                } else {
                    problems.add(new Problem(file, located.lineOf(object, "defaultTest"),
                            "field defaultTest: expected a map with vars, assert, threshold, metadata or options, but was " + kind(given)));
                }
            }
            tests = object.path("tests");
            if (!tests.isArray()) {
                problems.add(new Problem(file, located.lineOf(object, "tests"), "field tests: expected a list of cases, but was "
                        + (object.has("tests") ? kind(tests) : "missing")));
                return List.of();
            }
        }
        if (!tests.isArray()) {
            problems.add(new Problem(file, located.lineOf(root), "expected a list of cases, or a map with 'tests:', but the file holds "
                    + kind(root)));
            return List.of();
        }
        ArrayNode list = (ArrayNode) tests;
        List<EvalCase> cases = new ArrayList<>();
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            int line = list.get(i).isObject() ? located.lineOf(node) : located.lineOf(list, i);
            if (!node.isObject()) {
                problems.add(new Problem(file, line, "case " + (i + 1) + ": expected a map with vars and assert, but was " + kind(node)));
                continue;
            }
            EvalCase parsed = readCase((ObjectNode) node, defaults, i + 1, line);
            if (parsed != null && unique(keys, parsed)) {
                cases.add(parsed);
            }
        }
        return cases;
    }

    private List<EvalCase> readJsonLines(String text) {
        List<EvalCase> cases = new ArrayList<>();
        Map<String, Integer> keys = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        int number = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            number++;
            located = new LocatedJson(i);
            JsonNode node;
            try (JsonParser parser = JSON.createParser(lines[i])) {
                node = located.read(parser);
                if (parser.nextToken() != null) {
                    throw new JsonProcessingException("more than one JSON value on the line", parser.currentLocation()) {};
                }
            } catch (IOException e) {
                String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
                problems.add(new Problem(file, i + 1, "not valid JSON (each line of a .jsonl file is one case): " + reason));
                continue;
            }
            if (node == null || !node.isObject()) {
                problems.add(new Problem(file, i + 1, "case " + number + ": expected a JSON object with vars and assert, but was "
                        + kind(node)));
                continue;
            }
            EvalCase parsed = readCase((ObjectNode) node, NODES.objectNode(), number, i + 1);
            if (parsed != null && unique(keys, parsed)) {
                cases.add(parsed);
            }
        }
        return cases;
    }

    private List<EvalCase> readCsv(String text) {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<EvalCase> cases = new ArrayList<>();
        Map<String, Integer> keys = new HashMap<>();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
            int number = 0;
            while (true) {
                int line = rows.getCurrentLocation() == null ? 0 : rows.getCurrentLocation().getLineNr();
                if (!rows.hasNextValue()) {
                    break;
                }
                Map<String, String> row = rows.nextValue();
                number++;
                line = Math.max(line, 2);
                EvalCase parsed = csvCase(row, number, line);
                if (parsed != null && unique(keys, parsed)) {
                    cases.add(parsed);
                }
            }
        } catch (IOException | RuntimeException e) {
            int line = e instanceof JsonProcessingException json && json.getLocation() != null ? json.getLocation().getLineNr() : 0;
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : String.valueOf(e.getMessage());
            problems.add(new Problem(file, line, "not valid CSV (a header row, then one case per row): " + reason));
        }
        return cases;
    }

    private @Nullable EvalCase csvCase(Map<String, String> row, int number, int line) {
        ObjectNode node = NODES.objectNode();
        ObjectNode vars = node.putObject("vars");
        ArrayNode assertions = NODES.arrayNode();
        ObjectNode metadata = NODES.objectNode();
        ObjectNode options = NODES.objectNode();
        int before = problems.size();
        for (Map.Entry<String, String> cell : row.entrySet()) {
            String column = cell.getKey();
            String value = cell.getValue() == null ? "" : cell.getValue();
            if (CSV_EXPECTED.matcher(column).matches()) {
                if (!value.isBlank()) {
                    ObjectNode assertion = shorthand(value.trim(), column, line);
                    if (assertion != null) {
                        assertions.add(assertion);
                    }
                }
            } else if (column.equals("__description")) {
                node.put("description", value);
            } else if (column.equals("__id")) {
                node.put("id", value);
            } else if (column.equals("__threshold")) {
                if (!value.isBlank()) {
                    node.set("threshold", number(value, column, line));
                }
            } else if (column.equals("__repeat")) {
                if (!value.isBlank()) {
                    options.set("repeat", number(value, column, line));
                }
            } else if (column.equals("__reducer")) {
                if (!value.isBlank()) {
                    options.put("reducer", value);
                }
            } else if (column.startsWith("__metadata:")) {
                metadata.put(column.substring("__metadata:".length()), value);
            } else if (column.startsWith("__")) {
                problems.add(new Problem(file, line, "column " + column + " is not one llmunit knows; columns starting with __ are"
                        + " __expected (and __expected1, __expected2, …), __description, __id, __threshold, __repeat, __reducer and"
                        + " __metadata:<key>; every other column is a variable"));
            } else {
                vars.put(column, value);
            }
        }
        node.set("assert", assertions);
        node.set("metadata", metadata);
        if (!options.isEmpty()) {
            node.set("options", options);
        }
        if (problems.size() > before) {
            return null;
        }
        return readCase(node, NODES.objectNode(), number, line);
    }

    /** A CSV assertion such as {@code contains: BILLING}, {@code similar(0.8): text}, {@code is-json} or plain text (equals). */
    private @Nullable ObjectNode shorthand(String text, String column, int line) {
        ObjectNode assertion = NODES.objectNode();
        Matcher matcher = CSV_SHORTHAND.matcher(text);
        EvalAssertion.Type type = matcher.matches() ? EvalAssertion.Type.named(matcher.group(2)) : null;
        if (type == null || (matcher.group(4) == null && type.needsValue) && matcher.group(3) == null) {
            assertion.put("type", "equals");
            assertion.put("value", text);
            return assertion;
        }
        assertion.put("type", (matcher.group(1) == null ? "" : "not-") + type.fileName);
        String argument = matcher.group(3);
        String value = matcher.group(4);
        if (type.needsThreshold) {
            String limit = value != null ? value : argument;
            if (limit == null || limit.isBlank()) {
                problems.add(new Problem(file, line, "column " + column + ": '" + text + "' needs a limit, such as '" + type.fileName
                        + ": " + example(type) + "'"));
                return null;
            }
            assertion.set("threshold", NODES.textNode(limit.trim()));
            return assertion;
        }
        if (argument != null && !argument.isBlank()) {
            assertion.set("threshold", NODES.textNode(argument.trim()));
        }
        if (value != null) {
            assertion.put("value", value);
        }
        return assertion;
    }

    private JsonNode number(String value, String column, int line) {
        try {
            return NODES.numberNode(new BigDecimal(value.trim()));
        } catch (NumberFormatException e) {
            problems.add(new Problem(file, line, "column " + column + ": expected a number, but was '" + value + "'"));
            return NODES.nullNode();
        }
    }

    private boolean unique(Map<String, Integer> keys, EvalCase parsed) {
        Integer earlier = keys.putIfAbsent(parsed.key(), parsed.line());
        if (earlier != null) {
            problems.add(new Problem(file, parsed.line(), "two cases are called '" + parsed.key() + "' (lines " + earlier + " and "
                    + parsed.line() + "); give them distinct ids or descriptions, so each test and its baseline entry is one case"));
            return false;
        }
        return true;
    }

    private @Nullable EvalCase readCase(ObjectNode node, ObjectNode defaults, int number, int line) {
        int before = problems.size();
        String id = text(node, "id", "case " + number);
        String description = text(node, "description", "case " + number);
        String where = !id.isBlank() ? "case '" + id.trim() + "'" : !description.isBlank() ? "case '" + description.trim() + "'"
                : "case " + number;
        unknownFields(node, CASE_FIELDS, where, CASE_FIELD_LIST);
        ObjectNode vars = NODES.objectNode();
        mergeObject(vars, defaults, "vars", "defaultTest");
        mergeObject(vars, node, "vars", where);
        ObjectNode metadata = NODES.objectNode();
        mergeObject(metadata, defaults, "metadata", "defaultTest");
        mergeObject(metadata, node, "metadata", where);
        List<EvalAssertion> assertions = new ArrayList<>();
        assertions(defaults, "defaultTest", assertions);
        assertions(node, where, assertions);
        Double threshold = threshold(node.has("threshold") ? node : defaults, where);
        ObjectNode options = NODES.objectNode();
        mergeObject(options, defaults, "options", "defaultTest");
        mergeObject(options, node, "options", where);
        unknownFields(options, OPTION_FIELDS, where + " options", "repeat (how many runs), reducer (such as minPassRate(0.8))");
        int repeat = 1;
        JsonNode repeatNode = options.get("repeat");
        if (repeatNode != null) {
            if (!repeatNode.canConvertToExactIntegral() || repeatNode.asInt() < 1 || repeatNode.asInt() > 1000) {
                problems.add(new Problem(file, lineIn(node, "options"), where + " field options.repeat: expected a whole number of runs"
                        + " from 1 to 1000, but was " + repeatNode));
            } else {
                repeat = repeatNode.asInt();
            }
        }
        Reducer reducer = Reducer.DEFAULT;
        JsonNode reducerNode = options.get("reducer");
        if (reducerNode != null) {
            try {
                reducer = Reducer.parse(reducerNode.asText());
                reducer.checkRuns(repeat);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(file, lineIn(node, "options"), where + " field options.reducer: " + e.getMessage()));
            }
        }
        if (assertions.isEmpty() && problems.size() == before) {
            problems.add(new Problem(file, line, where + " has no assert list, so it can never fail; add 'assert:' with at least one"
                    + " check (types: " + EvalAssertion.Type.names() + ")"));
        }
        if (problems.size() > before) {
            return null;
        }
        String key = !id.isBlank() ? id.trim() : !description.isBlank() ? description.trim() : "case " + number;
        return new EvalCase(file, line, key, description.trim(), vars, assertions, threshold, metadata, repeat, reducer);
    }

    private int lineIn(ObjectNode node, String field) {
        return located.lineOf(node, field);
    }

    private String text(ObjectNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isValueNode()) {
            problems.add(new Problem(file, lineIn(node, field), where + " field " + field + ": expected text, but was " + kind(value)));
            return "";
        }
        return value.asText();
    }

    private void mergeObject(ObjectNode into, ObjectNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isObject()) {
            problems.add(new Problem(file, lineIn(node, field), where + " field " + field + ": expected a map of names to values, but was "
                    + kind(value)));
            return;
        }
        into.setAll((ObjectNode) value);
    }

    private @Nullable Double threshold(ObjectNode node, String where) {
        JsonNode value = node.get("threshold");
        if (value == null || value.isNull()) {
            return null;
        }
        BigDecimal number = decimal(value);
        if (number == null || number.signum() < 0 || number.compareTo(BigDecimal.ONE) > 0) {
            problems.add(new Problem(file, lineIn(node, "threshold"), where + " field threshold: expected the weighted score the case"
                    + " needs, from 0 to 1 (such as 0.75), but was " + value));
            return null;
        }
        return number.doubleValue();
    }

    private void assertions(ObjectNode node, String where, List<EvalAssertion> into) {
        JsonNode value = node.get("assert");
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isArray()) {
            problems.add(new Problem(file, lineIn(node, "assert"), where + " field assert: expected a list of assertions"
                    + " (each with a type), but was " + kind(value)));
            return;
        }
        ArrayNode list = (ArrayNode) value;
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String at = where + " assert[" + i + "]";
            int line = item.isObject() ? located.lineOf(item) : located.lineOf(list, i);
            if (line == 0) {
                line = lineIn(node, "assert");
            }
            if (!item.isObject()) {
                problems.add(new Problem(file, line, at + ": expected a map with a type (such as {type: contains, value: BILLING}),"
                        + " but was " + kind(item)));
                continue;
            }
            EvalAssertion parsed = assertion((ObjectNode) item, at, line);
            if (parsed != null) {
                into.add(parsed);
            }
        }
    }

    private @Nullable EvalAssertion assertion(ObjectNode node, String where, int line) {
        unknownFields(node, ASSERT_FIELDS, where, "type, value, threshold, weight");
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            problems.add(new Problem(file, line, where + " field type: " + (typeNode == null ? "missing" : "expected text, but was "
                    + kind(typeNode)) + "; one of " + EvalAssertion.Type.names()));
            return null;
        }
        String typeName = typeNode.asText().trim();
        boolean negated = typeName.startsWith("not-");
        EvalAssertion.Type type = EvalAssertion.Type.named(negated ? typeName.substring(4) : typeName);
        int typeLine = lineIn(node, "type");
        if (type == null) {
            problems.add(new Problem(file, typeLine, where + " field type: '" + typeName + "' is not an assertion type llmunit knows;"
                    + " use one of " + EvalAssertion.Type.names() + " (text checks may start with not-)"));
            return null;
        }
        if (negated && !type.negatable()) {
            problems.add(new Problem(file, typeLine, where + " field type: " + type.fileName + " cannot be negated with not-"));
            return null;
        }
        JsonNode value = node.get("value");
        if (value != null && value.isNull()) {
            value = null;
        }
        double weight = 1;
        if (node.has("weight")) {
            BigDecimal given = decimal(node.get("weight"));
            if (given == null || given.signum() < 0) {
                problems.add(new Problem(file, lineIn(node, "weight"), where + " field weight: expected a number of 0 or more (its"
                        + " share of the case's score), but was " + node.get("weight")));
                return null;
            }
            weight = given.doubleValue();
        }
        BigDecimal threshold = null;
        JsonNode thresholdNode = node.get("threshold");
        if (type.needsThreshold && thresholdNode == null && value != null) {
            thresholdNode = value; // promptfoo writes `cost: 0.001` style limits as value too
        }
        if (thresholdNode != null && !thresholdNode.isNull()) {
            threshold = threshold(type, thresholdNode, where, lineIn(node, node.has("threshold") ? "threshold" : "value"));
            if (threshold == null) {
                return null;
            }
        }
        if (type.needsThreshold && threshold == null) {
            problems.add(new Problem(file, line, where + ": " + type.fileName + " needs a threshold, such as {type: " + type.fileName
                    + ", threshold: " + example(type) + "}"));
            return null;
        }
        if (type.needsValue && value == null) {
            problems.add(new Problem(file, line, where + ": " + typeName + " needs a value (" + valueHint(type) + ")"));
            return null;
        }
        if (type == EvalAssertion.Type.SIMILAR && threshold == null) {
            threshold = DEFAULT_SIMILARITY;
        }
        if (type == EvalAssertion.Type.LLM_RUBRIC && threshold == null) {
            threshold = DEFAULT_RUBRIC_SCORE;
        }
        if (type == EvalAssertion.Type.REGEX) {
            try {
                Pattern.compile(value.asText());
            } catch (PatternSyntaxException e) {
                problems.add(new Problem(file, lineIn(node, "value"), where + " field value: not a regular expression: "
                        + e.getDescription() + " near index " + e.getIndex() + " of " + value.asText()));
                return null;
            }
        }
        if (type == EvalAssertion.Type.JSON_SCHEMA || (type == EvalAssertion.Type.IS_JSON && value != null)) {
            value = schema(value, where, lineIn(node, "value"));
            if (value == null) {
                return null;
            }
        }
        return new EvalAssertion(type, negated, value, threshold, weight, line);
    }

    /** A schema inline (a map), as JSON text, or as a path next to the eval file; returned as a tree. */
    private @Nullable JsonNode schema(JsonNode value, String where, int line) {
        if (value.isObject()) {
            return value;
        }
        String text = value.asText().trim();
        String source = text;
        if (!text.startsWith("{")) {
            String loaded = siblings.apply(text);
            if (loaded == null) {
                problems.add(new Problem(file, line, where + " field value: schema file '" + text + "' not found next to " + file
                        + "; give a path relative to the eval file's folder, or the schema itself as a map"));
                return null;
            }
            source = loaded;
        }
        try {
            JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(source);
            if (!parsed.isObject()) {
                throw new IllegalArgumentException("a schema is a JSON object");
            }
            return parsed;
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new Problem(file, line, where + " field value: the schema " + (source == text ? "" : "in '" + text + "' ")
                    + "is not a JSON object: " + e.getMessage()));
            return null;
        }
    }

    private @Nullable BigDecimal threshold(EvalAssertion.Type type, JsonNode node, String where, int line) {
        if (type == EvalAssertion.Type.LATENCY && node.isTextual()) {
            try {
                return BigDecimal.valueOf(dev.llmunit.junit.internal.Durations.parse(node.asText(), where).toMillis());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(file, line, where + " field threshold: " + e.getMessage()));
                return null;
            }
        }
        BigDecimal number = decimal(node);
        boolean unit = type == EvalAssertion.Type.SIMILAR || type == EvalAssertion.Type.CONFIDENCE
                || type == EvalAssertion.Type.LLM_RUBRIC;
        if (number == null || number.signum() < 0 || (unit && number.compareTo(BigDecimal.ONE) > 0)) {
            problems.add(new Problem(file, line, where + " field threshold: expected " + (unit ? "a number from 0 to 1" : "a number of 0 or more")
                    + " (" + thresholdHint(type) + "), but was " + node));
            return null;
        }
        return number;
    }

    private static @Nullable BigDecimal decimal(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private void unknownFields(ObjectNode node, Set<String> known, String where, String listing) {
        for (String name : iterable(node)) {
            if (!known.contains(name)) {
                problems.add(new Problem(file, lineIn(node, name), where + " field " + name + ": not a field llmunit knows; the fields are "
                        + listing));
            }
        }
    }

    private static List<String> iterable(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String kind(@Nullable JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "empty";
        }
        return "the " + (node.isTextual() ? "text" : node.isNumber() ? "number" : "value") + " " + node;
    }

    private static String example(EvalAssertion.Type type) {
        return switch (type) {
            case COST -> "0.001";
            case LATENCY -> "800";
            default -> "0.8";
        };
    }

    private static String thresholdHint(EvalAssertion.Type type) {
        return switch (type) {
            case COST -> "the most the case's calls may cost, USD";
            case LATENCY -> "the longest the case's calls may take together, milliseconds, or a duration such as 800ms";
            case CONFIDENCE -> "the least confidence of each call";
            case SIMILAR -> "the least similarity, default 0.75";
            case LLM_RUBRIC -> "the least score the judge must give, default 0.5";
            default -> "a limit";
        };
    }

    private static String valueHint(EvalAssertion.Type type) {
        return switch (type) {
            case JSON_SCHEMA -> "a JSON Schema as a map, or a path relative to the eval file";
            case SIMILAR -> "the text the answer should mean";
            case LLM_RUBRIC -> "what a good answer does, for the judge";
            case REGEX -> "a regular expression the answer contains";
            default -> "the text to look for";
        };
    }
}
