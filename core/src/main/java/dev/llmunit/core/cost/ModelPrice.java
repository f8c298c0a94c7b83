package dev.llmunit.core.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * @param cacheWrite1hPerToken {@code cache_creation_input_token_cost_above_1hr} (Anthropic's one-hour cache writes),
 *     or null: they then cost the cache write price
 * @param serviceTiers the rates of service tiers such as {@code priority} and {@code flex}, by lower-case tier name;
 *     a call in a tier not listed costs the standard rates
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
        List<PriceTier> tiers,
        @Nullable Usd cacheWrite1hPerToken,
        Map<String, ServiceTierPrice> serviceTiers) {

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
        serviceTiers = Map.copyOf(serviceTiers);
    }

    /**
     * A price without one-hour cache write or service tier rates.
     *
     * @param model the catalog key
     * @param provider the {@code litellm_provider} value; empty when unknown
     * @param mode the {@code mode} value; empty when unknown
     * @param inputPerToken {@code input_cost_per_token}
     * @param outputPerToken {@code output_cost_per_token}
     * @param cacheReadPerToken {@code cache_read_input_token_cost}, or null
     * @param cacheWritePerToken {@code cache_creation_input_token_cost}, or null
     * @param reasoningPerToken {@code output_cost_per_reasoning_token}, or null
     * @param maxInputTokens {@code max_input_tokens}, or null
     * @param maxOutputTokens {@code max_output_tokens}, or null
     * @param tiers prices above input-size thresholds
     */
    public ModelPrice(String model, String provider, String mode, Usd inputPerToken, Usd outputPerToken,
            @Nullable Usd cacheReadPerToken, @Nullable Usd cacheWritePerToken, @Nullable Usd reasoningPerToken,
            @Nullable Integer maxInputTokens, @Nullable Integer maxOutputTokens, List<PriceTier> tiers) {
        this(model, provider, mode, inputPerToken, outputPerToken, cacheReadPerToken, cacheWritePerToken, reasoningPerToken,
                maxInputTokens, maxOutputTokens, tiers, null, Map.of());
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
                reasoningPerToken, maxInputTokens, maxOutputTokens, tiers, cacheWrite1hPerToken, serviceTiers);
    }

    /**
     * This price with a one-hour cache write rate, for Anthropic-style models defined in code.
     *
     * @param perToken USD per one-hour cache-write token, or null for the cache write price
     * @return a new price
     */
    public ModelPrice withCacheWrite1hRate(@Nullable Usd perToken) {
        return new ModelPrice(model, provider, mode, inputPerToken, outputPerToken, cacheReadPerToken, cacheWritePerToken,
                reasoningPerToken, maxInputTokens, maxOutputTokens, tiers, perToken, serviceTiers);
    }

    /**
     * This price with the rates of a service tier set.
     *
     * @param tier such as {@code priority}, any case
     * @param rates the tier's rates
     * @return a new price
     */
    public ModelPrice withServiceTier(String tier, ServiceTierPrice rates) {
        Map<String, ServiceTierPrice> merged = new LinkedHashMap<>(serviceTiers);
        merged.put(tier.strip().toLowerCase(Locale.ROOT), Objects.requireNonNull(rates, "rates"));
        return new ModelPrice(model, provider, mode, inputPerToken, outputPerToken, cacheReadPerToken, cacheWritePerToken,
                reasoningPerToken, maxInputTokens, maxOutputTokens, tiers, cacheWrite1hPerToken, merged);
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
                reasoningPerToken, maxInputTokens, maxOutputTokens, tiers, cacheWrite1hPerToken, serviceTiers);
    }

    /**
     * The exact cost of a call:
     * {@code uncached input × input + cache reads × cache read + five-minute cache writes × cache write
     * + one-hour cache writes × one-hour cache write + (output − reasoning) × output + reasoning × reasoning}.
     * Each rate is the most specific the catalog has for the call: the service tier's rate in the
     * highest size tier the input exceeds, else the service tier's rate, else the standard rate of
     * that size tier, else the standard rate (a tier not in {@link #serviceTiers()} costs the standard
     * rates). Cache reads and writes without a rate of their own cost the input rate; one-hour writes
     * without one cost the cache write rate; reasoning without one costs the output rate.
     *
     * @param usage the call's tokens, with its service tier
     * @return the cost in USD
     */
    public Usd cost(Usage usage) {
        long inputTokens = usage.inputTokens();
        PriceTier size = tierFor(tiers, inputTokens);
        ServiceTierPrice service = usage.serviceTier() == null ? null : serviceTiers.get(usage.serviceTier());
        PriceTier serviceSize = service == null ? null : tierFor(service.tiers(), inputTokens);
        Usd input = rate(serviceSize == null ? null : serviceSize.inputPerToken(), service == null ? null : service.inputPerToken(),
                size == null ? null : size.inputPerToken(), inputPerToken);
        Usd output = rate(serviceSize == null ? null : serviceSize.outputPerToken(), service == null ? null : service.outputPerToken(),
                size == null ? null : size.outputPerToken(), outputPerToken);
        Usd cacheRead = rate(serviceSize == null ? null : serviceSize.cacheReadPerToken(),
                service == null ? null : service.cacheReadPerToken(), size == null ? null : size.cacheReadPerToken(),
                cacheReadPerToken == null ? input : cacheReadPerToken);
        Usd cacheWrite = rate(serviceSize == null ? null : serviceSize.cacheWritePerToken(),
                service == null ? null : service.cacheWritePerToken(), size == null ? null : size.cacheWritePerToken(),
                cacheWritePerToken == null ? input : cacheWritePerToken);
        Usd cacheWrite1h = rate(null, null, size == null ? null : size.cacheWrite1hPerToken(),
                cacheWrite1hPerToken == null ? cacheWrite : cacheWrite1hPerToken);
        Usd reasoning = reasoningPerToken == null ? output : reasoningPerToken;
        return input.times(usage.uncachedInputTokens())
                .plus(cacheRead.times(usage.cacheReadTokens()))
                .plus(cacheWrite.times(usage.cacheWriteTokens() - usage.cacheWrite1hTokens()))
                .plus(cacheWrite1h.times(usage.cacheWrite1hTokens()))
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

    private static @Nullable PriceTier tierFor(List<PriceTier> tiers, long inputTokens) {
        PriceTier applies = null;
        for (PriceTier tier : tiers) {
            if (inputTokens > tier.aboveInputTokens()) {
                applies = tier;
            }
        }
        return applies;
    }

    /** The first rate that is set, from the most specific to the standard one. */
    private static Usd rate(@Nullable Usd serviceSized, @Nullable Usd service, @Nullable Usd sized, Usd standard) {
        return serviceSized != null ? serviceSized : service != null ? service : sized != null ? sized : standard;
    }
}
