package dev.llmunit.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.anthropic.AnthropicChatResponseMetadata;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.cost.Usage;
import java.io.IOException;
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

    /**
     * Converts a response's usage and adds what its provider metadata says about the price.
     *
     * @param response a response of any chat model
     * @return the usage with every input and output token counted once, its service tier and one-hour cache writes
     */
    public static Usage convert(ChatResponse response) {
        TokenUsage tokens = response.tokenUsage();
        Usage usage = tokens == null ? Usage.NONE : convert(tokens);
        ChatResponseMetadata metadata = response.metadata();
        if (metadata == null) {
            return usage;
        }
        if (OPENAI && OpenAi.describes(metadata)) {
            return usage.withServiceTier(OpenAi.serviceTier(metadata));
        }
        if (ANTHROPIC && Anthropic.describes(metadata)) {
            return Anthropic.withRawUsage(usage, metadata);
        }
        return usage;
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

        static boolean describes(ChatResponseMetadata metadata) {
            return metadata instanceof OpenAiChatResponseMetadata;
        }

        static @Nullable String serviceTier(ChatResponseMetadata metadata) {
            return ((OpenAiChatResponseMetadata) metadata).serviceTier();
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

        static boolean describes(ChatResponseMetadata metadata) {
            return metadata instanceof AnthropicChatResponseMetadata;
        }

        /**
         * LangChain4j 1.19 reads neither {@code usage.service_tier} nor
         * {@code usage.cache_creation.ephemeral_1h_input_tokens}, so they come from the raw response:
         * the body, or for a stream the {@code message_start} and {@code message_delta} events.
         */
        static Usage withRawUsage(Usage usage, ChatResponseMetadata metadata) {
            AnthropicChatResponseMetadata anthropic = (AnthropicChatResponseMetadata) metadata;
            RawUsage raw = new RawUsage();
            if (anthropic.rawHttpResponse() != null && anthropic.rawHttpResponse().body() != null) {
                raw.read(anthropic.rawHttpResponse().body(), false);
            } else if (anthropic.rawServerSentEvents() != null) {
                for (ServerSentEvent event : anthropic.rawServerSentEvents()) {
                    if (event.data() != null && ("message_start".equals(event.event()) || "message_delta".equals(event.event()))) {
                        raw.read(event.data(), true);
                    }
                }
            }
            Usage read = usage.withServiceTier(raw.serviceTier);
            return raw.cacheWrite1h > 0 ? read.withCacheWrite1hTokens(Math.min(raw.cacheWrite1h, usage.cacheWriteTokens())) : read;
        }

        static Usage convert(TokenUsage usage) {
            AnthropicTokenUsage anthropic = (AnthropicTokenUsage) usage;
            long uncached = count(anthropic.inputTokenCount());
            long cacheRead = count(anthropic.cacheReadInputTokens());
            long cacheWrite = count(anthropic.cacheCreationInputTokens());
            return new Usage(uncached + cacheRead + cacheWrite, count(anthropic.outputTokenCount()), cacheRead, cacheWrite, 0);
        }
    }

    /** What an Anthropic response's {@code usage} says beyond LangChain4j's token counts; the last value read wins. */
    private static final class RawUsage {
        private static final JsonFactory JSON = new JsonFactory();
        @Nullable String serviceTier;
        long cacheWrite1h;

        /** Reads {@code usage} of a message body, or of a stream event (under {@code message} for {@code message_start}). */
        void read(String json, boolean event) {
            try (JsonParser parser = JSON.createParser(json)) {
                if (parser.nextToken() == JsonToken.START_OBJECT) {
                    readMessage(parser, event);
                }
            } catch (IOException | RuntimeException unreadable) {
                // a body LangChain4j parsed is JSON; if not, its token counts stand as they are
            }
        }

        /** Reads the fields of an object, the parser on its start; {@code usage} may sit in a nested {@code message}. */
        private void readMessage(JsonParser parser, boolean event) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT && name.equals("usage")) {
                    readUsage(parser);
                } else if (value == JsonToken.START_OBJECT && event && name.equals("message")) {
                    readMessage(parser, false);
                } else {
                    parser.skipChildren();
                }
            }
        }

        private void readUsage(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("service_tier") && value == JsonToken.VALUE_STRING) {
                    serviceTier = parser.getText();
                } else if (name.equals("cache_creation") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken count = parser.nextToken();
                        if (field.equals("ephemeral_1h_input_tokens") && count == JsonToken.VALUE_NUMBER_INT) {
                            cacheWrite1h = Math.max(0, parser.getLongValue());
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
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
