package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad fixtures and settings fail at once, naming the file or setting and saying what would be valid. */
class BadInputTest {

    @TempDir
    Path fixtures;

    @Test
    void aMalformedMappingFileFailsStartNamingTheFileAndLine() throws IOException {
        // GIVEN
        Path mappings = Files.createDirectories(fixtures.resolve("mappings"));
        Files.writeString(mappings.resolve("good.json"), "{\"request\":{\"method\":\"GET\",\"urlPath\":\"/x\"},\"response\":{\"status\":200}}");
        Path broken = mappings.resolve("openai-gpt-4o-mini-0123456789ab.json");
        Files.writeString(broken, "{\n  \"request\": {\"method\": \"POST\",\n  \"response\": {\"status\": 200}\n");
        FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build();

        // WHEN
        Throwable error = catchThrowable(server::start);

        // THEN
        assertThat(error).isInstanceOf(FixtureException.class)
                .hasMessageContaining("Malformed fixture mapping file " + broken.toAbsolutePath())
                .hasMessageContaining("line: 4");
        assertThat(server.wireMock().isRunning()).isFalse();
    }

    @Test
    void aMappingWithoutResponseFailsStartNamingTheFile() throws IOException {
        // GIVEN
        Path mappings = Files.createDirectories(fixtures.resolve("mappings"));
        Files.writeString(mappings.resolve("no-response.json"), "{\"request\":{\"method\":\"GET\",\"urlPath\":\"/x\"}}");

        // WHEN / THEN
        assertThatThrownBy(() -> FixtureServer.builder().fixtureDirectory(fixtures).mode(FixtureMode.PLAYBACK).build().start())
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("no-response.json")
                .hasMessageContaining("has no \"response\"");
    }

    @Test
    void aMappingNamingAMissingBodyFileFailsStartNamingBothFiles() throws IOException {
        // GIVEN
        Path mappings = Files.createDirectories(fixtures.resolve("mappings"));
        Files.writeString(mappings.resolve("orphan.json"),
                "{\"request\":{\"method\":\"GET\",\"urlPath\":\"/x\"},\"response\":{\"status\":200,\"bodyFileName\":\"gone.json\"}}");

        // WHEN / THEN
        assertThatThrownBy(() -> FixtureServer.builder().fixtureDirectory(fixtures).mode(FixtureMode.PLAYBACK).build().start())
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("orphan.json")
                .hasMessageContaining("'gone.json', which does not exist");
    }

    @Test
    void aFixtureDirectoryThatDoesNotExistFailsInPlaybackNamingIt() {
        // GIVEN
        Path missing = fixtures.resolve("no-such-set");

        // WHEN / THEN
        assertThatThrownBy(() -> FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(missing).build())
                .isInstanceOf(FixtureException.class)
                .hasMessage("Fixture directory " + missing.toAbsolutePath() + " does not exist (mode playback);"
                        + " fix the path, or record into it with -Dllmunit.mode=auto");
    }

    @Test
    void aFixtureSetThatIsNowhereFailsNamingBothPlacesLooked() {
        assertThatThrownBy(() -> FixtureServer.builder().mode(FixtureMode.PLAYBACK).projectDirectory(fixtures).fixtureSet("nowhere").build())
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("Fixture set 'nowhere' not found")
                .hasMessageContaining("classpath:llmunit/fixtures/nowhere")
                .hasMessageContaining(fixtures.resolve("src/test/resources/llmunit/fixtures/nowhere").toString());
    }

