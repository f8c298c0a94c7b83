package dev.llmunit.core.cost;

import org.jspecify.annotations.Nullable;

/**
 * Prices that apply instead of the base prices when a call's input crosses a threshold, as in
 * LiteLLM's {@code input_cost_per_token_above_200k_tokens}. A null price keeps the base price.
 *
 * @param aboveInputTokens the tier applies when a call's input tokens exceed this many
 * @param inputPerToken the input price in the tier, or null
 * @param outputPerToken the output price in the tier, or null
 * @param cacheReadPerToken the cache read price in the tier, or null
 * @param cacheWritePerToken the cache write price in the tier, or null
 * @param cacheWrite1hPerToken the one-hour cache write price in the tier
 *     ({@code cache_creation_input_token_cost_above_1hr_above_200k_tokens}), or null
 */
public record PriceTier(
        long aboveInputTokens,
        @Nullable Usd inputPerToken,
        @Nullable Usd outputPerToken,
        @Nullable Usd cacheReadPerToken,
        @Nullable Usd cacheWritePerToken,
        @Nullable Usd cacheWrite1hPerToken) {

    /** Checks the threshold is positive. */
    public PriceTier {
        if (aboveInputTokens <= 0) {
            throw new IllegalArgumentException("aboveInputTokens must be positive, but was " + aboveInputTokens);
        }
    }

    /**
     * A tier without a one-hour cache write price.
     *
     * @param aboveInputTokens the tier applies when a call's input tokens exceed this many
     * @param inputPerToken the input price in the tier, or null
     * @param outputPerToken the output price in the tier, or null
     * @param cacheReadPerToken the cache read price in the tier, or null
     * @param cacheWritePerToken the cache write price in the tier, or null
     */
    public PriceTier(long aboveInputTokens, @Nullable Usd inputPerToken, @Nullable Usd outputPerToken,
            @Nullable Usd cacheReadPerToken, @Nullable Usd cacheWritePerToken) {
        this(aboveInputTokens, inputPerToken, outputPerToken, cacheReadPerToken, cacheWritePerToken, null);
    }
}
