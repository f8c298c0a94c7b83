package dev.llmunit.core.stream;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmunit.core.route.Router;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A LangChain4j {@link StreamingChatModel} that routes each request over named streaming providers
 * with the plain {@link Router}'s pipeline: strategy, circuit breakers, classified errors, retry
 * with backoff and {@code Retry-After}, fallback, budgets, cost from the final usage, trace and
 * metrics. Until the first token reaches the handler every failure is retried and falls back
 * unseen; after it, the {@link MidStreamPolicy} decides. Tokens reach the handler as they arrive,
 * on the router's executor thread, one at a time.
 *
 * <pre>{@code
 * StreamingRouter router = StreamingRouter.builder()
 *         .provider("openai", openAiStreamingModel)
 *         .provider("anthropic", anthropicStreamingModel)
 *         .midStreamPolicy(MidStreamPolicy.CONTINUE)
 *         .timeouts(t -> t.firstToken(Duration.ofSeconds(5)).betweenTokens(Duration.ofSeconds(2)))
 *         .routing(r -> r.retry(retry -> retry.maxRetries(1)))
 *         .build();
 * router.chat("Summarise ticket #4411", handler);               // drop-in anywhere LangChain4j streams
 * StreamedResponse done = router.route(request, handler).join(); // or with the trace and timing
 * done.timing().timeToFirstToken();
 * }</pre>
 *
 * <p>Thread-safe; build one and share it.
 */
public interface StreamingRouter extends StreamingChatModel {

    /**
     * Starts a streaming router builder.
     *
     * @return a new builder
     */
    static StreamingRouterBuilder builder() {
        return new StreamingRouterBuilder();
    }

    /**
     * Streams a routed answer to the handler and returns its outcome. The handler hears the
     * chunks, then exactly one of {@code onCompleteResponse} or {@code onError} (an
     * {@link dev.llmunit.core.error.LlmException}: the failure before any token,
     * {@link dev.llmunit.core.error.LlmException.AllProvidersFailed}, or an
     * {@link dev.llmunit.core.error.LlmException.StreamInterrupted} with the partial text), unless the
     * call was cancelled. The future completes after the handler's last callback.
     *
     * @param request the LangChain4j chat request
     * @param handler receives the chunks as they arrive, on the routing thread
     * @return the complete answer with its trace and timing; cancelling it stops the stream
     * @throws IllegalArgumentException at once when {@code request} or {@code handler} is null,
     *     naming the parameter and what to pass
     */
    CompletableFuture<StreamedResponse> route(ChatRequest request, StreamingChatResponseHandler handler);

    /**
     * The plain router under this one: providers' health, circuit states and error counts. Its
     * {@code chat(..)} answers a request without streaming, through the same providers.
     *
     * @return the router
     */
    Router router();

    /**
     * The provider names in priority order.
     *
     * @return an immutable list
     */
    List<String> providers();

    /**
     * What this router does after a failure past the first token.
     *
     * @return the policy
     */
    MidStreamPolicy midStreamPolicy();
}
