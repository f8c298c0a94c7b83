package dev.llmunit.wiremock;

import static dev.llmunit.wiremock.LlmProvider.OPENAI;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.FinishReason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI fixtures the DSL writes are read, unchanged, by LangChain4j's OpenAI clients and by
 * the official {@code openai-java} SDK, usage details included.
 */
class OpenAiFixturesWireFidelityTest {

    private static final String QUESTION = "Ticket #4411: I was charged twice for my March invoice. Which queue?";
    private static final String ANSWER = "{\"category\":\"BILLING\"}";
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
    void langChain4jChatModelReadsContentIdModelFinishReasonAndUsageDetails() {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyText(ANSWER, reply -> reply
                .usage(812, 14).cachedTokens(768).reasoningTokens(6)
                .id("chatcmpl-BnQ3xS0vW4Zb1yK2mJ9cP8dR7eF6g").finishReason("length")));

        // WHEN
        ChatResponse response = langChain4j().chat(UserMessage.from(QUESTION));

        // THEN
        assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
        assertThat(response.metadata().id()).isEqualTo("chatcmpl-BnQ3xS0vW4Zb1yK2mJ9cP8dR7eF6g");
        assertThat(response.metadata().modelName()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(response.metadata().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.metadata().tokenUsage()).isInstanceOfSatisfying(OpenAiTokenUsage.class, usage -> {
            assertThat(usage.inputTokenCount()).isEqualTo(812);
            assertThat(usage.outputTokenCount()).isEqualTo(14);
            assertThat(usage.totalTokenCount()).isEqualTo(826);
            assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(768);
            assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(6);
        });
    }

    @Test
    void langChain4jStreamingModelReassemblesTheChunksAndReadsTheUsageChunk() throws Exception {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyStream("Billing team, queue B", reply -> reply
                .usage(40, 6).cachedTokens(32).reasoningTokens(2)));
        List<String> partials = new CopyOnWriteArrayList<>();

        // WHEN
        ChatResponse response = stream(langChain4jStreaming(), partials);

        // THEN
        assertThat(partials).containsExactly("Billing", " team,", " queue", " B");
        assertThat(response.aiMessage().text()).isEqualTo("Billing team, queue B");
        assertThat(response.metadata().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.metadata().modelName()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(response.metadata().tokenUsage()).isInstanceOfSatisfying(OpenAiTokenUsage.class, usage -> {
            assertThat(usage.inputTokenCount()).isEqualTo(40);
            assertThat(usage.outputTokenCount()).isEqualTo(6);
            assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(32);
            assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(2);
        });
    }

    @Test
    void langChain4jStreamingModelSeesExactlyTheDeclaredChunks() throws Exception {
        // GIVEN a multi-byte character split across no chunk boundary, and JSON split mid-token
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyStream("{\"q\":\"bill€\"}", reply -> reply
                .chunks(List.of("{\"q", "\":\"bi", "ll€", "\"}"))));
        List<String> partials = new CopyOnWriteArrayList<>();

        // WHEN
        ChatResponse response = stream(langChain4jStreaming(), partials);

