package dev.llmunit.wiremock;

import static dev.llmunit.wiremock.LlmProvider.ANTHROPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic fixtures the DSL writes are read, unchanged, by LangChain4j's Anthropic clients and
 * by the official {@code anthropic-java} SDK, cache usage included.
 */
class AnthropicFixturesWireFidelityTest {

    private static final String QUESTION = "Ticket #4411: I was charged twice for my March invoice. Which queue?";
    private static final ObjectMapper JSON = new ObjectMapper();

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

    // ---- LangChain4j --------------------------------------------------------------------------------

    @Test
    void langChain4jChatModelReadsContentIdModelStopReasonAndCacheUsage() {
        // GIVEN
        server.stub(AnthropicFixtures.messages().anyRequest().replyText("Billing", reply -> reply
                .usage(3, 4).cacheReadInputTokens(1111).cacheCreationInputTokens(250)
                .id("msg_01XFDUDYJgAACzvnptvVoYEL").stopReason("max_tokens")));

        // WHEN
        ChatResponse response = langChain4j().chat(UserMessage.from(QUESTION));

        // THEN
        assertThat(response.aiMessage().text()).isEqualTo("Billing");
        assertThat(response.metadata().id()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(response.metadata().modelName()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(response.metadata().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.metadata().tokenUsage()).isInstanceOfSatisfying(AnthropicTokenUsage.class, usage -> {
            assertThat(usage.inputTokenCount()).isEqualTo(3);
            assertThat(usage.outputTokenCount()).isEqualTo(4);
            assertThat(usage.cacheReadInputTokens()).isEqualTo(1111);
            assertThat(usage.cacheCreationInputTokens()).isEqualTo(250);
        });
    }

    @Test
    void langChain4jStreamingModelFollowsTheEventSequenceToTheCumulativeUsage() throws Exception {
        // GIVEN
        server.stub(AnthropicFixtures.messages().anyRequest().replyStream("Billing team, queue B", reply -> reply
                .usage(3, 9).cacheReadInputTokens(1111).cacheCreationInputTokens(40)));
        List<String> partials = new CopyOnWriteArrayList<>();

        // WHEN
        ChatResponse response = OpenAiFixturesWireFidelityTest.stream(langChain4jStreaming(), partials);

        // THEN
        assertThat(partials).containsExactly("Billing", " team,", " queue", " B");
        assertThat(response.aiMessage().text()).isEqualTo("Billing team, queue B");
        assertThat(response.metadata().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.metadata().modelName()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(response.metadata().tokenUsage()).isInstanceOfSatisfying(AnthropicTokenUsage.class, usage -> {
            assertThat(usage.inputTokenCount()).isEqualTo(3);
            assertThat(usage.outputTokenCount()).isEqualTo(9); // from message_delta, not message_start's 1
            assertThat(usage.cacheReadInputTokens()).isEqualTo(1111);
            assertThat(usage.cacheCreationInputTokens()).isEqualTo(40);
        });
    }

    // ---- the official SDK ---------------------------------------------------------------------------

    @Test
    void officialSdkParsesAndValidatesTheMessage() {
        // GIVEN
        server.stub(AnthropicFixtures.messages().anyRequest().replyText("Billing", reply -> reply
                .usage(3, 4).cacheReadInputTokens(1111).cacheCreationInputTokens(250).model("claude-sonnet-4-5-20250929")
                .stopSequence("\n\nHuman:")));

        // WHEN
        Message message = sdk().messages().create(sdkParams());

        // THEN every required field is present and well typed
        message.validate();
        assertThat(message.content()).singleElement().satisfies(block -> assertThat(block.asText().text()).isEqualTo("Billing"));
        assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(message.id()).startsWith("msg_01").hasSize("msg_01".length() + 22);
        assertThat(message.stopReason()).hasValue(StopReason.STOP_SEQUENCE);
        assertThat(message.stopSequence()).hasValue("\n\nHuman:");
        assertSdkUsage(message.usage(), 3, 4, 1111, 250);
        assertThat(message.usage().cacheCreation().orElseThrow().ephemeral5mInputTokens()).isEqualTo(250);
        assertThat(message.usage().serviceTier()).hasValue(Usage.ServiceTier.STANDARD);
    }

    @Test
    void officialSdkAccumulatesTheStreamToTheSameMessage() {
        // GIVEN
        server.stub(AnthropicFixtures.messages().anyRequest().replyStream("Billing team, queue B", reply -> reply
                .usage(3, 9).cacheReadInputTokens(1111).cacheCreationInputTokens(40)));
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<String> types = new ArrayList<>();

        // WHEN
        try (StreamResponse<RawMessageStreamEvent> stream = sdk().messages().createStreaming(sdkParams())) {
            stream.stream().forEach(event -> {
                event.validate();
                types.add(event.isMessageStart() ? "message_start"
                        : event.isContentBlockStart() ? "content_block_start"
                        : event.isContentBlockDelta() ? "content_block_delta"
                        : event.isContentBlockStop() ? "content_block_stop"
                        : event.isMessageDelta() ? "message_delta"
                        : "message_stop");
                accumulator.accumulate(event);
            });
        }

        // THEN the SDK consumes the ping itself
        assertThat(types).containsExactly("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        Message message = accumulator.message();
        assertThat(message.content()).singleElement()
                .satisfies(block -> assertThat(block.asText().text()).isEqualTo("Billing team, queue B"));
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertSdkUsage(message.usage(), 3, 9, 1111, 40);
    }

    // ---- the bytes ----------------------------------------------------------------------------------

    @Test
    void writesEveryFieldOfAMessage() throws Exception {
        // WHEN
        JsonNode message = JSON.readTree(AnthropicFixtures.messageJson("Billing", reply -> reply.usage(3, 4).cacheReadInputTokens(1111)));

        // THEN
        assertThat(fieldNames(message)).containsExactly("id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage");
        assertThat(message.get("stop_sequence").isNull()).isTrue();
        assertThat(fieldNames(message.get("usage"))).containsExactly("input_tokens", "cache_creation_input_tokens",
                "cache_read_input_tokens", "cache_creation", "output_tokens", "service_tier");
        assertThat(message.at("/content/0/type").asText()).isEqualTo("text");
    }

    @Test
    void streamsTheEventSequenceWithEventAndDataLines() throws Exception {
        // WHEN
        String body = AnthropicFixtures.messageStream("Billing team", reply -> reply.usage(3, 4).cacheReadInputTokens(1111));

        // THEN
        List<String> names = new ArrayList<>();
        List<JsonNode> data = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            String[] lines = event.split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            names.add(lines[0].substring("event: ".length()));
            data.add(JSON.readTree(lines[1].substring("data: ".length())));
        }
        assertThat(names).containsExactly("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(data).extracting(node -> node.get("type").asText()).isEqualTo(names);
        assertThat(data.get(0).at("/message/usage/input_tokens").asInt()).isEqualTo(3);
        assertThat(data.get(0).at("/message/usage/output_tokens").asInt()).isEqualTo(1);
        assertThat(data.get(3).at("/delta/type").asText()).isEqualTo("text_delta");
        assertThat(data.get(6).at("/delta/stop_reason").asText()).isEqualTo("end_turn");
        assertThat(data.get(6).at("/usage/output_tokens").asInt()).isEqualTo(4);
        assertThat(data.get(6).at("/usage/cache_read_input_tokens").asInt()).isEqualTo(1111);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void assertSdkUsage(Usage usage, long input, long output, long cacheRead, long cacheCreation) {
        assertThat(usage.inputTokens()).isEqualTo(input);
        assertThat(usage.outputTokens()).isEqualTo(output);
        assertThat(usage.cacheReadInputTokens()).hasValue(cacheRead);
        assertThat(usage.cacheCreationInputTokens()).hasValue(cacheCreation);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static AnthropicChatModel langChain4j() {
        return AnthropicChatModel.builder()
                .baseUrl(server.baseUrl(ANTHROPIC))
                .apiKey("test-key")
                .modelName("claude-haiku-4-5")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static AnthropicStreamingChatModel langChain4jStreaming() {
        return AnthropicStreamingChatModel.builder()
                .baseUrl(server.baseUrl(ANTHROPIC))
                .apiKey("test-key")
                .modelName("claude-haiku-4-5")
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static AnthropicClient sdk() {
        // The SDK appends /v1/messages to its base URL, so it gets the provider's path without /v1.
        return AnthropicOkHttpClient.builder()
                .baseUrl(server.wireMock().baseUrl() + "/anthropic")
                .apiKey("test-key")
                .maxRetries(0)
                .build();
    }

    private static MessageCreateParams sdkParams() {
        return MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(256).addUserMessage(QUESTION).build();
    }
}
