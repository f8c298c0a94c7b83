package dev.llmunit.core.route;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.error.ErrorAggregator;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.error.ProviderHealth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A LangChain4j {@link ChatModel} that routes each request over named providers: a
 * {@link RoutingStrategy} orders them, each attempt goes through the provider's circuit breaker
 * and retry (exponential backoff with jitter, honouring {@code Retry-After}), and a classified
 * failure falls back to the next provider. It drops into any LangChain4j code, {@code AiServices}
 * included.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .provider("openai", openAiModel)                        // build provider models with maxRetries(0)
 *         .provider("anthropic", anthropicModel, p -> p.priority(1))
 *         .strategy(RoutingStrategy.priority())
 *         .build();
 * RoutedResponse answer = router.route(ChatRequest.builder().messages(UserMessage.from("Hi")).build());
 * answer.provider();   // "openai", or "anthropic" after a fallback
 * }</pre>
 *
 * <p>The router owns retrying: build provider clients with {@code maxRetries(0)}, or every router
 * retry multiplies with the client's own. Thread-safe; build one and share it.
 */
public interface Router extends ChatModel {

    /**
     * Starts a router builder.
     *
     * @return a new builder
     */
    static RouterBuilder builder() {
        return new RouterBuilder();
    }

    /**
     * Routes a request and returns the response with the provider that served it and every attempt.
     *
     * @param request the LangChain4j chat request
     * @return the response and its attempts
     * @throws LlmException the failure that stopped routing: {@link LlmException.AllProvidersFailed}
     *     when every allowed provider failed, or the failure itself (earlier providers' failures
     *     attached as suppressed) when its kind does not fall back
     * @throws java.util.concurrent.CancellationException when the routing thread is interrupted
     * @throws IllegalArgumentException when {@code request} is null, naming the method and what to pass
     */
    RoutedResponse route(ChatRequest request);

    /**
     * Routes a request on the router's executor. Cancelling the future interrupts the routing
     * thread, which stops the running HTTP call or backoff wait and makes no further attempt.
     *
     * @param request the LangChain4j chat request
     * @return a future of the routed response, completed exceptionally with an {@link LlmException}
     *     (or the executor's rejection)
     * @throws IllegalArgumentException at once, on the caller's thread, when {@code request} is null
     */
    CompletableFuture<RoutedResponse> routeAsync(ChatRequest request);

    /**
     * Routes a request and returns the plain LangChain4j response.
     *
     * @param request the LangChain4j chat request
     * @return the serving provider's response
     * @throws LlmException as {@link #route(ChatRequest)}
     */
    @Override
    ChatResponse chat(ChatRequest request);

    /**
     * The provider names in priority order.
     *
     * @return an immutable list
     */
    List<String> providers();

    /**
     * The circuit breaker state of one provider. An open breaker turns half-open lazily: on the
     * first call after its wait, not when the wait ends.
     *
     * @param provider a provider name
     * @return the state now
     * @throws IllegalArgumentException when the router has no such provider
     */
    CircuitState circuitState(String provider);

    /**
     * A health snapshot of one provider.
     *
     * @param provider a provider name
     * @return breaker state, error rate and counts, latency percentiles, in-flight calls
     * @throws IllegalArgumentException when the router has no such provider
     */
    ProviderHealth health(String provider);

    /**
     * Health snapshots of every provider.
     *
     * @return provider name to health, in priority order
     */
    Map<String, ProviderHealth> health();

    /**
     * The failures counted per provider and kind since the router was built.
     *
     * @return the router's live aggregator
     */
    ErrorAggregator errors();
}
