package dev.llmunit.junit;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import java.util.List;
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
        if (!(response.metadata() instanceof OpenAiChatResponseMetadata openAi)) {
            return OptionalDouble.empty();
        }
        List<LogProb> tokens = openAi.logProbs();
        if (tokens == null || tokens.isEmpty()) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        int counted = 0;
        for (LogProb token : tokens) {
            if (token.logprob() != null) {
                sum += token.logprob();
                counted++;
            }
        }
        if (counted == 0) {
            return OptionalDouble.empty();
        }
        double confidence = Math.exp(sum / counted);
        return OptionalDouble.of(Math.max(0.0, Math.min(1.0, confidence)));
    }
}
