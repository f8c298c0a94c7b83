package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recorded fixtures are read by the official SDKs too: calls made with {@code openai-java} and
 * {@code anthropic-java} are recorded through the fixture server against a fake provider, and the
 * same SDK calls are played back with the provider gone, content and token usage intact.
 */
class OfficialSdkRecordPlaybackTest {

    private static final String PROMPT = "Which queue handles double charges?";

    @TempDir
    Path fixtures;

    private FakeProviders upstream;

    @BeforeEach
    void startUpstream() {
        upstream = FakeProviders.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void openAiSdkPlaysBackARecordedChatCompletion() {
        // GIVEN a completion recorded through the server
        ChatCompletion recorded;
        try (FixtureServer server = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
            recorded = openAi(server).chat().completions().create(openAiParams().build());
        }
        upstream.close();

        // WHEN the same call is played back
        ChatCompletion played;
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            played = openAi(server).chat().completions().create(openAiParams().build());
            assertThat(server.missingFixtures()).isEmpty();
        }

        // THEN the SDK reads the same answer and usage
        assertThat(played.choices().get(0).message().content()).hasValue("Echo: " + PROMPT)
                .isEqualTo(recorded.choices().get(0).message().content());
        assertThat(played.usage().orElseThrow().promptTokens()).isEqualTo(14);
        assertThat(played.usage().orElseThrow().completionTokens()).isEqualTo(5);
        assertThat(played.model()).isEqualTo(recorded.model());
    }

    @Test
    void openAiSdkPlaysBackARecordedStreamWithItsUsageChunk() {
        // GIVEN a stream recorded through the server
        ChatCompletion recorded;
        try (FixtureServer server = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
            recorded = openAiStream(openAi(server));
        }
        upstream.close();

        // WHEN the same streamed call is played back
        ChatCompletion played;
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            played = openAiStream(openAi(server));
        }

        // THEN the accumulated completion, usage included, is the recorded one
        assertThat(played.choices().get(0).message().content()).isEqualTo(recorded.choices().get(0).message().content());
        assertThat(played.choices().get(0).message().content()).hasValueSatisfying(text -> assertThat(text).isNotBlank());
        assertThat(played.usage()).isPresent().isEqualTo(recorded.usage());
    }

    @Test
    void anthropicSdkPlaysBackARecordedMessage() {
        // GIVEN a message recorded through the server
        Message recorded;
        try (FixtureServer server = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
            recorded = anthropic(server).messages().create(anthropicParams());
        }
        upstream.close();

        // WHEN the same call is played back
        Message played;
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            played = anthropic(server).messages().create(anthropicParams());
        }

        // THEN the SDK reads the same content and usage (the fake provider echoes text blocks, not the SDK's plain string)
        assertThat(played.content()).isEqualTo(recorded.content());
        assertThat(played.content()).singleElement().satisfies(block -> assertThat(block.asText().text()).startsWith("Echo:"));
        assertThat(played.usage().inputTokens()).isEqualTo(recorded.usage().inputTokens());
        assertThat(played.usage().outputTokens()).isEqualTo(recorded.usage().outputTokens());
        assertThat(played.usage().cacheReadInputTokens()).isEqualTo(recorded.usage().cacheReadInputTokens());
    }

    @Test
    void anthropicSdkPlaysBackARecordedEventStream() {
        // GIVEN an event stream recorded through the server
        Message recorded;
        try (FixtureServer server = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
            recorded = anthropicStream(anthropic(server));
        }
        upstream.close();

        // WHEN the same streamed call is played back
        Message played;
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            played = anthropicStream(anthropic(server));
        }

        // THEN the accumulated message is the recorded one
        assertThat(played.content()).isEqualTo(recorded.content());
        assertThat(played.usage().outputTokens()).isEqualTo(recorded.usage().outputTokens());
    }

    private static OpenAIClient openAi(FixtureServer server) {
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl(LlmProvider.OPENAI))
                .apiKey(server.clientApiKey(LlmProvider.OPENAI)).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams.Builder openAiParams() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(PROMPT);
    }

    private static ChatCompletion openAiStream(OpenAIClient client) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                openAiParams().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.chatCompletion();
    }

    private static AnthropicClient anthropic(FixtureServer server) {
        // The Anthropic SDK appends /v1/messages itself, so its base URL stops before /v1.
        return AnthropicOkHttpClient.builder().baseUrl(server.baseUrl(LlmProvider.ANTHROPIC).replaceFirst("/v1$", ""))
                .apiKey(server.clientApiKey(LlmProvider.ANTHROPIC)).maxRetries(0).build();
    }

    private static MessageCreateParams anthropicParams() {
        return MessageCreateParams.builder().model("claude-3-5-haiku-20241022").maxTokens(256).addUserMessage(PROMPT).build();
    }

    private static Message anthropicStream(AnthropicClient client) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(anthropicParams())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }
}
