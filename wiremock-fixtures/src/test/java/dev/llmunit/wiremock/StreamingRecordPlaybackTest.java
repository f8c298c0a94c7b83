package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmunit.core.stream.StreamedResponse;
import dev.llmunit.core.stream.StreamingRouter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed answer routed through the streaming router is recorded by the fixture server like any
 * other, then played back with the provider gone: the same chunks, text, usage and cost.
 */
class StreamingRecordPlaybackTest {

    private static final String PROMPT = "What is the capital of France?";

    @TempDir
    Path fixtures;

    @Test
    void recordsAStreamedAnswerAndPlaysItBackChunkForChunk() throws Exception {
        // GIVEN one streamed answer recorded from a fake provider
        StreamedResponse recorded;
        List<String> recordedChunks = new CopyOnWriteArrayList<>();
        try (FakeProviders upstream = FakeProviders.start();
                FixtureServer server = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
            recorded = route(server, recordedChunks);
        }

        // WHEN it is played back
        StreamedResponse played;
        List<String> playedChunks = new CopyOnWriteArrayList<>();
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            played = route(server, playedChunks);
            assertThat(server.missingFixtures()).isEmpty();
        }

        // THEN
        assertThat(recorded.chatResponse().aiMessage().text()).isEqualTo("Streamed hello");
        assertThat(playedChunks).isEqualTo(recordedChunks).containsExactly("Streamed", " hello");
        assertThat(played.chatResponse().aiMessage().text()).isEqualTo(recorded.chatResponse().aiMessage().text());
        assertThat(played.chatResponse().metadata().tokenUsage()).isEqualTo(recorded.chatResponse().metadata().tokenUsage());
        assertThat(played.cost()).isEqualTo(recorded.cost());
        assertThat(played.timing().outputTokens()).isEqualTo(recorded.timing().outputTokens());
    }

    private static StreamedResponse route(FixtureServer server, List<String> chunks) throws Exception {
        StreamingRouter router = StreamingRouter.builder()
                .provider("openai", FixtureModels.openAiStreaming(server, "gpt-4o-mini"))
                .build();
        return router.route(ChatRequest.builder().messages(UserMessage.from(PROMPT)).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                chunks.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {}

            @Override
            public void onError(Throwable error) {}
        }).get(20, TimeUnit.SECONDS);
    }
}