        // THEN
        assertThat(partials).containsExactly("{\"q", "\":\"bi", "ll€", "\"}");
        assertThat(response.aiMessage().text()).isEqualTo("{\"q\":\"bill€\"}");
    }

    // ---- the official SDK ---------------------------------------------------------------------------

    @Test
    @SuppressWarnings("deprecation") // the SDK deprecates systemFingerprint(), but OpenAI still sends the field
    void officialSdkParsesAndValidatesTheCompletion() {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyText(ANSWER, reply -> reply
                .usage(812, 14).cachedTokens(768).reasoningTokens(6).model("gpt-4o-2024-08-06")
                .serviceTier("priority").systemFingerprint("fp_07871e2ad8")));

        // WHEN
        ChatCompletion completion = sdk().chat().completions().create(sdkParams().build());

        // THEN every required field is present and well typed
        completion.validate();
        assertThat(completion.choices()).singleElement().satisfies(choice -> {
            assertThat(choice.message().content()).hasValue(ANSWER);
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            assertThat(choice.index()).isZero();
        });
        assertThat(completion.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(completion.id()).startsWith("chatcmpl-").hasSize("chatcmpl-".length() + 29);
        assertThat(completion.created()).isEqualTo(OpenAiFixtures.DEFAULT_CREATED.getEpochSecond());
        assertThat(completion.serviceTier()).hasValue(ChatCompletion.ServiceTier.PRIORITY);
        assertThat(completion.systemFingerprint()).hasValue("fp_07871e2ad8");
        assertSdkUsage(completion.usage().orElseThrow(), 812, 14, 768, 6);
    }

    @Test
    void officialSdkParsesTheStreamIncludingTheUsageChunk() {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyStream("Billing team, queue B", reply -> reply
                .usage(40, 6).cachedTokens(32).reasoningTokens(2)));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        // WHEN
        try (StreamResponse<ChatCompletionChunk> stream = sdk().chat().completions().createStreaming(sdkParams()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }

        // THEN role chunk, four content chunks, finish chunk, usage chunk ([DONE] ends the stream)
        assertThat(chunks).hasSize(7);
        assertThat(chunks.get(6).choices()).isEmpty();
        ChatCompletion completion = accumulator.chatCompletion();
        assertThat(completion.choices().get(0).message().content()).hasValue("Billing team, queue B");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertSdkUsage(completion.usage().orElseThrow(), 40, 6, 32, 2);
    }

    // ---- the bytes ----------------------------------------------------------------------------------

    @Test
    void servesTheSameBodyTheBodyTextHelperWrites() throws Exception {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyText(ANSWER, reply -> reply.usage(812, 14)));

        // WHEN
        HttpResponse<String> response = post("{\"model\":\"gpt-4o-mini\",\"messages\":[]}");

        // THEN
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(OpenAiFixtures.chatCompletionJson(ANSWER, reply -> reply.usage(812, 14)));
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).matches("req_[0-9a-f]{32}"));
        assertThat(response.headers().firstValue("openai-version")).hasValue("2020-10-01");
    }

    @Test
    void writesEveryFieldOfAChatCompletion() throws Exception {
        // WHEN
        JsonNode completion = JSON.readTree(OpenAiFixtures.chatCompletionJson(ANSWER, reply -> reply
                .usage(812, 14).cachedTokens(768).created(Instant.ofEpochSecond(1_700_000_000L))));

        // THEN
        assertThat(fieldNames(completion)).containsExactly(
                "id", "object", "created", "model", "choices", "usage", "service_tier", "system_fingerprint");
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("created").asLong()).isEqualTo(1_700_000_000L);
        JsonNode choice = completion.get("choices").get(0);
        assertThat(fieldNames(choice)).containsExactly("index", "message", "logprobs", "finish_reason");
        assertThat(fieldNames(choice.get("message"))).containsExactly("role", "content", "refusal", "annotations");
        assertThat(choice.get("message").get("refusal").isNull()).isTrue();
        JsonNode usage = completion.get("usage");
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(826);
        assertThat(fieldNames(usage.get("prompt_tokens_details"))).containsExactly("cached_tokens", "audio_tokens");
        assertThat(fieldNames(usage.get("completion_tokens_details")))
                .containsExactly("reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens");
    }

    @Test
    void streamsDataLinesWithNullUsageThenAUsageChunkWithoutChoicesThenDone() throws Exception {
        // WHEN
        String body = OpenAiFixtures.chatCompletionStream("Billing team", reply -> reply.usage(12, 2));

        // THEN
        List<String> events = List.of(body.split("\n\n"));
        assertThat(events).allSatisfy(event -> assertThat(event).startsWith("data: "));
        assertThat(events).last().isEqualTo("data: [DONE]");
        assertThat(body).endsWith("data: [DONE]\n\n");
        List<JsonNode> chunks = new ArrayList<>();
        for (String event : events.subList(0, events.size() - 1)) {
            chunks.add(JSON.readTree(event.substring("data: ".length())));
        }
        assertThat(chunks).hasSize(5).allSatisfy(chunk -> assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.subList(0, 4)).allSatisfy(chunk -> assertThat(chunk.get("usage").isNull()).isTrue());
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks.get(3).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.get(4).get("choices")).isEmpty();
        assertThat(chunks.get(4).at("/usage/prompt_tokens").asInt()).isEqualTo(12);
        assertThat(chunks.get(4).at("/usage/completion_tokens").asInt()).isEqualTo(2);
        assertThat(chunks).extracting(chunk -> chunk.get("id").asText()).containsOnly(chunks.get(0).get("id").asText());
    }

    @Test
    void writesTheSameFixtureTwiceByteForByte() {
        // WHEN
        String first = OpenAiFixtures.chatCompletionStream(ANSWER, reply -> reply.usage(812, 14));
        String second = OpenAiFixtures.chatCompletionStream(ANSWER, reply -> reply.usage(812, 14));

        // THEN ids derive from content and model, never from the clock or a random source
        assertThat(first).isEqualTo(second);
        assertThat(OpenAiFixtures.chatCompletionJson("other")).isNotEqualTo(OpenAiFixtures.chatCompletionJson(ANSWER));
    }

    @Test
    void defaultsUsageToTenPromptTokensAndAWordPerCompletionToken() throws Exception {
        // WHEN
        JsonNode completion = JSON.readTree(OpenAiFixtures.chatCompletionJson("three small words"));

        // THEN
        assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(OpenAiFixtures.DEFAULT_PROMPT_TOKENS);
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(completion.get("model").asText()).isEqualTo(OpenAiFixtures.DEFAULT_MODEL);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void assertSdkUsage(CompletionUsage usage, long prompt, long completion, long cached, long reasoning) {
        assertThat(usage.promptTokens()).isEqualTo(prompt);
        assertThat(usage.completionTokens()).isEqualTo(completion);
        assertThat(usage.totalTokens()).isEqualTo(prompt + completion);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(cached);
        assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).hasValue(reasoning);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static ChatResponse stream(dev.langchain4j.model.chat.StreamingChatModel model, List<String> partials) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(QUESTION, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                partials.add(partialResponse);
            }

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

    private static OpenAiChatModel langChain4j() {
        return OpenAiChatModel.builder()
                .baseUrl(server.baseUrl(OPENAI))
                .apiKey("test-key")
                .modelName("gpt-4o-mini")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static OpenAiStreamingChatModel langChain4jStreaming() {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl(OPENAI))
                .apiKey("test-key")
                .modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static OpenAIClient sdk() {
        // The SDK appends /chat/completions to a base URL that includes /v1, as the fixture server's does.
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl(OPENAI)).apiKey("test-key").maxRetries(0).build();
    }

    private static ChatCompletionCreateParams.Builder sdkParams() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(QUESTION);
    }

    private static HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.wireMock().baseUrl() + OpenAiFixtures.PATH))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
