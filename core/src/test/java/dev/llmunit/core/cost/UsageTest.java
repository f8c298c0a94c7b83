package dev.llmunit.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.anthropic.AnthropicChatResponseMetadata;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class UsageTest {

    // ---- converting LangChain4j usage ----------------------------------------------------------------

    /** Rows: description, LangChain4j usage as a provider module builds it, the usage in llmunit's meaning. */
    static Stream<Arguments> providerUsage() {
        return Stream.of(
                argumentSet("OpenAI: cached_tokens is part of prompt_tokens, reasoning_tokens part of completion_tokens",
                        OpenAiTokenUsage.builder()
                                .inputTokenCount(1_000)
                                .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(200).build())
                                .outputTokenCount(500)
                                .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(300).build())
                                .totalTokenCount(1_500)
                                .build(),
                        new Usage(1_000, 500, 200, 0, 300)),
                argumentSet("OpenAI without prompt_tokens_details and completion_tokens_details",
                        OpenAiTokenUsage.builder().inputTokenCount(1_000).outputTokenCount(500).totalTokenCount(1_500).build(),
                        new Usage(1_000, 500, 0, 0, 0)),
                argumentSet("OpenAI details with null counts",
                        OpenAiTokenUsage.builder()
                                .inputTokenCount(1_000)
                                .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().build())
                                .outputTokenCount(500)
                                .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().build())
                                .build(),
                        new Usage(1_000, 500, 0, 0, 0)),
                argumentSet("Anthropic: input_tokens excludes cache reads and writes, so total input is 3 + 40 + 1,111",
                        AnthropicTokenUsage.builder()
                                .inputTokenCount(3)
                                .outputTokenCount(250)
                                .cacheCreationInputTokens(40)
                                .cacheReadInputTokens(1_111)
                                .build(),
                        new Usage(1_154, 250, 1_111, 40, 0)),
                argumentSet("Anthropic without cache fields (null, as AnthropicMapper leaves them)",
                        AnthropicTokenUsage.builder().inputTokenCount(25).outputTokenCount(120).build(),
                        new Usage(25, 120, 0, 0, 0)),
                argumentSet("Anthropic streamed, absent cache fields as 0",
                        AnthropicTokenUsage.builder()
                                .inputTokenCount(25)
                                .outputTokenCount(120)
                                .cacheCreationInputTokens(0)
                                .cacheReadInputTokens(0)
                                .build(),
                        new Usage(25, 120, 0, 0, 0)),
                argumentSet("Anthropic with a null input_tokens still counts its cache reads",
                        AnthropicTokenUsage.builder().outputTokenCount(10).cacheReadInputTokens(100).build(),
                        new Usage(100, 10, 100, 0, 0)),
                argumentSet("Gemini: thoughtsTokenCount is billed as output beside candidatesTokenCount; cached content is part of the prompt",
                        GoogleAiGeminiTokenUsage.builder()
                                .inputTokenCount(1_500)
                                .outputTokenCount(400)
                                .thoughtsTokenCount(900)
                                .cachedContentTokenCount(1_024)
                                .totalTokenCount(2_800)
                                .build(),
                        new Usage(1_500, 1_300, 1_024, 0, 900)),
                argumentSet("Gemini without thinking or cache counts",
                        GoogleAiGeminiTokenUsage.builder().inputTokenCount(1_500).outputTokenCount(400).build(),
                        Usage.of(1_500, 400)),
                argumentSet("plain TokenUsage, as other modules report it",
                        new TokenUsage(1_500, 400),
                        Usage.of(1_500, 400)),
                argumentSet("plain TokenUsage with only an input count",
                        new TokenUsage(7),
                        Usage.of(7, 0)),
                argumentSet("plain TokenUsage with null counts",
                        new TokenUsage(null, null),
                        Usage.NONE),
                argumentSet("empty TokenUsage",
                        new TokenUsage(),
                        Usage.NONE));
    }

    @ParameterizedTest
    @MethodSource("providerUsage")
    void convertsEachProvidersMeaningToOne(TokenUsage tokenUsage, Usage expected) {
        assertThat(Usage.from(tokenUsage)).isEqualTo(expected);
    }

    @Test
    void convertsNullToNone() {
        assertThat(Usage.from(null)).isSameAs(Usage.NONE);
    }

    @Test
    void clampsACachedCountLargerThanThePromptRatherThanFailingTheCall() {
        // GIVEN a malformed response: more cached tokens than prompt tokens
        TokenUsage malformed = OpenAiTokenUsage.builder()
                .inputTokenCount(100)
                .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(150).build())
                .outputTokenCount(10)
                .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(20).build())
                .build();

        // WHEN
        Usage usage = Usage.from(malformed);

        // THEN
        assertThat(usage).isEqualTo(new Usage(100, 10, 100, 0, 10));
    }

    @Test
    void countsInputNeitherReadFromNorWrittenToTheCacheAsUncached() {
        assertThat(new Usage(1_154, 250, 1_111, 40, 0).uncachedInputTokens()).isEqualTo(3);
    }

    // ---- validation ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "input={0}, output={1}, cacheRead={2}, cacheWrite={3}, reasoning={4}")
    @CsvSource({
        "-1,  0,  0,  0,  0",
        " 0, -1,  0,  0,  0",
        " 0,  0, -1,  0,  0",
        " 0,  0,  0, -1,  0",
        " 0,  0,  0,  0, -1",
    })
    void rejectsANegativeCountNamingEveryValue(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
        assertThatThrownBy(() -> new Usage(input, output, cacheRead, cacheWrite, reasoning))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative")
                .hasMessageContaining("input=" + input + ", output=" + output + ", cacheRead=" + cacheRead
                        + ", cacheWrite=" + cacheWrite + ", reasoning=" + reasoning);
    }

    @Test
    void rejectsCacheReadsAndWritesExceedingTheInputNamingTheValues() {
        assertThatThrownBy(() -> new Usage(100, 0, 80, 30, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache reads and writes are part of the input tokens")
                .hasMessageContaining("input=100, output=0, cacheRead=80, cacheWrite=30, reasoning=0");
    }

    @Test
    void rejectsReasoningExceedingTheOutputNamingTheValues() {
        assertThatThrownBy(() -> new Usage(10, 50, 0, 0, 60))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reasoning tokens are part of the output tokens")
                .hasMessageContaining("input=10, output=50, cacheRead=0, cacheWrite=0, reasoning=60");
    }

    @Test
    void acceptsPartsEqualToTheirWholes() {
        assertThatCode(() -> new Usage(100, 50, 60, 40, 50)).doesNotThrowAnyException();
    }

    // ---- arithmetic ----------------------------------------------------------------------------------

    @Test
    void addsEveryCountFieldByField() {
        // GIVEN
        Usage first = new Usage(1_000, 500, 200, 0, 300);
        Usage second = new Usage(1_154, 250, 1_111, 40, 0);

        // WHEN
        Usage sum = first.plus(second);

        // THEN
        assertThat(sum).isEqualTo(new Usage(2_154, 750, 1_311, 40, 300));
    }

    @Test
    void addingNoneChangesNothing() {
        // GIVEN
        Usage usage = new Usage(1_000, 500, 200, 0, 300);

        // WHEN / THEN
        assertThat(usage.plus(Usage.NONE)).isEqualTo(usage);
        assertThat(Usage.NONE.plus(usage)).isEqualTo(usage);
    }

    @Test
    void plainCountsHaveNoCacheOrReasoningDetail() {
        assertThat(Usage.of(1_500, 400)).isEqualTo(new Usage(1_500, 400, 0, 0, 0));
    }

    // ---- one-hour cache writes and service tiers -----------------------------------------------------

    @Test
    void rejectsMoreOneHourCacheWritesThanCacheWrites() {
        assertThatThrownBy(() -> new Usage(100, 0, 0, 40, 0, 41, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("one-hour cache writes are part of the cache writes, so they cannot exceed them, but were 41 of 40");
    }

    @Test
    void keepsTheServiceTierInLowerCaseAndABlankOrStandardOneAsNone() {
        assertThat(Usage.of(1, 1).withServiceTier(" Priority ").serviceTier()).isEqualTo("priority");
        assertThat(Usage.of(1, 1).withServiceTier(" ").serviceTier()).isNull();
        assertThat(Usage.of(1, 1).withServiceTier("default").serviceTier()).isNull();
        assertThat(Usage.of(1, 1).withServiceTier("standard")).isEqualTo(Usage.of(1, 1));
    }

    @Test
    void addsOneHourWritesAndKeepsATierBothPartsShare() {
        Usage priority = new Usage(100, 10, 0, 40, 0, 30, "priority");

        assertThat(priority.plus(priority)).isEqualTo(new Usage(200, 20, 0, 80, 0, 60, "priority"));
        assertThat(priority.plus(Usage.NONE).serviceTier()).isEqualTo("priority");
        assertThat(priority.plus(Usage.of(1, 1).withServiceTier("flex")).serviceTier()).isNull();
    }

    @Test
    void readsTheServiceTierOfAnOpenAiResponse() {
        ChatResponse response = ChatResponse.builder()
                .aiMessage(AiMessage.from("ok"))
                .metadata(OpenAiChatResponseMetadata.builder().serviceTier("priority")
                        .tokenUsage(OpenAiTokenUsage.builder().inputTokenCount(10).outputTokenCount(2).build()).build())
                .build();

        assertThat(Usage.fromResponse(response)).isEqualTo(new Usage(10, 2, 0, 0, 0, 0, "priority"));
    }

    @Test
    void readsOneHourCacheWritesAndTheTierOfAnAnthropicResponseFromItsRawBody() {
        // GIVEN what LangChain4j keeps of an Anthropic answer: its counts, and the raw body beside them
        String body = "{\"id\":\"msg_01\",\"type\":\"message\",\"usage\":{\"input_tokens\":12,"
                + "\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":0,\"cache_creation\":"
                + "{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":4,\"service_tier\":\"standard\"}}";
        ChatResponse response = ChatResponse.builder()
                .aiMessage(AiMessage.from("BILLING"))
                .metadata(AnthropicChatResponseMetadata.builder()
                        .tokenUsage(AnthropicTokenUsage.builder().inputTokenCount(12).outputTokenCount(4)
                                .cacheCreationInputTokens(3000).cacheReadInputTokens(0).build())
                        .rawHttpResponse(SuccessfulHttpResponse.builder().statusCode(200).body(body).build())
                        .build())
                .build();

        assertThat(Usage.fromResponse(response)).isEqualTo(new Usage(3012, 4, 0, 3000, 0, 2000, null));
    }

    @Test
    void readsOneHourCacheWritesOfAnAnthropicStreamFromItsMessageStartEvent() {
        String start = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"usage\":{\"input_tokens\":5,"
                + "\"cache_creation_input_tokens\":100,\"cache_creation\":{\"ephemeral_1h_input_tokens\":100},\"output_tokens\":1}}}";
        ChatResponse response = ChatResponse.builder()
                .aiMessage(AiMessage.from("hi"))
                .metadata(AnthropicChatResponseMetadata.builder()
                        .tokenUsage(AnthropicTokenUsage.builder().inputTokenCount(5).outputTokenCount(3)
                                .cacheCreationInputTokens(100).build())
                        .rawServerSentEvents(java.util.List.of(new ServerSentEvent("message_start", start),
                                new ServerSentEvent("message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":3}}")))
                        .build())
                .build();

        assertThat(Usage.fromResponse(response).cacheWrite1hTokens()).isEqualTo(100);
    }
}
