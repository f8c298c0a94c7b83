package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each {@link FixtureModels} model against a real {@link FixtureServer}, stubbed by hand. */
class FixtureModelsTest {

    private static final String OPENAI_PATH = "/openai/v1/chat/completions";
    private static final String ANTHROPIC_PATH = "/anthropic/v1/messages";
    private static final String GEMINI_PATH = "/gemini/v1beta/models/gemini-2.5-flash:generateContent";

    private static final String OPENAI_RESPONSE = """
            {
              "id": "chatcmpl-1", "object": "chat.completion", "created": 1735000000, "model": "gpt-4o-mini-2024-07-18",
              "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello", "refusal": null, "annotations": []},
                           "finish_reason": "stop", "logprobs": null}],
              "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
              "service_tier": "default", "system_fingerprint": "fp_1"
            }
            """;
    private static final String OPENAI_STREAM = """
            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735000000,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

            data: [DONE]

            """;
    private static final String ANTHROPIC_RESPONSE = """
            {
              "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5-20251001",
              "content": [{"type": "text", "text": "Hello"}],
              "stop_reason": "end_turn", "stop_sequence": null,
              "usage": {"input_tokens": 12, "output_tokens": 2, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
            }
            """;
    private static final String ANTHROPIC_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type":"ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;
    private static final String GEMINI_RESPONSE = """
            {
              "candidates": [{"content": {"parts": [{"text": "Hello"}], "role": "model"}, "finishReason": "STOP", "index": 0}],
              "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 2, "totalTokenCount": 9},
              "modelVersion": "gemini-2.5-flash"
            }
            """;

    private static FixtureServer server;

    @BeforeAll
    static void startServer() {
        server = FixtureServer.builder().build().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.wireMock().resetAll();
    }

    @Test
    void openAiChatParsesTheServersAnswer() {
        // GIVEN
        server.stub(post(urlPathEqualTo(OPENAI_PATH)).willReturn(json(OPENAI_RESPONSE)));

        // WHEN
        ChatResponse response = ask(FixtureModels.openAiChat(server, "gpt-4o-mini"));

        // THEN
        assertThat(response.aiMessage().text()).isEqualTo("Hello");
        assertUsage(response, 9, 2, 11);
    }

