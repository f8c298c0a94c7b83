package dev.llmunit.core.cost;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.internal.ProviderTokenUsage;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tokens of one call in one meaning for every provider: {@code inputTokens} counts every
 * input token, cache reads and cache writes included, and {@code outputTokens} counts every
 * output token, reasoning included. {@link #fromResponse(ChatResponse)} converts each provider's own
 * meaning (Anthropic's {@code input_tokens} excludes cache reads and writes; OpenAI's
 * {@code prompt_tokens} includes cached tokens) and reads what changes the price: the service tier
 * the provider answered in and Anthropic's one-hour cache writes.
 *
 * @param inputTokens all input tokens
 * @param outputTokens all output tokens
 * @param cacheReadTokens input tokens read from the provider's prompt cache (OpenAI {@code cached_tokens}, Anthropic {@code cache_read_input_tokens})
 * @param cacheWriteTokens input tokens written to the prompt cache (Anthropic {@code cache_creation_input_tokens}), one-hour writes included
 * @param reasoningTokens output tokens spent on reasoning (OpenAI {@code reasoning_tokens})
 * @param cacheWrite1hTokens the cache writes kept for one hour (Anthropic {@code cache_creation.ephemeral_1h_input_tokens}),
 *     priced at {@code cache_creation_input_token_cost_above_1hr}; the rest of the writes are five-minute writes
 * @param serviceTier the tier the provider served the call in, lower case, such as {@code priority} or
 *     {@code flex} (OpenAI {@code service_tier}, Anthropic {@code usage.service_tier}); null when the
 *     provider did not say or named its standard tier ({@link #STANDARD_TIERS}). A tier the price catalog has rates for ({@code input_cost_per_token_priority}, ...)
 *     is priced at them; any other at the standard rates.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens,
        long cacheWrite1hTokens, @Nullable String serviceTier) {

    /** No tokens. */
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    /** The names providers give their standard tier (OpenAI {@code default} and {@code auto}, Anthropic {@code standard}), kept as none. */
    public static final Set<String> STANDARD_TIERS = Set.of("default", "standard", "auto");

    /** Checks every count is non-negative and the parts fit in their wholes; keeps the tier in lower case, a standard one as null. */
    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0
                || cacheWrite1hTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative, but were " + describe(inputTokens,
                    outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens) + ", cacheWrite1h=" + cacheWrite1hTokens);
        }
        if (cacheReadTokens + cacheWriteTokens > inputTokens) {
            throw new IllegalArgumentException("cache reads and writes are part of the input tokens, so they cannot exceed them, but were "
                    + describe(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens));
        }
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoning tokens are part of the output tokens, so they cannot exceed them, but were "
                    + describe(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens));
        }
        if (cacheWrite1hTokens > cacheWriteTokens) {
            throw new IllegalArgumentException("one-hour cache writes are part of the cache writes, so they cannot exceed them, but were "
                    + cacheWrite1hTokens + " of " + cacheWriteTokens);
        }
        serviceTier = tierName(serviceTier);
    }

    /**
     * A usage with no one-hour cache writes and no service tier.
     *
     * @param inputTokens all input tokens
     * @param outputTokens all output tokens
     * @param cacheReadTokens input tokens read from the cache
     * @param cacheWriteTokens input tokens written to the cache
     * @param reasoningTokens output tokens spent on reasoning
     */
    public Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, 0, null);
    }

    /**
     * Plain input and output counts, with no cache or reasoning detail.
     *
     * @param inputTokens all input tokens
     * @param outputTokens all output tokens
     * @return the usage
     */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0, 0);
    }

    /**
     * Converts LangChain4j's token usage, reading OpenAI's cached and reasoning details and
     * Anthropic's cache reads and writes when the provider module is on the classpath.
     *
     * @param usage the usage a {@code ChatResponse} reported, or null
     * @return the usage in llmunit's meaning; {@link #NONE} for null
     */
    public static Usage from(@Nullable TokenUsage usage) {
        return usage == null ? NONE : ProviderTokenUsage.convert(usage);
    }

    /**
     * Converts a response's usage as {@link #from(TokenUsage)} does (a distinct name, so
     * {@code from(null)} stays unambiguous), and adds what its metadata
     * says about the price: OpenAI's {@code service_tier}, and from Anthropic's raw response (which
     * LangChain4j reads but does not expose) {@code usage.service_tier} and
     * {@code cache_creation.ephemeral_1h_input_tokens}.
     *
     * @param response a response of any LangChain4j chat model, or null
     * @return the usage in llmunit's meaning; {@link #NONE} for null
     */
    public static Usage fromResponse(@Nullable ChatResponse response) {
        if (response == null) {
            return NONE;
        }
        ChatResponseMetadata metadata = response.metadata();
        if (metadata == null || metadata.getClass() == ChatResponseMetadata.class) {
            // No provider's metadata (a test double, a custom model): nothing more to read, and no
            // provider classes to load on a call's path.
            return from(response.tokenUsage());
        }
        return ProviderTokenUsage.convert(response);
    }

    /**
     * This usage in another service tier.
     *
     * @param tier such as {@code priority}; null or blank for none
     * @return the copy
     */
    public Usage withServiceTier(@Nullable String tier) {
        String name = tierName(tier);
        if (java.util.Objects.equals(name, serviceTier)) {
            return this; // the common case, a standard call: the per-call path allocates nothing more
        }
        return new Usage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, cacheWrite1hTokens, name);
    }

    private static @Nullable String tierName(@Nullable String tier) {
        if (tier == null || tier.isBlank()) {
            return null;
        }
        String name = tier.strip().toLowerCase(Locale.ROOT);
        return STANDARD_TIERS.contains(name) ? null : name;
    }

    /**
     * This usage with some of its cache writes kept for one hour.
     *
     * @param tokens the one-hour writes, at most {@link #cacheWriteTokens()}
     * @return the copy
     */
    public Usage withCacheWrite1hTokens(long tokens) {
        return new Usage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, tokens, serviceTier);
    }

    /**
     * Input tokens billed at the full input price: neither read from nor written to the cache.
     *
     * @return {@code inputTokens - cacheReadTokens - cacheWriteTokens}
     */
    public long uncachedInputTokens() {
        return inputTokens - cacheReadTokens - cacheWriteTokens;
    }

    /**
     * This usage plus another, as for a streamed or multi-part call, or a test's calls together.
     *
     * @param other the usage to add
     * @return the sum
     */
    public Usage plus(Usage other) {
        // A sum keeps a tier both parts share (or the one part that has one); calls priced in different tiers sum to none.
        String tier = serviceTier == null ? other.serviceTier
                : other.serviceTier == null || serviceTier.equals(other.serviceTier) ? serviceTier : null;
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens,
                reasoningTokens + other.reasoningTokens, cacheWrite1hTokens + other.cacheWrite1hTokens, tier);
    }

    private static String describe(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
        return "input=" + input + ", output=" + output + ", cacheRead=" + cacheRead + ", cacheWrite=" + cacheWrite
                + ", reasoning=" + reasoning;
    }
}
