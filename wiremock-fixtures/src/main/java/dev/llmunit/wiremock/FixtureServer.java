package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.util.Objects;

/**
 * An embedded WireMock server on 127.0.0.1 that plays LLM providers from fixtures: plain WireMock
 * stub mappings ({@code mappings/*.json}, {@code __files/*}). One server plays several providers
 * at once, each under its {@link LlmProvider#basePath()}, and is safe to share between parallel
 * tests (it never uses WireMock's static DSL).
 *
 * <pre>{@code
 * try (FixtureServer server = FixtureServer.builder().build().start()) {
 *     ChatModel openai = OpenAiChatModel.builder().baseUrl(server.baseUrl(LlmProvider.OPENAI)) ... .build();
 * }
 * }</pre>
 */
public final class FixtureServer implements AutoCloseable {

    private final WireMockServer wireMock;

    private FixtureServer(Builder builder) {
        this.wireMock = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server.
     *
     * @return this server, listening
     */
    public FixtureServer start() {
        wireMock.start();
        return this;
    }

    /**
     * The base URL a provider client should use to reach this server's play of a provider.
     *
     * @param provider the provider
     * @return a URL such as {@code http://127.0.0.1:53412/openai/v1}
     */
    public String baseUrl(LlmProvider provider) {
        return wireMock.baseUrl() + provider.basePath();
    }

    /**
     * Adds a fixture.
     *
     * @param mapping a WireMock mapping, as the fixture DSL builds them
     * @return the stub added
     */
    public StubMapping stub(MappingBuilder mapping) {
        return wireMock.stubFor(Objects.requireNonNull(mapping, "mapping"));
    }

    /**
     * The underlying WireMock server, for what llmunit does not wrap.
     *
     * @return the server
     */
    public WireMockServer wireMock() {
        return wireMock;
    }

    /** Stops the server. */
    @Override
    public void close() {
        wireMock.stop();
    }

    /** Configures a {@link FixtureServer}. */
    public static final class Builder {
        private Builder() {}

        /**
         * Builds the server, not started.
         *
         * @return the server
         */
        public FixtureServer build() {
            return new FixtureServer(this);
        }
    }
}
