package dev.llmunit.samples.triage;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmunit.core.http.LlmHttpClient;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RouterBuilder;
import java.time.Duration;

/**
 * Builds the production models of the triage service: OpenAI {@value #OPENAI_MODEL} first,
 * Anthropic {@value #ANTHROPIC_MODEL} as the fallback when OpenAI is throttled, down or refuses
 * the key. Base URLs are parameters so tests (and proxies) can point the same wiring elsewhere.
 *
 * <pre>{@code
 * Router router = TriageModels.router(
 *         new TriageModels.Endpoint("https://api.openai.com/v1", System.getenv("OPENAI_API_KEY")),
 *         new TriageModels.Endpoint("https://api.anthropic.com/v1", System.getenv("ANTHROPIC_API_KEY")));
 * }</pre>
 */
public final class TriageModels {

    /**
     * Where one provider's API lives and the key to call it with.
     *
     * @param baseUrl the API root, such as {@code https://api.openai.com/v1}
     * @param apiKey the API key; never printed
     */
    public record Endpoint(String baseUrl, String apiKey) {

        /** Rejects blank values here, where the configuration enters, rather than on the first call. */
        public Endpoint {
            if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL such as https://api.openai.com/v1, but was '"
                        + baseUrl + "'");
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey for " + baseUrl + " must not be blank");
            }
        }

        /** Prints the URL only: endpoints end up in logs, keys must not. */
        @Override
        public String toString() {
            return "Endpoint[" + baseUrl + ", apiKey=***]";
        }
    }

    /** The router's name for the OpenAI provider. */
    public static final String OPENAI = "openai";
    /** The router's name for the Anthropic provider. */
    public static final String ANTHROPIC = "anthropic";
    /** The OpenAI model: cheap and fast enough for classification. */
    public static final String OPENAI_MODEL = "gpt-4o-mini";
    /** The Anthropic model used as fallback. */
    public static final String ANTHROPIC_MODEL = "claude-haiku-4-5";
    /** Per-call HTTP timeout: a triage answer is short, so a slow call is a stuck call. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    // A triage answer is a few dozen tokens of JSON; the cap bounds the cost of a runaway answer.
    private static final int MAX_OUTPUT_TOKENS = 256;

    private TriageModels() {}

    /**
     * The OpenAI chat model, ready to be routed.
     *
     * @param endpoint the API root (such as {@code https://api.openai.com/v1}) and key
     * @return a model with provider-side retries off
     */
    public static ChatModel openAi(Endpoint endpoint) {
        return OpenAiChatModel.builder()
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(OPENAI_MODEL)
                .temperature(0.0) // the same ticket should land in the same queue
                .maxCompletionTokens(MAX_OUTPUT_TOKENS)
                .timeout(TIMEOUT)
                .maxRetries(0) // the router retries; client retries would multiply with its own
                .httpClientBuilder(LlmHttpClient.builder()) // keeps Retry-After on error responses
                .build();
    }

    /**
     * The Anthropic chat model, ready to be routed.
     *
     * @param endpoint the API root (such as {@code https://api.anthropic.com/v1}) and key
     * @return a model with provider-side retries off
     */
    public static ChatModel anthropic(Endpoint endpoint) {
        return AnthropicChatModel.builder()
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(ANTHROPIC_MODEL)
                .temperature(0.0)
                .maxTokens(MAX_OUTPUT_TOKENS)
                .timeout(TIMEOUT)
                .maxRetries(0)
                .httpClientBuilder(LlmHttpClient.builder())
                .build();
    }

    /**
     * A router builder with both providers added, OpenAI first, for callers that add their own
     * settings (metrics, retry timing, listeners) before {@link RouterBuilder#build()}.
     *
     * @param openAi the OpenAI endpoint
     * @param anthropic the Anthropic endpoint
     * @return a builder with the two providers and router defaults otherwise
     */
    public static RouterBuilder routerBuilder(Endpoint openAi, Endpoint anthropic) {
        return Router.builder()
                .provider(OPENAI, openAi(openAi), p -> p.priority(0))
                .provider(ANTHROPIC, anthropic(anthropic), p -> p.priority(1));
    }

    /**
     * The production router: OpenAI first, Anthropic as fallback, router defaults otherwise.
     *
     * @param openAi the OpenAI endpoint
     * @param anthropic the Anthropic endpoint
     * @return a thread-safe router; build one and share it
     */
    public static Router router(Endpoint openAi, Endpoint anthropic) {
        return routerBuilder(openAi, anthropic).build();
    }
}