    @Test
    void openAiChatSendsThePlaybackKeyAsBearerToken() {
        // GIVEN
        server.stub(post(urlPathEqualTo(OPENAI_PATH)).willReturn(json(OPENAI_RESPONSE)));

        // WHEN
        ask(FixtureModels.openAiChat(server, "gpt-4o-mini"));

        // THEN
        server.wireMock().verify(1, postRequestedFor(urlPathEqualTo(OPENAI_PATH))
                .withHeader("Authorization", equalTo("Bearer " + FixtureServer.PLACEHOLDER_API_KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini"))));
    }

    @Test
    void openAiChatSendsTheKeyItIsGiven() {
        // GIVEN
        server.stub(post(urlPathEqualTo(OPENAI_PATH)).willReturn(json(OPENAI_RESPONSE)));

        // WHEN
        ask(FixtureModels.openAiChat(server, "gpt-4o-mini", "key-from-the-caller", builder -> {}));

        // THEN
        server.wireMock().verify(1, postRequestedFor(urlPathEqualTo(OPENAI_PATH))
                .withHeader("Authorization", equalTo("Bearer key-from-the-caller")));
    }

    @Test
    void openAiChatAppliesSettingsAfterTheDefaults() {
        // GIVEN
        server.stub(post(urlPathEqualTo(OPENAI_PATH)).willReturn(json(OPENAI_RESPONSE)));

        // WHEN
        ask(FixtureModels.openAiChat(server, "gpt-4o-mini", builder -> builder.modelName("gpt-4.1-nano").temperature(0.0)));

        // THEN
        server.wireMock().verify(1, postRequestedFor(urlPathEqualTo(OPENAI_PATH))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4.1-nano")))
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.0"))));
    }

    @Test
    void openAiChatDoesNotRetryAServerError() {
        // GIVEN
        server.stub(post(anyUrl()).willReturn(serverError()));

        // WHEN
        ChatModel model = FixtureModels.openAiChat(server, "gpt-4o-mini");

        // THEN
        assertThatThrownBy(() -> ask(model)).isInstanceOf(InternalServerException.class);
        assertThat(server.wireMock().getAllServeEvents()).hasSize(1);
    }

    @Test
    void openAiStreamingParsesTheServersStream() throws Exception {
        // GIVEN
        server.stub(post(urlPathEqualTo(OPENAI_PATH)).willReturn(eventStream(OPENAI_STREAM)));

        // WHEN
        ChatResponse response = askStreaming(FixtureModels.openAiStreaming(server, "gpt-4o-mini"));

        // THEN
        assertThat(response.aiMessage().text()).isEqualTo("Hello");
        assertUsage(response, 9, 2, 11);
        server.wireMock().verify(postRequestedFor(urlPathEqualTo(OPENAI_PATH))
                .withHeader("Authorization", equalTo("Bearer " + FixtureServer.PLACEHOLDER_API_KEY))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true"))));
    }

    @Test
    void anthropicChatParsesTheServersAnswer() {
        // GIVEN
        server.stub(post(urlPathEqualTo(ANTHROPIC_PATH)).willReturn(json(ANTHROPIC_RESPONSE)));

        // WHEN
        ChatResponse response = ask(FixtureModels.anthropicChat(server, "claude-haiku-4-5"));

        // THEN
        assertThat(response.aiMessage().text()).isEqualTo("Hello");
        assertUsage(response, 12, 2, 14);
    }

    @Test
    void anthropicChatSendsThePlaybackKeyAsApiKeyHeader() {
        // GIVEN
        server.stub(post(urlPathEqualTo(ANTHROPIC_PATH)).willReturn(json(ANTHROPIC_RESPONSE)));

        // WHEN
        ask(FixtureModels.anthropicChat(server, "claude-haiku-4-5"));

        // THEN
        server.wireMock().verify(1, postRequestedFor(urlPathEqualTo(ANTHROPIC_PATH))
                .withHeader("x-api-key", equalTo(FixtureServer.PLACEHOLDER_API_KEY))
                .withHeader("anthropic-version", equalTo("2023-06-01"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("claude-haiku-4-5"))));
    }

    @Test
    void anthropicChatDoesNotRetryAServerError() {
        // GIVEN
        server.stub(post(anyUrl()).willReturn(serverError()));

        // WHEN
        ChatModel model = FixtureModels.anthropicChat(server, "claude-haiku-4-5");

        // THEN
        assertThatThrownBy(() -> ask(model)).isInstanceOf(InternalServerException.class);
        assertThat(server.wireMock().getAllServeEvents()).hasSize(1);
    }

    @Test
    void anthropicStreamingParsesTheServersStream() throws Exception {
        // GIVEN
        server.stub(post(urlPathEqualTo(ANTHROPIC_PATH)).willReturn(eventStream(ANTHROPIC_STREAM)));

        // WHEN
        ChatResponse response = askStreaming(FixtureModels.anthropicStreaming(server, "claude-haiku-4-5"));

        // THEN
        assertThat(response.aiMessage().text()).isEqualTo("Hello");
        assertUsage(response, 12, 2, 14);
        server.wireMock().verify(postRequestedFor(urlPathEqualTo(ANTHROPIC_PATH))
                .withHeader("x-api-key", equalTo(FixtureServer.PLACEHOLDER_API_KEY))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true"))));
    }

    @Test
    void geminiChatParsesTheServersAnswer() {
        // GIVEN
        server.stub(post(urlPathEqualTo(GEMINI_PATH)).willReturn(json(GEMINI_RESPONSE)));

        // WHEN
        ChatResponse response = ask(FixtureModels.geminiChat(server, "gemini-2.5-flash"));

        // THEN
        assertThat(response.aiMessage().text()).isEqualTo("Hello");
        assertUsage(response, 7, 2, 9);
    }

    @Test
    void geminiChatSendsThePlaybackKeyAsHeaderNotInTheUrl() {
        // GIVEN
        server.stub(post(urlPathEqualTo(GEMINI_PATH)).willReturn(json(GEMINI_RESPONSE)));

        // WHEN
        ask(FixtureModels.geminiChat(server, "gemini-2.5-flash"));

        // THEN
        server.wireMock().verify(1, postRequestedFor(urlPathEqualTo(GEMINI_PATH))
                .withHeader("x-goog-api-key", equalTo(FixtureServer.PLACEHOLDER_API_KEY)));
        assertThat(server.wireMock().getAllServeEvents()).singleElement()
                .satisfies(event -> assertThat(event.getRequest().getUrl()).isEqualTo(GEMINI_PATH));
    }

    @Test
    void geminiChatDoesNotRetryAServerError() {
        // GIVEN
        server.stub(post(anyUrl()).willReturn(serverError()));

        // WHEN
        ChatModel model = FixtureModels.geminiChat(server, "gemini-2.5-flash");

        // THEN
        assertThatThrownBy(() -> ask(model)).isInstanceOf(InternalServerException.class);
        assertThat(server.wireMock().getAllServeEvents()).hasSize(1);
    }

    @Test
    void rejectsAServerThatIsNotStarted() {
        // GIVEN
        FixtureServer stopped = FixtureServer.builder().build();

        // WHEN / THEN
        assertThatThrownBy(() -> FixtureModels.openAiChat(stopped, "gpt-4o-mini"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not running")
                .hasMessageContaining("start()");
    }

    @Test
    void rejectsABlankModelNameShowingIt() {
        // WHEN / THEN
        assertThatThrownBy(() -> FixtureModels.anthropicChat(server, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modelName must not be blank, but was ' '");
    }

    // Compared field by field: each provider returns its own TokenUsage subclass.
    private static void assertUsage(ChatResponse response, int input, int output, int total) {
        TokenUsage usage = response.tokenUsage();
        assertThat(usage.inputTokenCount()).as("input tokens").isEqualTo(input);
        assertThat(usage.outputTokenCount()).as("output tokens").isEqualTo(output);
        assertThat(usage.totalTokenCount()).as("total tokens").isEqualTo(total);
    }

    private static ChatResponse ask(ChatModel model) {
        return model.chat(ChatRequest.builder().messages(UserMessage.from("Say hello")).build());
    }

    private static ChatResponse askStreaming(StreamingChatModel model) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(ChatRequest.builder().messages(UserMessage.from("Say hello")).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {}

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static ResponseDefinitionBuilder eventStream(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }

    private static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
    }
}
