package dev.llmunit.junit;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.ensemble.LogProbConfidence;
import java.util.OptionalDouble;

/**
 * How sure a model was of its answer, 0 to 1, where the response says. Today that is an OpenAI
 * response with token log-probabilities (a request with {@code logprobs: true}): the confidence is
 * the geometric mean of the answer's token probabilities, {@code exp(mean(logprob))}, so one very
 * unsure token pulls it down. Other responses have no known confidence, and llmunit never guesses
 * one: an assertion or budget on confidence fails when it is unknown.
 */
public final class Confidence {

    private Confidence() {}

    /**
     * The confidence a response carries.
     *
     * @param response the provider's response
     * @return the confidence, 0 to 1, or empty when the response has no log-probabilities
     */
    public static OptionalDouble of(ChatResponse response) {
        return LogProbConfidence.of(response); // one formula for calls and ensemble members
    }
}
