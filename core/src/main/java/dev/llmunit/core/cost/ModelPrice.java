package dev.llmunit.core.cost;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The prices and limits of one model, as in one entry of the LiteLLM price map. Prices are USD
 * per token.
 *
 * @param model the catalog key, such as {@code gpt-4o-mini}
 * @param provider the {@code litellm_provider} value, such as {@code openai}; empty when unknown
 * @param inputPerToken {@code input_cost_per_token}
 * @param outputPerToken {@code output_cost_per_token}
 * @param cacheReadPerToken {@code cache_read_input_token_cost}, or null when the model lists none
 * @param cacheCreationPerToken {@code cache_creation_input_token_cost}, or null when the model lists none
 * @param maxInputTokens {@code max_input_tokens}, or null when unknown
 * @param maxOutputTokens {@code max_output_tokens}, or null when unknown
 */
public record ModelPrice(
        String model,
        String provider,
        Usd inputPerToken,
        Usd outputPerToken,
        @Nullable Usd cacheReadPerToken,
        @Nullable Usd cacheCreationPerToken,
        @Nullable Integer maxInputTokens,
        @Nullable Integer maxOutputTokens) {

    /** Checks required fields and that token limits are positive. */
    public ModelPrice {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(inputPerToken, "inputPerToken");
        Objects.requireNonNull(outputPerToken, "outputPerToken");
        if (maxInputTokens != null && maxInputTokens <= 0) {
            throw new IllegalArgumentException("maxInputTokens of " + model + " must be positive, but was " + maxInputTokens);
        }
        if (maxOutputTokens != null && maxOutputTokens <= 0) {
            throw new IllegalArgumentException("maxOutputTokens of " + model + " must be positive, but was " + maxOutputTokens);
        }
    }

    /**
     * A price with only the two basic rates, for overriding one model in code.
     *
     * @param model the model name
     * @param inputPerToken USD per input token
     * @param outputPerToken USD per output token
     * @return a price with no cache rates and no limits
     */
    public static ModelPrice of(String model, Usd inputPerToken, Usd outputPerToken) {
        return new ModelPrice(model, "", inputPerToken, outputPerToken, null, null, null, null);
    }

    /**
     * The cost of a call before it is made: input tokens at the input rate plus the expected
     * output tokens at the output rate.
     *
     * @param inputTokens estimated prompt tokens
     * @param outputTokens the most output tokens the call may produce
     * @return the estimated cost
     */
    public Usd estimate(long inputTokens, long outputTokens) {
        return inputPerToken.times(inputTokens).plus(outputPerToken.times(outputTokens));
    }
}
