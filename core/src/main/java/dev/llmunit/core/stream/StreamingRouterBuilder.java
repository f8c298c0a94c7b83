package dev.llmunit.core.stream;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.llmunit.core.internal.DefaultRouter;
import dev.llmunit.core.internal.DefaultStreamingRouter;
import dev.llmunit.core.internal.StreamingConfig;
import dev.llmunit.core.internal.StreamingProviderModel;
import dev.llmunit.core.route.ProviderSettings;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RouterBuilder;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds a {@link StreamingRouter}. The routing itself (strategy, retry, circuit breaker,
 * fallback kinds, attempt cap, prices, budgets, metrics, observations, executor) is a
 * {@link RouterBuilder}'s, set through {@link #routing(Consumer)}: one pipeline, the same settings
 * and defaults as the plain router. Defaults of its own: {@link MidStreamPolicy#FAIL},
 * {@value #DEFAULT_MAX_RESTARTS} restarts, no stream timeouts, {@link #DEFAULT_CONTINUE_PROMPT}.
 */
public final class StreamingRouterBuilder {

    /** Default cap on restarts (or continuations) of one call's answer: {@value}. */
    public static final int DEFAULT_MAX_RESTARTS = 2;

    /** The user message that asks for the rest of an answer under {@link MidStreamPolicy#CONTINUE}. */
    public static final String DEFAULT_CONTINUE_PROMPT =
            "Your previous message was cut off. Continue it exactly where it stopped, without repeating any of it.";

    private final RouterBuilder routing = Router.builder();
    private int providers;
    private MidStreamPolicy policy = MidStreamPolicy.FAIL;
    private int maxRestarts = DEFAULT_MAX_RESTARTS;
    private final StreamTimeouts timeouts = new StreamTimeouts();
    private String continuePrompt = DEFAULT_CONTINUE_PROMPT;

    StreamingRouterBuilder() {}

    /**
     * Adds a streaming provider with default settings.
     *
     * @param name a unique name, used in attempts, health and metrics
     * @param model the LangChain4j streaming model
     * @return this builder
     */
    public StreamingRouterBuilder provider(String name, StreamingChatModel model) {
        return provider(name, model, settings -> {});
    }

    /**
     * Adds a streaming provider and sets its attributes, as {@link RouterBuilder#provider(String,
     * dev.langchain4j.model.chat.ChatModel, Consumer)} does. A provider without streaming can be
     * added with {@code routing(r -> r.provider(name, chatModel))}: it answers in one chunk.
     *
     * @param name a unique name, used in attempts, health and metrics
     * @param model the LangChain4j streaming model
     * @param configure sets weight, priority, model name, input window, concurrency limit
     * @return this builder
     */
    public StreamingRouterBuilder provider(String name, StreamingChatModel model, Consumer<ProviderSettings> configure) {
        Objects.requireNonNull(model, () -> "model of provider '" + name + "' must not be null");
        routing.provider(name, new StreamingProviderModel(model), configure);
        providers++;
        return this;
    }

    /**
     * Configures the routing pipeline: everything {@link RouterBuilder} sets.
     *
     * @param configure receives the router builder
     * @return this builder
     */
    public StreamingRouterBuilder routing(Consumer<RouterBuilder> configure) {
        Objects.requireNonNull(configure, "configure must not be null").accept(routing);
        return this;
    }

    /**
     * What to do when a stream fails after its first token.
     *
     * @param policy the policy (default {@link MidStreamPolicy#FAIL})
     * @return this builder
     */
    public StreamingRouterBuilder midStreamPolicy(MidStreamPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "midStreamPolicy must not be null; use FAIL, RESTART or CONTINUE");
        return this;
    }

    /**
     * How many times one call may restart or continue its answer; each also takes an attempt of
     * the router's attempt cap.
     *
     * @param maxRestarts at least 0 (default {@value #DEFAULT_MAX_RESTARTS})
     * @return this builder
     */
    public StreamingRouterBuilder maxRestarts(int maxRestarts) {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be at least 0, but was " + maxRestarts);
        }
        this.maxRestarts = maxRestarts;
        return this;
    }

    /**
     * Sets the stream timeouts: time to first token, between tokens, total.
     *
     * @param configure receives the timeouts
     * @return this builder
     */
    public StreamingRouterBuilder timeouts(Consumer<StreamTimeouts> configure) {
        Objects.requireNonNull(configure, "configure must not be null").accept(timeouts);
        return this;
    }

    /**
     * The user message sent after the partial answer to ask for the rest, under
     * {@link MidStreamPolicy#CONTINUE}.
     *
     * @param prompt not blank (default {@link #DEFAULT_CONTINUE_PROMPT})
     * @return this builder
     */
    public StreamingRouterBuilder continuePrompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("continuePrompt must not be blank, but was '" + prompt + "'");
        }
        this.continuePrompt = prompt;
        return this;
    }

    /**
     * Builds the streaming router.
     *
     * @return a thread-safe streaming router
     * @throws IllegalStateException when no provider was added
     */
    public StreamingRouter build() {
        if (providers == 0) {
            throw new IllegalStateException("a streaming router needs at least one streaming provider: call provider(name, "
                    + "streamingModel) before build()");
        }
        StreamTimeouts snapshot = timeouts.copy();
        return new DefaultStreamingRouter((DefaultRouter) routing.build(), new StreamingConfig(policy, maxRestarts,
                snapshot.firstToken(), snapshot.betweenTokens(), snapshot.total(), continuePrompt));
    }
}
