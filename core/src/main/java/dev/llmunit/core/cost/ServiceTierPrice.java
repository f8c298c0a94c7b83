package dev.llmunit.core.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rates of one service tier of a model, as LiteLLM lists them with a tier suffix
 * ({@code input_cost_per_token_priority}, {@code output_cost_per_token_flex},
 * {@code input_cost_per_token_above_200k_tokens_priority}, ...). A null rate falls back to the
 * model's standard rate for the same call.
 *
 * @param inputPerToken the tier's input price, or null
 * @param outputPerToken the tier's output price, or null
 * @param cacheReadPerToken the tier's cache read price, or null
 * @param cacheWritePerToken the tier's cache write price, or null
 * @param tiers the tier's prices above input-size thresholds, lowest threshold first
 */
public record ServiceTierPrice(
        @Nullable Usd inputPerToken,
        @Nullable Usd outputPerToken,
        @Nullable Usd cacheReadPerToken,
        @Nullable Usd cacheWritePerToken,
        List<PriceTier> tiers) {

    /** Sorts the size tiers. */
    public ServiceTierPrice {
        List<PriceTier> sorted = new ArrayList<>(tiers);
        sorted.sort(Comparator.comparingLong(PriceTier::aboveInputTokens));
        tiers = List.copyOf(sorted);
    }
}
