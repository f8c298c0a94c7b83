package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auto mode: serve what is recorded, record what is missing. */
class AutoModeTest {

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
    void recordsAMissingFixtureOnceThenServesItFromTheFile() throws IOException {
        try (FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            ChatModel model = Clients.openAi(server);

            // WHEN the same question is asked three times
            String first = Clients.chat(model, "Name a prime number").aiMessage().text();
            String second = Clients.chat(model, "Name a prime number").aiMessage().text();
            String third = Clients.chat(model, "Name a prime number").aiMessage().text();

            // THEN the provider was called once, and the answers are the same
            assertThat(upstream.openAiCalls()).isEqualTo(1);
            assertThat(first).isEqualTo("Echo: Name a prime number").isEqualTo(second).isEqualTo(third);
            assertThat(server.recordedFixtures()).singleElement().satisfies(fixture -> {
                assertThat(fixture.provider()).isEqualTo(LlmProvider.OPENAI);
                assertThat(fixture.mappingFile()).exists();
                assertThat(fixture.bodyFile()).exists();
            });
        }
        assertThat(mappingCount()).isEqualTo(1);
    }

    @Test
    void servesAnExistingFixtureWithoutTheUpstreamAndRecordsOnlyTheMissingOne() throws IOException {
        // GIVEN a fixture recorded by an earlier run
        try (FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            Clients.chat(Clients.anthropic(server), "Recorded before");
        }
        assertThat(upstream.anthropicCalls()).isEqualTo(1);

        // WHEN a new run asks the recorded question and a new one
        try (FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            ChatModel model = Clients.anthropic(server);
            String recorded = Clients.chat(model, "Recorded before").aiMessage().text();
            assertThat(upstream.anthropicCalls()).as("the recorded question is served from its file").isEqualTo(1);
            String fresh = Clients.chat(model, "Asked for the first time").aiMessage().text();

            // THEN only the new question reached the provider
            assertThat(recorded).isEqualTo("Echo: Recorded before");
            assertThat(fresh).isEqualTo("Echo: Asked for the first time");
            assertThat(upstream.anthropicCalls()).isEqualTo(2);
            assertThat(server.recordedFixtures()).hasSize(1);
        }
        assertThat(mappingCount()).isEqualTo(2);
    }

    @Test
    void servesTheFixturesItRecordedInPlaybackModeLater() {
        // GIVEN
        try (FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            Clients.stream(Clients.openAiStreaming(server), "Stream me");
        }
        upstream.close();

        // WHEN
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            String text = Clients.stream(Clients.openAiStreaming(server), "Stream me").aiMessage().text();

            // THEN
            assertThat(text).isEqualTo("Streamed hello");
        }
    }

    private long mappingCount() throws IOException {
        try (Stream<Path> files = Files.list(fixtures.resolve("mappings"))) {
            return files.count();
        }
    }
}
