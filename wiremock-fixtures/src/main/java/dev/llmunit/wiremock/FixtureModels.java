package dev.llmunit.wiremock;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicChatModel.AnthropicChatModelBuilder;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel.GoogleAiGeminiChatModelBuilder;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel.OpenAiChatModelBuilder;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder;
import dev.llmunit.core.http.LlmHttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j models pointed at a {@link FixtureServer}, configured the way llmunit needs them:
 * base URL {@link FixtureServer#baseUrl(LlmProvider)}, {@link LlmHttpClient} (keeps the headers of
 * error responses), no client-side retries ({@code maxRetries(0)}: the router retries, and client
 * retries would multiply with its own), timeout {@link #DEFAULT_TIMEOUT}, and the API key given
 * or {@link FixtureServer#clientApiKey(LlmProvider) the server's client key}.
 *
 * <pre>{@code
 * try (FixtureServer server = FixtureServer.builder().build().start()) {
 *     ChatModel openai = FixtureModels.openAiChat(server, "gpt-4o-mini");
 *     ChatModel claude = FixtureModels.anthropicChat(server, "claude-haiku-4-5", b -> b.maxTokens(256));
 *     // an explicit key: the server replaces it with the real key when it records, so it can be anything
 *     ChatModel keyed = FixtureModels.openAiChat(server, "gpt-4o-mini", "any-key", b -> {});
 * }
 * }</pre>
 *
 * <p>Each factory has three forms: defaults; defaults with a trailing settings lambda
 * (Kotlin: {@code openAiChat(server, "gpt-4o-mini") { it.temperature(0.0) }}), which runs after
 * the defaults and so may override any of them; and an explicit API key with settings. The default
 * key is {@link FixtureServer#clientApiKey(LlmProvider)}: a placeholder in every mode but live (the
 * server itself sends the real key upstream when recording), the real key in live mode. This class
 * never reads the environment.
 *
 * <p>Streaming models have no {@code maxRetries} setting in LangChain4j 1.19: they never retry.
 * Ollama is left out: its LangChain4j module is not available at 1.19 in this build.
 */
public final class FixtureModels {

    /**
     * The connect and read timeout of every model: 60 seconds, long enough for a real provider
     * reached through the server while recording. Override it in the settings lambda.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private FixtureModels() {}

    /**
     * An OpenAI chat model ({@code POST /chat/completions}) playing from the server, with
     * {@link FixtureServer#clientApiKey(LlmProvider) the server's client key}.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gpt-4o-mini}
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static OpenAiChatModel openAiChat(FixtureServer server, String modelName) {
        return openAiChat(server, modelName, server.clientApiKey(LlmProvider.OPENAI), builder -> {});
    }

    /**
     * An OpenAI chat model playing from the server, with {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} and extra settings.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gpt-4o-mini}
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static OpenAiChatModel openAiChat(FixtureServer server, String modelName,
            Consumer<OpenAiChatModelBuilder> settings) {
        return openAiChat(server, modelName, server.clientApiKey(LlmProvider.OPENAI), settings);
    }

    /**
     * An OpenAI chat model talking to the server with the given key.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gpt-4o-mini}
     * @param apiKey the key to send as {@code Authorization: Bearer}; {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} in playback
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started, or the model name or key is blank
     */
    public static OpenAiChatModel openAiChat(FixtureServer server, String modelName, String apiKey,
            Consumer<OpenAiChatModelBuilder> settings) {
        OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                .baseUrl(baseUrl(server, LlmProvider.OPENAI))
                .apiKey(requireText(apiKey, "apiKey"))
                .modelName(requireText(modelName, "modelName"))
                .httpClientBuilder(LlmHttpClient.builder())
                .maxRetries(0)
                .timeout(DEFAULT_TIMEOUT);
        Objects.requireNonNull(settings, "settings").accept(builder);
        return builder.build();
    }

    /**
     * An OpenAI streaming chat model playing from the server, with {@link FixtureServer#clientApiKey(LlmProvider) the server's client key}.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gpt-4o-mini}
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static OpenAiStreamingChatModel openAiStreaming(FixtureServer server, String modelName) {
        return openAiStreaming(server, modelName, server.clientApiKey(LlmProvider.OPENAI), builder -> {});
    }

    /**
     * An OpenAI streaming chat model playing from the server, with {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} and extra settings.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gpt-4o-mini}
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static OpenAiStreamingChatModel openAiStreaming(FixtureServer server, String modelName,
            Consumer<OpenAiStreamingChatModelBuilder> settings) {
        return openAiStreaming(server, modelName, server.clientApiKey(LlmProvider.OPENAI), settings);
    }

    /**
     * An OpenAI streaming chat model talking to the server with the given key.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gpt-4o-mini}
     * @param apiKey the key to send as {@code Authorization: Bearer}; {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} in playback
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started, or the model name or key is blank
     */
    public static OpenAiStreamingChatModel openAiStreaming(FixtureServer server, String modelName, String apiKey,
            Consumer<OpenAiStreamingChatModelBuilder> settings) {
        OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
                .baseUrl(baseUrl(server, LlmProvider.OPENAI))
                .apiKey(requireText(apiKey, "apiKey"))
                .modelName(requireText(modelName, "modelName"))
                .httpClientBuilder(LlmHttpClient.builder())
                .timeout(DEFAULT_TIMEOUT);
        Objects.requireNonNull(settings, "settings").accept(builder);
        return builder.build();
    }

    /**
     * An Anthropic chat model ({@code POST /messages}) playing from the server, with
     * {@link FixtureServer#clientApiKey(LlmProvider) the server's client key}.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code claude-haiku-4-5}
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static AnthropicChatModel anthropicChat(FixtureServer server, String modelName) {
        return anthropicChat(server, modelName, server.clientApiKey(LlmProvider.ANTHROPIC), builder -> {});
    }

    /**
     * An Anthropic chat model playing from the server, with {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} and extra settings.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code claude-haiku-4-5}
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static AnthropicChatModel anthropicChat(FixtureServer server, String modelName,
            Consumer<AnthropicChatModelBuilder> settings) {
        return anthropicChat(server, modelName, server.clientApiKey(LlmProvider.ANTHROPIC), settings);
    }

    /**
     * An Anthropic chat model talking to the server with the given key.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code claude-haiku-4-5}
     * @param apiKey the key to send as {@code x-api-key}; {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} in playback
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started, or the model name or key is blank
     */
    public static AnthropicChatModel anthropicChat(FixtureServer server, String modelName, String apiKey,
            Consumer<AnthropicChatModelBuilder> settings) {
        AnthropicChatModelBuilder builder = AnthropicChatModel.builder()
                .baseUrl(baseUrl(server, LlmProvider.ANTHROPIC))
                .apiKey(requireText(apiKey, "apiKey"))
                .modelName(requireText(modelName, "modelName"))
                .httpClientBuilder(LlmHttpClient.builder())
                .maxRetries(0)
                .timeout(DEFAULT_TIMEOUT);
        Objects.requireNonNull(settings, "settings").accept(builder);
        return builder.build();
    }

    /**
     * An Anthropic streaming chat model playing from the server, with {@link FixtureServer#clientApiKey(LlmProvider) the server's client key}.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code claude-haiku-4-5}
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static AnthropicStreamingChatModel anthropicStreaming(FixtureServer server, String modelName) {
        return anthropicStreaming(server, modelName, server.clientApiKey(LlmProvider.ANTHROPIC), builder -> {});
    }

    /**
     * An Anthropic streaming chat model playing from the server, with {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} and extra settings.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code claude-haiku-4-5}
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static AnthropicStreamingChatModel anthropicStreaming(FixtureServer server, String modelName,
            Consumer<AnthropicStreamingChatModelBuilder> settings) {
        return anthropicStreaming(server, modelName, server.clientApiKey(LlmProvider.ANTHROPIC), settings);
    }

    /**
     * An Anthropic streaming chat model talking to the server with the given key.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code claude-haiku-4-5}
     * @param apiKey the key to send as {@code x-api-key}; {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} in playback
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started, or the model name or key is blank
     */
    public static AnthropicStreamingChatModel anthropicStreaming(FixtureServer server, String modelName, String apiKey,
            Consumer<AnthropicStreamingChatModelBuilder> settings) {
        AnthropicStreamingChatModelBuilder builder = AnthropicStreamingChatModel.builder()
                .baseUrl(baseUrl(server, LlmProvider.ANTHROPIC))
                .apiKey(requireText(apiKey, "apiKey"))
                .modelName(requireText(modelName, "modelName"))
                .httpClientBuilder(LlmHttpClient.builder())
                .timeout(DEFAULT_TIMEOUT);
        Objects.requireNonNull(settings, "settings").accept(builder);
        return builder.build();
    }

    /**
     * A Gemini chat model ({@code POST /models/{model}:generateContent}) playing from the server,
     * with {@link FixtureServer#clientApiKey(LlmProvider) the server's client key}.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gemini-2.5-flash}
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static GoogleAiGeminiChatModel geminiChat(FixtureServer server, String modelName) {
        return geminiChat(server, modelName, server.clientApiKey(LlmProvider.GEMINI), builder -> {});
    }

    /**
     * A Gemini chat model playing from the server, with {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} and extra settings.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gemini-2.5-flash}
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started or the model name is blank
     */
    public static GoogleAiGeminiChatModel geminiChat(FixtureServer server, String modelName,
            Consumer<GoogleAiGeminiChatModelBuilder> settings) {
        return geminiChat(server, modelName, server.clientApiKey(LlmProvider.GEMINI), settings);
    }

    /**
     * A Gemini chat model talking to the server with the given key.
     *
     * @param server a started fixture server
     * @param modelName the model, such as {@code gemini-2.5-flash}
     * @param apiKey the key to send as {@code x-goog-api-key} (never as {@code ?key=}, so it
     *     stays out of recorded URLs); {@link FixtureServer#clientApiKey(LlmProvider) the server's client key} in playback
     * @param settings applied after llmunit's defaults, so it may override them
     * @return the model
     * @throws IllegalArgumentException when the server is not started, or the model name or key is blank
     */
    public static GoogleAiGeminiChatModel geminiChat(FixtureServer server, String modelName, String apiKey,
            Consumer<GoogleAiGeminiChatModelBuilder> settings) {
        GoogleAiGeminiChatModelBuilder builder = GoogleAiGeminiChatModel.builder()
                .baseUrl(baseUrl(server, LlmProvider.GEMINI))
                .apiKey(requireText(apiKey, "apiKey"))
                .modelName(requireText(modelName, "modelName"))
                .httpClientBuilder(LlmHttpClient.builder())
                .maxRetries(0)
                .timeout(DEFAULT_TIMEOUT);
        Objects.requireNonNull(settings, "settings").accept(builder);
        return builder.build();
    }

    // The clients append their own paths to this base URL: OpenAI "/chat/completions", Anthropic
    // "/messages", Gemini "/models/{model}:generateContent", matching each LlmProvider.basePath().
    private static String baseUrl(FixtureServer server, LlmProvider provider) {
        Objects.requireNonNull(server, "server");
        if (!server.wireMock().isRunning()) {
            throw new IllegalArgumentException("the fixture server is not running; call start() before building a "
                    + provider.id() + " model on it");
        }
        return server.baseUrl(provider);
    }

    private static String requireText(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, but was " + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }
}
