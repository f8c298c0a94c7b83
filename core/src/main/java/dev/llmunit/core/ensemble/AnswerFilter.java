package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.internal.AnswerFilters;
import dev.llmunit.core.internal.JudgeScoreFilter;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A quality filter: drops a member's answer before the vote, with a reason the result keeps. When
 * every answer is dropped the run fails with {@link EnsembleException.AllFiltered}, listing each
 * member's reason.
 *
 * <pre>{@code
 * Ensemble.builder()
 *         .filter(AnswerFilter.nonEmpty())
 *         .filter(AnswerFilter.noRefusal())
 *         .filter(AnswerFilter.matchesJsonSchema(schemaJson))
 *         .filter(AnswerFilter.matching("mentions a category", answer -> answer.aiMessage().text().contains("category")))
 * }</pre>
 */
@FunctionalInterface
public interface AnswerFilter {

    /**
     * Why an answer is dropped.
     *
     * @param response a member's response
     * @return the reason, such as {@code "not valid JSON: ..."}, or {@code null} to keep the answer
     */
    @Nullable String rejectionReason(ChatResponse response);

    /**
     * Drops empty and blank answers.
     *
     * @return the shared filter
     */
    static AnswerFilter nonEmpty() {
        return AnswerFilters.NON_EMPTY;
    }

    /**
     * Drops refusals: a response the provider's content filter stopped, and answers that open the way
     * refusals do ({@code I'm sorry, but I can't}, {@code I cannot help with}, {@code I'm unable to},
     * {@code As an AI}, and the like; see {@code AnswerFilters.REFUSAL_OPENINGS}).
     *
     * @return the shared filter
     */
    static AnswerFilter noRefusal() {
        return AnswerFilters.NO_REFUSAL;
    }

    /**
     * Drops answers that are not strictly valid JSON (a surrounding Markdown code fence is allowed).
     *
     * @return the shared filter
     */
    static AnswerFilter validJson() {
        return AnswerFilters.VALID_JSON;
    }

    /**
     * Drops answers that are not JSON valid against a JSON Schema (draft 2020-12 unless its
     * {@code $schema} says otherwise), with the first violations as the reason. Needs networknt's
     * {@code com.networknt:json-schema-validator} on the class path, as llmunit's JUnit extension has.
     *
     * @param schemaJson the schema
     * @return the filter
     * @throws IllegalArgumentException when the schema is not a valid schema
     * @throws IllegalStateException when the validator is not on the class path
     */
    static AnswerFilter matchesJsonSchema(String schemaJson) {
        return AnswerFilters.jsonSchema(Objects.requireNonNull(schemaJson, "schemaJson must not be null"));
    }

    /**
     * Drops answers shorter than a number of output tokens: the provider's reported output tokens,
     * or the standard estimate of the text when it reported none.
     *
     * @param tokens at least 1
     * @return the filter
     */
    static AnswerFilter minTokens(int tokens) {
        return AnswerFilters.minTokens(tokens);
    }

    /**
     * Drops answers a judge scores below a minimum. One judge call scores every answer that passed
     * the other filters. A judge that fails or answers garbage drops nothing (the result notes why).
     *
     * @param judge the judge
     * @param minScore the least score, between 0 and 1
     * @return the filter
     * @throws IllegalArgumentException when the minimum is outside 0 to 1
     */
    static AnswerFilter judgeScoreAtLeast(Judge judge, double minScore) {
        return new JudgeScoreFilter(Objects.requireNonNull(judge, "judge must not be null"), minScore);
    }

    /**
     * Keeps answers a predicate accepts.
     *
     * @param description what the predicate wants, the reason given for a dropped answer ("does not " + it)
     * @param keep accepts the answers to keep
     * @return the filter
     */
    static AnswerFilter matching(String description, Predicate<ChatResponse> keep) {
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("filter description must not be blank, but was '" + description + "'");
        }
        Objects.requireNonNull(keep, "keep must not be null");
        return response -> keep.test(response) ? null : "does not " + description.strip();
    }
}
