package dev.llmunit.assertj;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.internal.AnswerText;
import dev.llmunit.core.internal.JsonSchemas;
import dev.llmunit.junit.Confidence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * The content checks shared by {@link ChatResponseAssert} and {@link RoutedResponseAssert}: text,
 * JSON and JSON Schema, meaning (semantic similarity), confidence, finish reason, model and tokens
 * of a LangChain4j {@link ChatResponse}. Hold the concrete
 * classes, not this one; it exists so both return their own type from every check.
 *
 * @param <SELF> the concrete assert, returned by every check for chaining
 * @param <ACTUAL> the value under test
 */
public abstract class AbstractLlmResponseAssert<SELF extends AbstractLlmResponseAssert<SELF, ACTUAL>, ACTUAL>
        extends AbstractAssert<SELF, ACTUAL> {

    private static final ObjectMapper JSON = JsonSchemas.STRICT_JSON;

    // Null until usingSimilarity: the default is looked up only when a similarity check runs.
    private @Nullable TextSimilarity similarity;

    /**
     * Creates the assert.
     *
     * @param actual the value under test; null fails every check
     * @param selfType the concrete assert class
     */
    protected AbstractLlmResponseAssert(@Nullable ACTUAL actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * The LangChain4j response the content checks read, after the actual value was checked non-null.
     *
     * @param actual the non-null value under test
     * @return its chat response
     */
    protected abstract ChatResponse chatResponseOf(ACTUAL actual);

    /**
     * Checks the response's text contains every given string (case-sensitive).
     *
     * @param values the strings that must all occur
     * @return this assert
     */
    public SELF contains(String... values) {
        requireValues(values);
        ChatResponse response = response();
        String text = textOf(response);
        List<String> missing = new ArrayList<>();
        for (String value : values) {
            if (text == null || !text.contains(value)) {
                missing.add(value);
            }
        }
        if (!missing.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldContain(response, List.of(values), missing));
        }
        return myself;
    }

    /**
     * Checks the response's text contains none of the given strings (case-sensitive). A response
     * without text passes.
     *
     * @param values the strings that must not occur
     * @return this assert
     */
    public SELF doesNotContain(String... values) {
        requireValues(values);
        ChatResponse response = response();
        String text = textOf(response);
        List<String> found = new ArrayList<>();
        for (String value : values) {
            if (text != null && text.contains(value)) {
                found.add(value);
            }
        }
        if (!found.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldNotContain(response, List.of(values), found));
        }
        return myself;
    }

    /**
     * Checks the whole text matches a regular expression, like {@link String#matches(String)};
     * write {@code (?s).*word.*} to find a word anywhere across lines.
     *
     * @param regex the pattern the whole text must match
     * @return this assert
     */
    public SELF matches(String regex) {
        Objects.requireNonNull(regex, "regex must not be null");
        return matches(Pattern.compile(regex));
    }

    /**
     * Checks the whole text matches a compiled pattern, its flags applied.
     *
     * @param pattern the pattern the whole text must match
     * @return this assert
     */
    public SELF matches(Pattern pattern) {
        Objects.requireNonNull(pattern, "pattern must not be null");
        ChatResponse response = response();
        String text = textOf(response);
        if (text == null || !pattern.matcher(text).matches()) {
            throwAssertionError(LlmErrorMessages.shouldMatch(response, pattern.pattern()));
        }
        return myself;
    }

    /**
     * Checks the text is one complete JSON value (object, array, string, number, literal) with
     * nothing after it. Code fences around the JSON make it invalid, as they would for a parser.
     *
     * @return this assert
     */
    public SELF isValidJson() {
        ChatResponse response = response();
        String text = textOf(response);
        String error = null;
        if (text == null || text.isBlank()) {
            error = "the response has no content";
        } else {
            try {
                JsonNode node = JSON.readTree(text);
                if (node == null || node.isMissingNode()) {
                    error = "the response has no content";
                }
            } catch (JsonProcessingException e) {
                error = JsonSchemas.parseError(e);
            }
        }
        if (error != null) {
            throwAssertionError(LlmErrorMessages.shouldBeValidJson(response, error));
        }
        return myself;
    }

    /**
     * Checks the text is JSON that matches a JSON Schema. Unlike {@link #isValidJson()}, a Markdown
     * code fence around the whole answer (```json … ```) is taken off first, since that is how chat
     * models often wrap JSON and how most callers parse it. The schema is draft 2020-12 unless its
     * {@code $schema} names another draft (04, 06, 07, 2019-09). A failure lists each violation with
     * its JSON path, such as {@code $.tags[1]: integer found, string expected}.
     *
     * <pre>{@code
     * assertThat(answer).matchesJsonSchema("""
     *         {"type": "object", "required": ["queue"], "properties": {"queue": {"enum": ["billing", "sales"]}}}
     *         """);
     * }</pre>
     *
     * @param schemaJson the JSON Schema, as JSON text
     * @return this assert
     * @throws IllegalArgumentException when the schema is not JSON, not a valid schema for its
     *     draft, or names an unknown {@code $schema}: a mistake in the test, not in the answer
     */
    public SELF matchesJsonSchema(String schemaJson) {
        Objects.requireNonNull(schemaJson, "schemaJson must not be null");
        return matchesJsonSchema(schemaJson, JsonSchemas.shown(schemaJson));
    }

    /**
     * Checks the text is JSON that matches a JSON Schema read from a file (UTF-8), such as the
     * schema the application itself sends as its structured-output format. Behaves like
     * {@link #matchesJsonSchema(String)}.
     *
     * @param schemaFile the schema file
     * @return this assert
     * @throws IllegalArgumentException when the file cannot be read or does not hold a valid schema
     */
    public SELF matchesJsonSchema(Path schemaFile) {
        Objects.requireNonNull(schemaFile, "schemaFile must not be null");
        String schemaJson;
        try {
            schemaJson = Files.readString(schemaFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the JSON schema file " + schemaFile + ": " + e, e);
        }
        return matchesJsonSchema(schemaJson, "in " + schemaFile);
    }

    private SELF matchesJsonSchema(String schemaJson, String origin) {
        // The schema is checked before the answer: a broken schema is the test's mistake, whatever the model said.
        Schema schema = JsonSchemas.compile(schemaJson, origin);
        ChatResponse response = response();
        String text = textOf(response);
        if (text == null || text.isBlank()) {
            throwAssertionError(LlmErrorMessages.shouldMatchJsonSchemaButIsNotJson(response, origin, "the response has no content"));
            return myself;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(AnswerText.withoutFence(text));
        } catch (JsonProcessingException e) {
            throwAssertionError(LlmErrorMessages.shouldMatchJsonSchemaButIsNotJson(response, origin, JsonSchemas.parseError(e)));
            return myself;
        }
        List<String> violations = JsonSchemas.violations(schema, answer, origin);
        if (!violations.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldMatchJsonSchema(response, origin, violations));
        }
        return myself;
    }

    /**
     * Checks the text means about the same as an expected text: the similarity (see
     * {@link #usingSimilarity(TextSimilarity)}, by default {@link TextSimilarity#defaultSimilarity()})
     * scores at least the threshold. Thresholds depend on the similarity; with all-MiniLM-L6-v2 a
     * close paraphrase scores about 0.8 to 0.95 and an unrelated sentence below 0.2.
     *
     * <pre>{@code
     * assertThat(answer).isSemanticallySimilarTo("The ticket belongs in billing.", 0.75);
     * }</pre>
     *
     * @param expected the text the answer should mean
     * @param threshold the lowest score that passes, 0 to 1, inclusive
     * @return this assert
     * @throws IllegalArgumentException when the threshold is not between 0 and 1
     */
    public SELF isSemanticallySimilarTo(String expected, double threshold) {
        Objects.requireNonNull(expected, "expected must not be null");
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("a similarity threshold must be between 0 and 1, but was " + threshold);
        }
        ChatResponse response = response();
        String text = textOf(response);
        TextSimilarity used = similarity == null ? TextSimilarity.defaultSimilarity() : similarity;
        double score = text == null ? 0.0 : used.similarity(text, expected);
        if (score < threshold) {
            throwAssertionError(LlmErrorMessages.shouldBeSemanticallySimilar(response, expected, threshold, score, used.name()));
        }
        return myself;
    }

    /**
     * Chooses the similarity for the {@link #isSemanticallySimilarTo(String, double)} checks that
     * follow on this assert, such as {@link TextSimilarity#lexical()} or
     * {@link TextSimilarity#embeddings(dev.langchain4j.model.embedding.EmbeddingModel)}.
     *
     * @param similarity the similarity to use
     * @return this assert
     */
    public SELF usingSimilarity(TextSimilarity similarity) {
        this.similarity = Objects.requireNonNull(similarity, "similarity must not be null");
        return myself;
    }

    /**
     * Checks how sure the model was of its answer, as {@link Confidence#of(ChatResponse)} reads it
     * from token log-probabilities: the geometric mean of the tokens' probabilities. A response
     * without log-probabilities fails rather than passing, and the message says how to ask for them
     * ({@code logprobs(true)} on an OpenAI request).
     *
     * @param min the lowest confidence allowed, 0 to 1, inclusive
     * @return this assert
     * @throws IllegalArgumentException when {@code min} is not between 0 and 1
     */
    public SELF hasConfidenceAtLeast(double min) {
        LlmCallAssert.requireProbability(min);
        ChatResponse response = response();
        OptionalDouble confidence = Confidence.of(response);
        if (confidence.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldHaveKnownConfidence(response, min));
        } else if (confidence.getAsDouble() < min) {
            throwAssertionError(LlmErrorMessages.shouldHaveConfidenceAtLeast(response, min, confidence.getAsDouble()));
        }
        return myself;
    }

    /**
     * Checks why the model stopped, such as {@link FinishReason#STOP} rather than
     * {@link FinishReason#LENGTH} (cut off at the token limit).
     *
     * @param expected the expected finish reason
     * @return this assert
     */
    public SELF hasFinishReason(FinishReason expected) {
        Objects.requireNonNull(expected, "expected finish reason must not be null");
        ChatResponse response = response();
        if (response.finishReason() != expected) {
            throwAssertionError(LlmErrorMessages.shouldHaveFinishReason(response, expected, response.finishReason()));
        }
        return myself;
    }

    /**
     * Checks the model name the provider reported, exactly (providers often report a dated
     * version such as {@code gpt-4o-mini-2024-07-18}).
     *
     * @param expected the expected model name
     * @return this assert
     */
    public SELF hasModel(String expected) {
        Objects.requireNonNull(expected, "expected model must not be null");
        ChatResponse response = response();
        if (!expected.equals(response.modelName())) {
            throwAssertionError(LlmErrorMessages.shouldHaveModel(response, expected, response.modelName()));
        }
        return myself;
    }

    /**
     * Checks the input (prompt) tokens the provider reported; a response without usage fails.
     *
     * @param expected the expected count
     * @return this assert
     */
    public SELF hasInputTokens(long expected) {
        ChatResponse response = response();
        Integer input = usageOf(response) == null ? null : usageOf(response).inputTokenCount();
        if (input == null || input != expected) {
            throwAssertionError(LlmErrorMessages.shouldHaveTokens(response, "input tokens", expected, input));
        }
        return myself;
    }

    /**
     * Checks the output (completion) tokens the provider reported; a response without usage fails.
     *
     * @param expected the expected count
     * @return this assert
     */
    public SELF hasOutputTokens(long expected) {
        ChatResponse response = response();
        Integer output = usageOf(response) == null ? null : usageOf(response).outputTokenCount();
        if (output == null || output != expected) {
            throwAssertionError(LlmErrorMessages.shouldHaveTokens(response, "output tokens", expected, output));
        }
        return myself;
    }

    /**
     * Checks input and output tokens together stay within a limit; a response without usage fails
     * rather than passing as zero.
     *
     * @param max the most tokens allowed, inclusive
     * @return this assert
     */
    public SELF hasTotalTokensAtMost(long max) {
        ChatResponse response = response();
        TokenUsage usage = usageOf(response);
        Integer input = usage == null ? null : usage.inputTokenCount();
        Integer output = usage == null ? null : usage.outputTokenCount();
        Integer total = usage == null ? null : usage.totalTokenCount();
        if (total == null && input != null && output != null) {
            total = input + output;
        }
        if (total == null || total > max) {
            throwAssertionError(LlmErrorMessages.shouldHaveTotalTokensAtMost(response, max, total, input, output));
        }
        return myself;
    }

    /**
     * The chat response under test, failing first when the actual value is null.
     *
     * @return the non-null chat response
     */
    protected ChatResponse response() {
        isNotNull();
        return chatResponseOf(actual);
    }

    private static @Nullable String textOf(ChatResponse response) {
        return response.aiMessage() == null ? null : response.aiMessage().text();
    }

    private static @Nullable TokenUsage usageOf(ChatResponse response) {
        return response.tokenUsage();
    }

    private static void requireValues(String[] values) {
        Objects.requireNonNull(values, "values must not be null");
        if (values.length == 0) {
            throw new IllegalArgumentException("give at least one value to look for, but none were given");
        }
        for (String value : values) {
            Objects.requireNonNull(value, "values must not contain null");
        }
    }
}
