package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fixture server's settings, locations and modes. */
class FixtureServerTest {

    private static final String SET = "fixture-server-test";

    @Test
    void playsSeveralProvidersFromANamedSetOnTheClasspath() {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureSet(SET).build().start()) {
            // WHEN
            ChatResponse openAi = Clients.chat(Clients.openAi(server), "Hello");
            ChatResponse anthropic = Clients.chat(Clients.anthropic(server), "Hello");

            // THEN
            assertThat(server.fixtureLocation()).hasValue("classpath:llmunit/fixtures/" + SET);
            assertThat(server.baseUrl(LlmProvider.OPENAI)).matches("http://127\\.0\\.0\\.1:\\d+/openai/v1");
            assertThat(openAi.aiMessage().text()).isEqualTo("Hello from the classpath.");
            assertThat(anthropic.aiMessage().text()).isEqualTo("Hello from the classpath.");
            assertThat(openAi.tokenUsage().totalTokenCount()).isEqualTo(14);
            assertThat(((OpenAiChatResponseMetadata) openAi.metadata()).rawHttpResponse().headers())
                    .containsEntry(FixtureServer.RECORDED_LATENCY_HEADER, java.util.List.of("420"));
        }
    }

    @Test
    void readsAClasspathLocationGivenExplicitly() {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK)
                .fixtureClasspath("/llmunit/fixtures/" + SET + "/").build().start()) {
            assertThat(Clients.chat(Clients.openAi(server), "Hello").aiMessage().text())
                    .isEqualTo("Hello from the classpath.");
        }
    }

    @Test
    void servesHandWrittenStubsBesideTheFixtures() {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureSet(SET).build().start()) {
            // WHEN
            server.stub(get(urlPathEqualTo("/openai/v1/models")).willReturn(okJson("{\"object\":\"list\",\"data\":[]}")));

            // THEN
            assertThat(server.wireMock().getStubMappings()).anyMatch(stub -> "/openai/v1/models".equals(stub.getRequest().getUrlPath()));
        }
    }

    @Test
    void liveModeHandsOutTheUpstreamAndTheRealKeyAndRegistersNoStub() {
        // GIVEN
        FixtureServer server = FixtureServer.builder()
                .mode(FixtureMode.LIVE)
                .upstream(LlmProvider.ANTHROPIC, URI.create("https://anthropic.example.test/v1/"))
                .environment(name -> name.equals("OPENAI_API_KEY") ? "sk-from-environment" : null)
                .build();

        // WHEN
        StubMapping stub = server.stub(get(urlPathEqualTo("/openai/v1/models")).willReturn(okJson("{}")));

        // THEN
        assertThat(server.baseUrl(LlmProvider.OPENAI)).isEqualTo("https://api.openai.com/v1");
        assertThat(server.baseUrl(LlmProvider.ANTHROPIC)).isEqualTo("https://anthropic.example.test/v1");
        assertThat(server.clientApiKey(LlmProvider.OPENAI)).isEqualTo("sk-from-environment");
        assertThatThrownBy(() -> server.clientApiKey(LlmProvider.GEMINI))
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("GEMINI_API_KEY");
        assertThat(stub.getRequest().getUrlPath()).isEqualTo("/openai/v1/models");
        assertThat(server.wireMock().getStubMappings()).isEmpty();
        assertThat(server.fixtureLocation()).isEmpty();
    }

    @Test
    void givesClientsAPlaceholderKeyOutsideLiveModeAndNeverReadsTheEnvironmentInPlayback() {
        // GIVEN
        FixtureServer server = FixtureServer.builder()
                .mode(FixtureMode.PLAYBACK)
                .environment(name -> {
                    throw new AssertionError("read " + name + " in playback");
                })
                .build();

        // WHEN
        try (server) {
            server.start();

            // THEN
            assertThat(server.clientApiKey(LlmProvider.OPENAI)).isEqualTo(FixtureServer.PLACEHOLDER_API_KEY);
        }
    }

    @Test
    void resolvesUpstreamsFromSettingsUnlessTheBuilderSaysOtherwise() {
        // GIVEN
        FixtureServer.Builder builder = FixtureServer.builder().configuration(name -> name.equals("llmunit.upstream.openai")
                ? Optional.of("http://127.0.0.1:9/v1") : Optional.empty());

        // THEN
        assertThat(builder.build().upstream(LlmProvider.OPENAI)).isEqualTo(URI.create("http://127.0.0.1:9/v1"));
        assertThat(builder.build().upstream(LlmProvider.GEMINI)).isEqualTo(LlmProvider.GEMINI.defaultUpstream());
        assertThat(builder.upstream(LlmProvider.OPENAI, URI.create("https://proxy.example.test/v1")).build().upstream(LlmProvider.OPENAI))
                .isEqualTo(URI.create("https://proxy.example.test/v1"));
    }

    @Test
    void resolvesTheModeFromSettingsAndDefaultsToPlayback() {
        assertThat(FixtureServer.builder().build().mode()).isEqualTo(FixtureMode.PLAYBACK);
        assertThat(FixtureServer.builder().configuration(name -> name.equals(FixtureMode.PROPERTY) ? Optional.of("LIVE") : Optional.empty())
                .build().mode()).isEqualTo(FixtureMode.LIVE);
    }

    @Test
    void refusesBaseUrlBeforeStart() {
        assertThatThrownBy(() -> FixtureServer.builder().build().baseUrl(LlmProvider.OPENAI))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call start()");
    }
}
