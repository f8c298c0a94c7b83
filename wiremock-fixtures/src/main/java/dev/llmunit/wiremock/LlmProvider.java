package dev.llmunit.wiremock;

import java.net.URI;

/**
 * The provider APIs a {@link FixtureServer} serves, each under its own base path so one server
 * plays several providers at once.
 */
public enum LlmProvider {
    /** OpenAI chat completions: {@code POST {baseUrl}/chat/completions}. */
    OPENAI("openai", "/openai/v1", URI.create("https://api.openai.com/v1"), "OPENAI_API_KEY"),
    /** Anthropic messages: {@code POST {baseUrl}/messages}. */
    ANTHROPIC("anthropic", "/anthropic/v1", URI.create("https://api.anthropic.com/v1"), "ANTHROPIC_API_KEY"),
    /** Google Gemini: {@code POST {baseUrl}/models/{model}:generateContent}. */
    GEMINI("gemini", "/gemini/v1beta", URI.create("https://generativelanguage.googleapis.com/v1beta"), "GEMINI_API_KEY");

    private final String id;
    private final String basePath;
    private final URI defaultUpstream;
    private final String apiKeyVariable;

    LlmProvider(String id, String basePath, URI defaultUpstream, String apiKeyVariable) {
        this.id = id;
        this.basePath = basePath;
        this.defaultUpstream = defaultUpstream;
        this.apiKeyVariable = apiKeyVariable;
    }

    /**
     * The short name used in settings ({@code llmunit.upstream.openai}), file names and metadata.
     *
     * @return the id, such as {@code openai}
     */
    public String id() {
        return id;
    }

    /**
     * The path on the fixture server that plays this provider's base URL.
     *
     * @return the path, such as {@code /openai/v1}
     */
    public String basePath() {
        return basePath;
    }

    /**
     * The real provider's base URL, used when recording unless {@code llmunit.upstream.<id>} says otherwise.
     *
     * @return the upstream base URL
     */
    public URI defaultUpstream() {
        return defaultUpstream;
    }

    /**
     * The environment variable holding the API key, read only in record, auto and live modes.
     *
     * @return the variable name, such as {@code OPENAI_API_KEY}
     */
    public String apiKeyVariable() {
        return apiKeyVariable;
    }

    /**
     * The provider with an id.
     *
     * @param id such as {@code openai}
     * @return the provider, or null when no provider has the id
     */
    public static @org.jspecify.annotations.Nullable LlmProvider forId(String id) {
        for (LlmProvider provider : values()) {
            if (provider.id.equals(id)) {
                return provider;
            }
        }
        return null;
    }

    /**
     * The provider whose default base path starts a request path (a fixture server may play a
     * provider elsewhere, under a path prefix its fixture set uses: see {@code FixtureServer.baseUrl}).
     *
     * @param path a request path such as {@code /openai/v1/chat/completions}
     * @return the provider, or null when no provider serves the path
     */
    public static @org.jspecify.annotations.Nullable LlmProvider forPath(String path) {
        for (LlmProvider provider : values()) {
            if (path.startsWith(provider.basePath + "/") || path.equals(provider.basePath)) {
                return provider;
            }
        }
        return null;
    }
}
