package dev.llmunit.core.cost;

import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.internal.ProviderTokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * The tokens of one call in one meaning for every provider: {@code inputTokens} counts every
 * input token, cache reads and cache writes included, and {@code outputTokens} counts every
 * output token, reasoning included. {@link #from(TokenUsage)} converts each provider's own
 * meaning (Anthropic's {@code input_tokens} excludes cache reads and writes; OpenAI's
 * {@code prompt_tokens} includes cached tokens).
 *
 * @param inputTokens all input tokens
 * @param outputTokens all output tokens
 * @param cacheReadTokens input tokens read from the provider's prompt cache (OpenAI {@code cached_tokens}, Anthropic {@code cache_read_input_tokens})
 * @param cacheWriteTokens input tokens written to the prompt cache (Anthropic {@code cache_creation_input_tokens})
 * @param reasoningTokens output tokens spent on reasoning (OpenAI {@code reasoning_tokens})
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {

    /** No tokens. */
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    /** Checks every count is non-negative and the parts fit in their wholes. */
    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative, but were " + describe(inputTokens,
                    outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens));
        }
        if (cacheReadTokens + cacheWriteTokens > inputTokens) {
            throw new IllegalArgumentException("cache reads and writes are part of the input tokens, so they cannot exceed them, but were "
                    + describe(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens));
        }
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoning tokens are part of the output tokens, so they cannot exceed them, but were "
                    + describe(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens));
        }
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
     * Input tokens billed at the full input price: neither read from nor written to the cache.
     *
     * @return {@code inputTokens - cacheReadTokens - cacheWriteTokens}
     */
    public long uncachedInputTokens() {
        return inputTokens - cacheReadTokens - cacheWriteTokens;
    }

    /**
     * This usage plus another, as for a streamed or multi-part call.
     *
     * @param other the usage to add
     * @return the sum
     */
    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens,
                reasoningTokens + other.reasoningTokens);
    }

    private static String describe(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
        return "input=" + input + ", output=" + output + ", cacheRead=" + cacheRead + ", cacheWrite=" + cacheWrite
                + ", reasoning=" + reasoning;
    }
}
