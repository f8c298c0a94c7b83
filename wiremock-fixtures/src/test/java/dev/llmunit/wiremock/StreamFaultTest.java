package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream faults as the official OpenAI and Anthropic SDKs meet them on the wire: a cut after N
 * chunks is an error after exactly those chunks, a stall only delays (its padding is invisible),
 * a malformed chunk fails the stream; and bad fault settings fail where they are written.
 */
class StreamFaultTest {

    private static final String QUESTION = "Ticket #4411: I was charged twice for my March invoice. Which queue?";
    private static final String ANSWER = "Billing team, queue B";

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
    void openAiSdkReadsTheChunksBeforeTheCutThenFails() {
        // GIVEN role chunk, "Billing", " team," then the cut
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(3))));
        List<String> deltas = new ArrayList<>();

        // WHEN
        Throwable failure = catchThrowable(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = openAiSdk().chat().completions().createStreaming(openAiParams())) {
                stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(deltas::add)));
            }
        });

        // THEN
        assertThat(failure).isNotNull();
        assertThat(deltas).containsExactly("", "Billing", " team,");
    }

    @Test
    void openAiSdkSeesEveryChunkOfAStalledStreamAndIgnoresThePadding() {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(2, Duration.ofMillis(400)))));
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        // WHEN
        long start = System.nanoTime();
        try (StreamResponse<ChatCompletionChunk> stream = openAiSdk().chat().completions().createStreaming(openAiParams())) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunks.add(chunk);
            });
        }

        // THEN role chunk, four words, finish chunk, usage chunk, after at least the stall
        assertThat(chunks).hasSize(7);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void openAiSdkFailsOnTheMalformedChunk() {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.malformedChunk(3))));
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        // WHEN
        Throwable failure = catchThrowable(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = openAiSdk().chat().completions().createStreaming(openAiParams())) {
                stream.stream().forEach(chunks::add);
            }
        });

        // THEN
        assertThat(failure).isNotNull();
        assertThat(chunks).hasSize(2);
    }

    @Test
    void anthropicSdkReadsTheEventsBeforeTheCutThenFails() {
        // GIVEN message_start, content_block_start, ping, one delta, then the cut
        server.stub(AnthropicFixtures.messages().anyRequest().replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(4))));
        List<String> texts = new ArrayList<>();

        // WHEN
        Throwable failure = catchThrowable(() -> {
            try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
                    anthropicSdk().messages().createStreaming(anthropicParams())) {
                stream.stream().forEach(event -> event.contentBlockDelta()
                        .flatMap(delta -> delta.delta().text()).ifPresent(text -> texts.add(text.text())));
            }
        });

        // THEN
        assertThat(failure).isNotNull();
        assertThat(texts).containsExactly("Billing");
    }

    @Test
    void anthropicSdkSeesEveryEventOfAStalledStream() {
        // GIVEN
        server.stub(AnthropicFixtures.messages().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(4, Duration.ofMillis(300)))));
        List<String> texts = new ArrayList<>();

        // WHEN
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
                anthropicSdk().messages().createStreaming(anthropicParams())) {
            stream.stream().forEach(event -> {
                event.validate();
                event.contentBlockDelta().flatMap(delta -> delta.delta().text()).ifPresent(text -> texts.add(text.text()));
            });
        }

        // THEN
        assertThat(String.join("", texts)).isEqualTo(ANSWER);
    }

    @Test
    void theFaultIsNamedInTheStubMetadataAndName() {
        // WHEN
        StubMapping stub = server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(2, Duration.ofMillis(1500)))));

        // THEN
        assertThat(stub.getMetadata().getMetadata("llmunit").getString("streamFault")).isEqualTo("stall_after_2_1500ms");
        assertThat(stub.getName()).endsWith("stall_after_2_1500ms");
    }

    @Test
    void aFaultPastTheEndOfTheStreamIsRefusedWithTheChunkCount() {
        assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(9))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cut_after_9 needs a stream of more chunks, but this reply streams 8 (use 0 to 7)");
    }

    @Test
    void badFaultSettingsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> StreamFault.cutAfter(-1)).hasMessage("cutAfter(chunks) must be at least 0, but was -1");
        assertThatThrownBy(() -> StreamFault.malformedChunk(0)).hasMessage("malformedChunk(chunk) counts from 1, but was 0");
        assertThatThrownBy(() -> StreamFault.stallAfter(1, Duration.ofMillis(5))).hasMessage("stall must be at least 20 ms, but was 5 ms");
    }

    @Test
    void aStreamFaultOnAJsonReplyIsRefused() {
        assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().anyRequest()
                .replyText(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a stream fault applies to replyStream only");
    }

    @Test
    void aStallCannotBeCombinedWithTheFixturesOwnDribble() {
        assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().anyRequest().withChunkedDribble(5, Duration.ofMillis(100))
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(2, Duration.ofMillis(100)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not also declare withChunkedDribble");
    }

    private static OpenAIClient openAiSdk() {
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl(LlmProvider.OPENAI)).apiKey("test-key").maxRetries(0).build();
    }

    private static ChatCompletionCreateParams openAiParams() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(QUESTION).build();
    }

    private static AnthropicClient anthropicSdk() {
        return AnthropicOkHttpClient.builder().baseUrl(server.wireMock().baseUrl() + "/anthropic").apiKey("test-key").maxRetries(0)
                .build();
    }

    private static MessageCreateParams anthropicParams() {
        return MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(256).addUserMessage(QUESTION).build();
    }
}
