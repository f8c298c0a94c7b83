package dev.llmunit.core.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The prices and limits of one model, as in one entry of the LiteLLM price map. Prices are USD per
 * token. {@link #cost(Usage)} is the one place llmunit turns tokens into money.
 *
 * @param model the catalog key, such as {@code gpt-4o-mini}
 * @param provider the {@code litellm_provider} value, such as {@code openai}; empty when unknown
 * @param mode the {@code mode} value, such as {@code chat}; empty when unknown
 * @param inputPerToken {@code input_cost_per_token}
 * @param outputPerToken {@code output_cost_per_token}
 * @param cacheReadPerToken {@code cache_read_input_token_cost}, or null: cache reads then cost the input price
 * @param cacheWritePerToken {@code cache_creation_input_token_cost}, or null: cache writes then cost the input price
 * @param reasoningPerToken {@code output_cost_per_reasoning_token}, or null: reasoning then costs the output price
 * @param maxInputTokens {@code max_input_tokens}, or null when unknown
 * @param maxOutputTokens {@code max_output_tokens}, or null when unknown
 * @param tiers prices above input-size thresholds ({@code ..._above_200k_tokens}), lowest threshold first
 */
public record ModelPrice(
        String model,
        String provider,
        String mode,
        Usd inputPerToken,
        Usd outputPerToken,
        @Nullable Usd cacheReadPerToken,
        @Nullable Usd cacheWritePerToken,
        @Nullable Usd reasoningPerToken,
        @Nullable Integer maxInputTokens,
        @Nullable Integer maxOutputTokens,
        List<PriceTier> tiers) {

    /** Checks required fields and limits; sorts the tiers. */
    public ModelPrice {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(inputPerToken, "inputPerToken");
        Objects.requireNonNull(outputPerToken, "outputPerToken");
        if (maxInputTokens != null && maxInputTokens <= 0) {
            throw new IllegalArgumentException("maxInputTokens of " + model + " must be positive, but was " + maxInputTokens);
        }
        if (maxOutputTokens != null && maxOutputTokens <= 0) {
            throw new IllegalArgumentException("maxOutputTokens of " + model + " must be positive, but was " + maxOutputTokens);
        }
        List<PriceTier> sorted = new ArrayList<>(tiers);
        sorted.sort(Comparator.comparingLong(PriceTier::aboveInputTokens));
        tiers = List.copyOf(sorted);
    }

    /**
     * A price with only the two basic rates, for setting one model in code.
     *
     * @param model the model name
     * @param inputPerToken USD per input token
     * @param outputPerToken USD per output token
     * @return a price with no cache, reasoning or tier rates and no limits
     */
    public static ModelPrice of(String model, Usd inputPerToken, Usd outputPerToken) {
        return new ModelPrice(model, "", "chat", inputPerToken, outputPerToken, null, null, null, null, null, List.of());
    }

    /**
     * This price with cache rates set, for prompt-caching models defined in code.
     *
     * @param cacheReadPerToken USD per cache-read input token
     * @param cacheWritePerToken USD per cache-write input token, or null for the input price
     * @return a new price
     */
    public ModelPrice withCacheRates(Usd cacheReadPerToken, @Nullable Usd cacheWritePerToken) {
        return new ModelPrice(model, provider, mode, inputPerToken, outputPerToken, cacheReadPerToken, cacheWritePerToken,
                reasoningPerToken, maxInputTokens, maxOutputTokens, tiers);
    }

    /**
     * This price with token limits set.
     *
     * @param maxInputTokens the input window, or null when unknown
     * @param maxOutputTokens the output limit, or null when unknown
     * @return a new price
     */
    public ModelPrice withLimits(@Nullable Integer maxInputTokens, @Nullable Integer maxOutputTokens) {
        return new ModelPrice(model, provider, mode, inputPerToken, outputPerToken, cacheReadPerToken, cacheWritePerToken,
                reasoningPerToken, maxInputTokens, maxOutputTokens, tiers);
    }

    /**
     * The exact cost of a call:
     * {@code uncached input × input + cache reads × cache read + cache writes × cache write
     * + (output − reasoning) × output + reasoning × reasoning}, each rate taken from the highest
     * tier the call's input tokens exceed, falling back to the base rate.
     *
     * @param usage the call's tokens
     * @return the cost in USD
     */
    public Usd cost(Usage usage) {
        PriceTier tier = tierFor(usage.inputTokens());
        Usd input = rate(tier == null ? null : tier.inputPerToken(), inputPerToken);
        Usd output = rate(tier == null ? null : tier.outputPerToken(), outputPerToken);
        Usd cacheRead = rate(tier == null ? null : tier.cacheReadPerToken(), rate(cacheReadPerToken, input));
        Usd cacheWrite = rate(tier == null ? null : tier.cacheWritePerToken(), rate(cacheWritePerToken, input));
        Usd reasoning = rate(reasoningPerToken, output);
        return input.times(usage.uncachedInputTokens())
                .plus(cacheRead.times(usage.cacheReadTokens()))
                .plus(cacheWrite.times(usage.cacheWriteTokens()))
                .plus(output.times(usage.outputTokens() - usage.reasoningTokens()))
                .plus(reasoning.times(usage.reasoningTokens()));
    }

    /**
     * The cost of a call before it is made, with every input token uncached.
     *
     * @param inputTokens estimated input tokens
     * @param outputTokens the most output tokens the call may produce
     * @return the estimated cost
     */
    public Usd estimate(long inputTokens, long outputTokens) {
        return cost(Usage.of(inputTokens, outputTokens));
    }

    private @Nullable PriceTier tierFor(long inputTokens) {
        PriceTier applies = null;
        for (PriceTier tier : tiers) {
            if (inputTokens > tier.aboveInputTokens()) {
                applies = tier;
            }
        }
        return applies;
    }

    private static Usd rate(@Nullable Usd specific, Usd fallback) {
        return specific == null ? fallback : specific;
    }
}
