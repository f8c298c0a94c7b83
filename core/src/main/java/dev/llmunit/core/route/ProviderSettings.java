package dev.llmunit.core.route;

import org.jspecify.annotations.Nullable;

/**
 * The attributes of one provider, set in {@link RouterBuilder#provider(String,
 * dev.langchain4j.model.chat.ChatModel, java.util.function.Consumer)}:
 *
 * <pre>{@code
 * .provider("anthropic", claude, p -> p.modelName("claude-haiku-4-5").weight(3).priority(2).maxConcurrentCalls(8))
 * }</pre>
 */
public final class ProviderSettings {

    private final String name;
    private @Nullable String modelName;
    private int weight = 1;
    private @Nullable Integer priority;
    private @Nullable Integer maxInputTokens;
    private int maxConcurrentCalls;

    ProviderSettings(String name) {
        this.name = name;
    }

    /**
     * The model name used for pricing and reports. Default: the model's own default model name
     * ({@code defaultRequestParameters().modelName()}), which LangChain4j provider models set.
     *
     * @param modelName a catalog model name such as {@code gpt-4o-mini}
     * @return these settings
     */
    public ProviderSettings modelName(String modelName) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName of provider '" + name + "' must not be blank, but was '" + modelName + "'");
        }
        this.modelName = modelName;
        return this;
    }

    /**
     * The weight for {@link RoutingStrategy#weighted()}; 0 keeps the provider for fallback only.
     *
     * @param weight at least 0 (default 1)
     * @return these settings
     */
    public ProviderSettings weight(int weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("weight of provider '" + name + "' must be at least 0, but was " + weight);
        }
        this.weight = weight;
        return this;
    }

    /**
     * The priority; lower is tried first. Default: the order in which providers were added.
     *
     * @param priority any integer
     * @return these settings
     */
    public ProviderSettings priority(int priority) {
        this.priority = priority;
        return this;
    }

    /**
     * The model's input window in tokens. Default: {@code max_input_tokens} from the price catalog.
     *
     * @param maxInputTokens at least 1
     * @return these settings
     */
    public ProviderSettings maxInputTokens(int maxInputTokens) {
        if (maxInputTokens < 1) {
            throw new IllegalArgumentException("maxInputTokens of provider '" + name + "' must be at least 1, but was " + maxInputTokens);
        }
        this.maxInputTokens = maxInputTokens;
        return this;
    }

    /**
     * The most calls to this provider at once; a call beyond it is not made and falls back.
     *
     * @param maxConcurrentCalls at least 1 (default: unlimited)
     * @return these settings
     */
    public ProviderSettings maxConcurrentCalls(int maxConcurrentCalls) {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls of provider '" + name + "' must be at least 1, but was " + maxConcurrentCalls);
        }
        this.maxConcurrentCalls = maxConcurrentCalls;
        return this;
    }

    /** @return the provider name */
    public String name() {
        return name;
    }

    /** @return the configured model name, or null to take the model's own */
    public @Nullable String modelName() {
        return modelName;
    }

    /** @return the weight */
    public int weight() {
        return weight;
    }

    /** @return the configured priority, or null for declaration order */
    public @Nullable Integer priority() {
        return priority;
    }

    /** @return the configured input window, or null to take the catalog's */
    public @Nullable Integer maxInputTokens() {
        return maxInputTokens;
    }

    /** @return the concurrency limit, 0 for unlimited */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }
}
