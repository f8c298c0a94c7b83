package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.internal.ProviderConfidence;
import java.util.OptionalDouble;

/**
 * How sure a model was of its answer by its own token log-probabilities: today an OpenAI response
 * with log-probabilities (a request with {@code logprobs: true}). The confidence is the geometric
 * mean of the answer's token probabilities, {@code exp(mean(logprob))}, so one very unsure token
 * pulls it down. Responses without log-probabilities have none, and llmunit never guesses one.
 */
public final class LogProbConfidence {

    private LogProbConfidence() {}

    /**
     * The confidence a response carries.
     *
     * @param response the provider's response
     * @return the confidence, 0 to 1, or empty when the response has no log-probabilities
     */
    public static OptionalDouble of(ChatResponse response) {
        return ProviderConfidence.of(response);
    }
}
