package dev.llmunit.assertj;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * The content checks shared by {@link ChatResponseAssert} and {@link RoutedResponseAssert}: text,
 * JSON, finish reason, model and tokens of a LangChain4j {@link ChatResponse}. Hold the concrete
 * classes, not this one; it exists so both return their own type from every check.
 *
 * @param <SELF> the concrete assert, returned by every check for chaining
 * @param <ACTUAL> the value under test
 */
public abstract class AbstractLlmResponseAssert<SELF extends AbstractLlmResponseAssert<SELF, ACTUAL>, ACTUAL>
        extends AbstractAssert<SELF, ACTUAL> {

    // Strict: "{} trailing" is not valid JSON, though a lenient reader would stop after "{}".
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
                JsonLocation location = e.getLocation();
                error = e.getOriginalMessage() + (location == null ? ""
                        : " at line " + location.getLineNr() + ", column " + location.getColumnNr());
            }
        }
        if (error != null) {
            throwAssertionError(LlmErrorMessages.shouldBeValidJson(response, error));
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
