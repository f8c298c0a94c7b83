package dev.llmunit.core.internal;

import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.cost.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Converts LangChain4j token usage to {@link Usage}, reading the provider subclasses' cache and
 * reasoning details. The OpenAI, Anthropic and Gemini modules are optional dependencies of core, so each
 * reader sits in its own nested class that is only loaded when its module is on the classpath.
 */
public final class ProviderTokenUsage {

    private static final boolean OPENAI = present("dev.langchain4j.model.openai.OpenAiTokenUsage");
    private static final boolean ANTHROPIC = present("dev.langchain4j.model.anthropic.AnthropicTokenUsage");
    private static final boolean GEMINI = present("dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage");

    private ProviderTokenUsage() {}

    /**
     * Converts one usage.
     *
     * @param usage LangChain4j's usage of one response
     * @return the usage with every input and output token counted once
     */
    public static Usage convert(TokenUsage usage) {
        if (OPENAI && OpenAi.handles(usage)) {
            return OpenAi.convert(usage);
        }
        if (ANTHROPIC && Anthropic.handles(usage)) {
            return Anthropic.convert(usage);
        }
        if (GEMINI && Gemini.handles(usage)) {
            return Gemini.convert(usage);
        }
        return Usage.of(count(usage.inputTokenCount()), count(usage.outputTokenCount()));
    }

    static long count(@Nullable Integer value) {
        return value == null || value < 0 ? 0 : value;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ProviderTokenUsage.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** OpenAI: {@code prompt_tokens} already includes {@code cached_tokens}; {@code completion_tokens} includes reasoning. */
    private static final class OpenAi {
        static boolean handles(TokenUsage usage) {
            return usage instanceof OpenAiTokenUsage;
        }

        static Usage convert(TokenUsage usage) {
            OpenAiTokenUsage openAi = (OpenAiTokenUsage) usage;
            long input = count(openAi.inputTokenCount());
            long output = count(openAi.outputTokenCount());
            long cached = openAi.inputTokensDetails() == null ? 0 : count(openAi.inputTokensDetails().cachedTokens());
            long reasoning = openAi.outputTokensDetails() == null ? 0 : count(openAi.outputTokensDetails().reasoningTokens());
            return new Usage(input, output, Math.min(cached, input), 0, Math.min(reasoning, output));
        }
    }

    /** Anthropic: {@code input_tokens} excludes cache reads and writes, so the total input is their sum. */
    private static final class Anthropic {
        static boolean handles(TokenUsage usage) {
            return usage instanceof AnthropicTokenUsage;
        }

        static Usage convert(TokenUsage usage) {
            AnthropicTokenUsage anthropic = (AnthropicTokenUsage) usage;
            long uncached = count(anthropic.inputTokenCount());
            long cacheRead = count(anthropic.cacheReadInputTokens());
            long cacheWrite = count(anthropic.cacheCreationInputTokens());
            return new Usage(uncached + cacheRead + cacheWrite, count(anthropic.outputTokenCount()), cacheRead, cacheWrite, 0);
        }
    }

    /**
     * Gemini: {@code outputTokenCount} is {@code candidatesTokenCount} only; thinking tokens
     * ({@code thoughtsTokenCount}) are billed as output too. {@code cachedContentTokenCount} is part
     * of the prompt.
     */
    private static final class Gemini {
        static boolean handles(TokenUsage usage) {
            return usage instanceof GoogleAiGeminiTokenUsage;
        }

        static Usage convert(TokenUsage usage) {
            GoogleAiGeminiTokenUsage gemini = (GoogleAiGeminiTokenUsage) usage;
            long input = count(gemini.inputTokenCount());
            long thoughts = count(gemini.thoughtsTokenCount());
            long cached = count(gemini.cachedContentTokenCount());
            return new Usage(input, count(gemini.outputTokenCount()) + thoughts, Math.min(cached, input), 0, thoughts);
        }
    }
}
