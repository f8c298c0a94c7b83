package dev.llmunit.junit.internal;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.http.HttpExchangeCapture;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.stream.MidStreamPolicy;
import dev.llmunit.core.stream.RoutedStreamingHandler;
import dev.llmunit.core.stream.StreamedResponse;
import dev.llmunit.core.stream.StreamingRouter;
import dev.llmunit.wiremock.FixtureServer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StreamingRouter} the extension injects: the real streaming router, with every call
 * written to the ledger of the running test, its time to first token and tokens per second
 * included. The handler's final callback ({@code onCompleteResponse} or {@code onError}) is held
 * back until the call is in the ledger, so a test that waits for it always finds the call there.
 */
public final class RecordingStreamingRouter implements StreamingRouter {

    private final StreamingRouter delegate;
    private final String source;
    private final Supplier<CallLedger> ledger;
    private final IntSupplier sample;

    /**
     * Wraps a streaming router.
     *
     * @param delegate the router that does the work
     * @param source the name calls are recorded under, such as {@code router}
     * @param ledger the ledger to record into, asked at each call
     * @param sample the sample each call asks for ({@value FixtureServer#SAMPLE_HEADER}); 1 sends no header
     */
    public RecordingStreamingRouter(StreamingRouter delegate, String source, Supplier<CallLedger> ledger, IntSupplier sample) {
        this.delegate = delegate;
        this.source = source;
        this.ledger = ledger;
        this.sample = sample;
    }

    /**
     * The router this one records for.
     *
     * @return the wrapped router
     */
    public StreamingRouter delegate() {
        return delegate;
    }

    @Override
    public CompletableFuture<StreamedResponse> route(ChatRequest request, StreamingChatResponseHandler handler) {
        CallLedger target = ledger.get();
        HttpExchangeCapture capture = ForwardingRouter.captureForSample(sample.getAsInt());
        HeldBack held = new HeldBack(handler);
        long start = System.nanoTime();
        // The streaming router carries the capture to its routing thread, where the HTTP calls are made.
        CompletableFuture<StreamedResponse> routed = capture.run(() -> delegate.route(request, held));
        CompletableFuture<StreamedResponse> recorded = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                routed.cancel(mayInterruptIfRunning);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        routed.whenComplete((response, failure) -> {
            long wall = System.nanoTime() - start;
            try {
                if (response != null) {
                    target.add(sequence -> CallFactory.build(sequence, source, request, response.trace().attempts(),
                            capture.exchanges(), wall, response.chatResponse(), response.provider(), null, response.timing()));
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof LlmException llm) {
                        target.add(sequence -> CallFactory.build(sequence, source, request, llm.attempts(), capture.exchanges(), wall,
                                null, null, llm.kind()));
                    }
                }
            } finally {
                held.release();
                if (response != null) {
                    recorded.complete(response);
                } else {
                    recorded.completeExceptionally(failure);
                }
            }
        });
        return recorded;
    }

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        route(request, handler);
    }

    @Override
    public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
        route(request, handler);
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        route(request, handler);
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }

    @Override
    public Router router() {
        return delegate.router();
    }

    @Override
    public List<String> providers() {
        return delegate.providers();
    }

    @Override
    public MidStreamPolicy midStreamPolicy() {
        return delegate.midStreamPolicy();
    }

    @Override
    public String toString() {
        return delegate + " (recorded by llmunit as '" + source + "')";
    }

    /** Passes chunks on at once and the final callback only when {@link #release()} says the call is recorded. */
    private static final class HeldBack implements RoutedStreamingHandler {
        private final StreamingChatResponseHandler handler;
        private volatile @Nullable ChatResponse completed;
        private volatile @Nullable Throwable failed;

        HeldBack(StreamingChatResponseHandler handler) {
            this.handler = handler;
        }

        void release() {
            ChatResponse response = completed;
            Throwable error = failed;
            if (response != null) {
                handler.onCompleteResponse(response);
            } else if (error != null) {
                handler.onError(error);
            }
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            handler.onPartialResponse(partial, context);
        }

        @Override
        public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
            handler.onPartialThinking(thinking, context);
        }

        @Override
        public void onPartialToolCall(PartialToolCall toolCall, PartialToolCallContext context) {
            handler.onPartialToolCall(toolCall, context);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall toolCall) {
            handler.onCompleteToolCall(toolCall);
        }

        @Override
        public void onRestart(LlmException.StreamInterrupted interruption) {
            if (handler instanceof RoutedStreamingHandler routed) {
                routed.onRestart(interruption);
            }
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            completed = response;
        }

        @Override
        public void onError(Throwable error) {
            failed = error;
        }
    }
}