    @Test
    void anUnknownModeFromTheSystemPropertyFailsNamingPropertyValueAndChoices() {
        String before = System.getProperty(FixtureMode.PROPERTY);
        System.setProperty(FixtureMode.PROPERTY, "replay");
        try {
            assertThatThrownBy(() -> FixtureServer.builder().build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("system property llmunit.mode is 'replay', which is not a fixture mode; use one of playback, record, auto, live");
        } finally {
            if (before == null) {
                System.clearProperty(FixtureMode.PROPERTY);
            } else {
                System.setProperty(FixtureMode.PROPERTY, before);
            }
        }
    }

    @Test
    void anUnknownModeFromAConfigurationParameterFailsNamingIt() {
        assertThatThrownBy(() -> FixtureServer.builder()
                        .configuration(name -> name.equals(FixtureMode.PROPERTY) ? Optional.of("replay") : Optional.empty())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("configuration parameter llmunit.mode is 'replay'");
    }

    @Test
    void aMissingKeyInRecordModeFailsStartNamingProviderAndVariable() {
        // GIVEN
        FixtureServer server = FixtureServer.builder()
                .mode(FixtureMode.RECORD)
                .fixtureDirectory(fixtures)
                .providers(LlmProvider.OPENAI, LlmProvider.ANTHROPIC)
                .apiKey(LlmProvider.ANTHROPIC, FakeProviders.ANTHROPIC_KEY)
                .environment(name -> null)
                .build();

        // WHEN
        Throwable error = catchThrowable(server::start);

        // THEN
        assertThat(error).isInstanceOf(FixtureException.class)
                .hasMessageStartingWith("llmunit cannot record openai in record mode: no API key. Set the environment variable OPENAI_API_KEY")
                .hasMessageNotContaining("ANTHROPIC_API_KEY");
        assertThat(server.wireMock().isRunning()).isFalse();
    }

    @Test
    void aMissingKeyOfAnUndeclaredProviderFailsItsFirstRequestWithoutCallingTheProvider() {
        try (FakeProviders upstream = FakeProviders.start();
                FixtureServer server = FixtureServer.builder()
                        .mode(FixtureMode.AUTO)
                        .fixtureDirectory(fixtures)
                        .upstream(LlmProvider.OPENAI, upstream.openAiUpstream())
                        .environment(name -> null)
                        .build()
                        .start()) {
            // WHEN
            Throwable error = catchThrowable(() -> Clients.chat(Clients.openAi(server), "Hi"));

            // THEN
            assertThat(error).hasMessageContaining("llmunit cannot record openai in auto mode: no API key")
                    .hasMessageContaining("OPENAI_API_KEY");
            assertThat(upstream.openAiCalls()).isZero();
            assertThat(server.recordedFixtures()).isEmpty();
        }
    }

    @Test
    void anUnreachableUpstreamFailsTheRequestNamingTheUpstreamSetting() {
        try (FixtureServer server = FixtureServer.builder()
                .mode(FixtureMode.RECORD)
                .fixtureDirectory(fixtures)
                .upstream(LlmProvider.OPENAI, URI.create("http://127.0.0.1:1/v1"))
                .apiKey(LlmProvider.OPENAI, FakeProviders.OPENAI_KEY)
                .build()
                .start()) {
            // WHEN
            Throwable error = catchThrowable(() -> Clients.chat(Clients.openAi(server), "Hi"));

            // THEN
            assertThat(error).hasMessageContaining("llmunit could not record openai: POST http://127.0.0.1:1/v1/chat/completions failed")
                    .hasMessageContaining("llmunit.upstream.openai")
                    .hasMessageNotContaining(FakeProviders.OPENAI_KEY);
        }
    }

    @Test
    void anUpstreamSettingWithoutItsApiPathRecordsFromTheProvidersV1() {
        try (FakeProviders upstream = FakeProviders.start()) {
            // GIVEN the setting names the host alone, as users write it (the API lives at <host>/v1)
            String bareHost = upstream.wireMock().baseUrl();
            try (FixtureServer server = FixtureServer.builder()
                    .mode(FixtureMode.RECORD)
                    .fixtureDirectory(fixtures)
                    .configuration(name -> name.equals("llmunit.upstream.openai") ? Optional.of(bareHost) : Optional.empty())
                    .apiKey(LlmProvider.OPENAI, FakeProviders.OPENAI_KEY)
                    .environment(name -> null)
                    .build()
                    .start()) {
                // WHEN
                String answer = Clients.chat(Clients.openAi(server), "Hi").aiMessage().text();

                // THEN the call reached <host>/v1/chat/completions and was recorded
                assertThat(server.upstream(LlmProvider.OPENAI)).hasToString(bareHost + "/v1");
                assertThat(answer).isEqualTo("Echo: Hi");
                assertThat(upstream.openAiCalls()).isEqualTo(1);
                assertThat(server.recordedFixtures()).hasSize(1);
            }
        }
    }

    @Test
    void anUpstreamThatAnswers404FailsTheRequestNamingTheUrlAndTheSetting() {
        try (FakeProviders upstream = FakeProviders.start()) {
            // GIVEN an upstream with a wrong API path, where the provider answers every call 404
            URI wrong = URI.create(upstream.wireMock().baseUrl() + "/api/v2");
            try (FixtureServer server = FixtureServer.builder()
                    .mode(FixtureMode.RECORD)
                    .fixtureDirectory(fixtures)
                    .upstream(LlmProvider.OPENAI, wrong)
                    .apiKey(LlmProvider.OPENAI, FakeProviders.OPENAI_KEY)
                    .environment(name -> null)
                    .build()
                    .start()) {
                // WHEN
                Throwable error = catchThrowable(() -> Clients.chat(Clients.openAi(server), "Hi"));

                // THEN the client's error names the URL tried, the setting and what a base URL looks like; nothing is written
                assertThat(error).hasMessageContaining("llmunit could not record openai: POST " + wrong + "/chat/completions answered 404")
                        .hasMessageContaining("llmunit.upstream.openai")
                        .hasMessageContaining("now " + wrong)
                        .hasMessageContaining("like https://api.openai.com/v1")
                        .hasMessageNotContaining(FakeProviders.OPENAI_KEY);
                assertThat(server.recordedFixtures()).isEmpty();
            }
        }
    }

    @Test
    void recordingNeedsAWritableLocation() {
        assertThatThrownBy(() -> FixtureServer.builder().mode(FixtureMode.RECORD).build())
                .isInstanceOf(FixtureException.class)
                .hasMessage("record mode needs somewhere to write fixtures: call fixtureSet(..) or fixtureDirectory(..) on FixtureServer.builder()");
        assertThatThrownBy(() -> FixtureServer.builder().mode(FixtureMode.AUTO).fixtureClasspath("llmunit/fixtures/x").build())
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("is read-only, so auto mode cannot record into it");
    }

    @Test
    void settersRejectBadValuesNamingThem() {
        FixtureServer.Builder builder = FixtureServer.builder();
        assertThatThrownBy(() -> builder.fixtureSet("../secrets"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("but was '../secrets'");
        assertThatThrownBy(() -> builder.upstream(LlmProvider.OPENAI, URI.create("api.openai.com/v1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("upstream of openai is 'api.openai.com/v1', which is not an absolute http(s) URL");
        assertThatThrownBy(() -> builder.apiKey(LlmProvider.GEMINI, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API key of gemini must not be blank");
        assertThatThrownBy(() -> builder.fixtureClasspath(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUpstreamSettingThatIsNotAUrlFailsNamingTheSetting() {
        assertThatThrownBy(() -> FixtureServer.builder()
                        .configuration(name -> name.equals("llmunit.upstream.anthropic") ? Optional.of("ftp://example") : Optional.empty())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("configuration parameter llmunit.upstream.anthropic is 'ftp://example'");
    }
}
