package dev.llmunit.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.ensemble.AnswerFilter;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The built-in {@link AnswerFilter}s. */
public final class AnswerFilters {

    /**
     * How refusals open, lower case, after typographic apostrophes are made plain: checked at the
     * start of an answer only, so an answer that quotes a refusal later is kept.
     */
    public static final List<String> REFUSAL_OPENINGS = List.of(
            "i'm sorry, but i can't", "i'm sorry, but i cannot", "i am sorry, but i cannot", "i'm sorry, i can't",
            "sorry, i can't", "sorry, but i can't", "i can't help with", "i cannot help with", "i can't assist", "i cannot assist",
            "i can't provide", "i cannot provide", "i can't comply", "i cannot comply", "i won't be able to", "i'm unable to",
            "i am unable to", "i'm not able to", "i am not able to", "as an ai", "i must decline", "i have to decline");

    /** {@link AnswerFilter#nonEmpty()}. */
    public static final AnswerFilter NON_EMPTY = named("nonEmpty", response -> text(response).isBlank() ? "empty answer" : null);

    /** {@link AnswerFilter#noRefusal()}. */
    public static final AnswerFilter NO_REFUSAL = named("noRefusal", response -> {
        if (response.finishReason() == FinishReason.CONTENT_FILTER) {
            return "refused: the provider's content filter stopped the answer";
        }
        String opening = text(response).strip().replace('\u2019', '\'').toLowerCase(Locale.ROOT);
        for (String refusal : REFUSAL_OPENINGS) {
            if (opening.startsWith(refusal)) {
                return "refused: the answer opens with \"" + AnswerText.shorten(text(response).strip(), 60) + "\"";
            }
        }
        return null;
    });

    /** {@link AnswerFilter#validJson()}. */
    public static final AnswerFilter VALID_JSON = named("validJson", response -> {
        try {
            AnswerKeys.json(text(response));
            return null;
        } catch (JsonProcessingException e) {
            return "not valid JSON: " + e.getOriginalMessage();
        }
    });

    private AnswerFilters() {}

    /**
     * {@link AnswerFilter#matchesJsonSchema(String)}.
     *
     * @param schemaJson the schema
     * @return the filter
     */
    public static AnswerFilter jsonSchema(String schemaJson) {
        if (!validatorPresent()) {
            throw new IllegalStateException("AnswerFilter.matchesJsonSchema(..) validates with networknt's json-schema-validator, which"
                    + " is not on the class path; add com.networknt:json-schema-validator (llmunit-junit brings it)");
        }
        return SchemaFilter.of(schemaJson);
    }

    /**
     * {@link AnswerFilter#minTokens(int)}.
     *
     * @param tokens the least output tokens
     * @return the filter
     */
    public static AnswerFilter minTokens(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("minTokens must be at least 1, but was " + tokens);
        }
        return named("minTokens(" + tokens + ")", response -> {
            Integer reported = response.tokenUsage() == null ? null : response.tokenUsage().outputTokenCount();
            int counted = reported != null ? reported
                    : Math.max(0, TokenEstimator.standard().estimateInputTokens(List.of(AiMessage.from(text(response))))
                            - TokenEstimator.TOKENS_PER_MESSAGE);
            return counted < tokens ? "shorter than " + tokens + " tokens (" + counted + (reported != null ? "" : ", estimated") + ")" : null;
        });
    }

    static String text(ChatResponse response) {
        AiMessage message = response.aiMessage();
        return message == null || message.text() == null ? "" : message.text();
    }

    private static boolean validatorPresent() {
        try {
            Class.forName("com.networknt.schema.SchemaRegistry", false, AnswerFilters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    private static AnswerFilter named(String name, AnswerFilter filter) {
        return new AnswerFilter() {
            @Override
            public @Nullable String rejectionReason(ChatResponse response) {
                return filter.rejectionReason(response);
            }

            @Override
            public String toString() {
                return "AnswerFilter." + name;
            }
        };
    }

    /** Touches networknt's classes, so it is only loaded once the validator is known to be present. */
    private static final class SchemaFilter {
        static AnswerFilter of(String schemaJson) {
            com.networknt.schema.Schema schema = JsonSchemas.compile(schemaJson, JsonSchemas.shown(schemaJson));
            return named("matchesJsonSchema", response -> {
                JsonNode answer;
                try {
                    answer = AnswerKeys.json(text(response));
                } catch (JsonProcessingException e) {
                    return "not valid JSON: " + e.getOriginalMessage();
                }
                List<String> violations = JsonSchemas.violations(schema, answer, "of the filter");
                return violations.isEmpty() ? null : "does not match the JSON schema: " + String.join("; ", violations.subList(0,
                        Math.min(3, violations.size())));
            });
        }
    }
}
