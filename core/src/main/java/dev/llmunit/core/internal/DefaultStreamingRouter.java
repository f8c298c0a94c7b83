package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.stream.MidStreamPolicy;
import dev.llmunit.core.stream.StreamedResponse;
import dev.llmunit.core.stream.StreamingRouter;
import dev.llmunit.core.trace.StreamTiming;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link StreamingRouter} implementation: each call runs the plain router's provider pipeline
 * (strategy, fallback, retry, breakers, budgets, cost, trace, metrics, observation) on the router's
 * executor with a {@link StreamExchange} as the step that talks to providers.
 */
public final class DefaultStreamingRouter implements StreamingRouter {

    private final DefaultRouter router;
    private final StreamingConfig config;

    /**
     * Builds the streaming router over a plain router whose providers are streaming models.
     *
     * @param router the router built from the same builder
     * @param config the streaming settings
     */
    public DefaultStreamingRouter(DefaultRouter router, StreamingConfig config) {
        this.router = Objects.requireNonNull(router, "router");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public CompletableFuture<StreamedResponse> route(ChatRequest request, StreamingChatResponseHandler handler) {
        return start(request, handler, "StreamingRouter.route");
    }

    private CompletableFuture<StreamedResponse> start(ChatRequest request, StreamingChatResponseHandler handler, String method) {
        CallArguments.request(request, method);
        CallArguments.required(handler, method + "(request, handler)", "handler",
                "pass a StreamingChatResponseHandler (onPartialResponse, onCompleteResponse, onError) to receive the answer");
        StreamRun run = new StreamRun(request, handler);
        try {
            router.executor().execute(run);
        } catch (RejectedExecutionException rejected) {
            run.fail(rejected);
        }
        return run;
    }

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        start(request, handler, "StreamingRouter.chat");
    }

    @Override
    public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
        start(request, handler, "StreamingRouter.chat");
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        start(request, handler, "StreamingRouter.doChat");
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return router.supportedCapabilities();
    }

    @Override
    public Router router() {
        return router;
    }

    @Override
    public List<String> providers() {
        return router.providers();
    }

    @Override
    public MidStreamPolicy midStreamPolicy() {
        return config.policy();
    }

    @Override
    public String toString() {
        return "StreamingRouter" + router.providers() + " " + config.policy();
    }

    /**
     * One streamed call on the executor. Cancelling it (or the handle its handler receives with
     * each chunk) interrupts the routing thread, which abandons the stream and makes no further
     * attempt; the handler hears nothing more.
     */
    private final class StreamRun extends InterruptibleTask<StreamedResponse> implements StreamingHandle {
        private final ChatRequest request;
        private final StreamingChatResponseHandler handler;
        private volatile boolean cancelled;

        StreamRun(ChatRequest request, StreamingChatResponseHandler handler) {
            this.request = request;
            this.handler = handler;
        }

        @Override
        protected StreamedResponse compute() {
            RoutedResponse routed = router.route(request, new StreamExchange(config, handler, this));
            StreamTiming timing = routed.trace().stream() != null ? routed.trace().stream()
                    : new StreamTiming(routed.trace().totalTime(), Duration.ZERO, 0, null);
            if (!cancelled) {
                try {
                    handler.onCompleteResponse(routed.chatResponse());
                } catch (RuntimeException ignored) {
                    // the handler's own failure; the answer is complete
                }
            }
            return new StreamedResponse(routed, timing);
        }

        @Override
        protected void failed(Throwable failure) {
            if (failure instanceof CancellationException stopped) {
                completeExceptionally(stopped); // cancelled: the handler hears nothing more
            } else if (failure instanceof RuntimeException runtime) {
                fail(runtime);
            } else {
                completeExceptionally(failure);
            }
        }

        void fail(RuntimeException failure) {
            if (!cancelled) {
                try {
                    handler.onError(failure);
                } catch (RuntimeException ignored) {
                    // the failure still completes the future
                }
            }
            completeExceptionally(failure);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancel();
            return isCancelled();
        }

        @Override
        public void cancel() {
            cancelled = true;
            super.cancel(false);
            interruptRunner();
        }
    }
}
