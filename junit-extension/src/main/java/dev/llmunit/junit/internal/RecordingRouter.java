package dev.llmunit.junit.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.http.HttpExchangeCapture;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The {@link Router} the extension injects: the real router, with every call it makes written to
 * the ledger of the test that is running. Calls made by code under test that holds this router (an
 * {@code AiServices} proxy, a service class) are recorded the same way, because they go through it.
 */
public final class RecordingRouter extends ForwardingRouter {

    private final String source;
    private final Supplier<CallLedger> ledger;
    private final IntSupplier sample;

    /**
     * Wraps a router.
     *
     * @param delegate the router that does the work
     * @param source the name calls are recorded under, such as {@code router} or {@code openai}
     * @param ledger the ledger to record into, asked at each call (a class-level router records into
     *     whichever test is running on the calling thread)
     */
    public RecordingRouter(Router delegate, String source, Supplier<CallLedger> ledger) {
        this(delegate, source, ledger, () -> 1);
    }

    /**
     * Wraps a router whose requests ask the fixture server for a recorded sample, so the runs of a
     * repeated test play distinct recordings.
     *
     * @param delegate the router that does the work
     * @param source the name calls are recorded under
     * @param ledger the ledger to record into, asked at each call
     * @param sample the sample each call asks for ({@value FixtureServer#SAMPLE_HEADER}); 1 sends no header
     */
    public RecordingRouter(Router delegate, String source, Supplier<CallLedger> ledger, IntSupplier sample) {
        super(delegate);
        this.source = source;
        this.ledger = ledger;
        this.sample = sample;
    }

    private HttpExchangeCapture capture() {
        return captureForSample(sample.getAsInt());
    }

    /**
     * The router this one records for.
     *
     * @return the wrapped router
     */
    public Router delegate() {
        return delegate;
    }

    @Override
    public RoutedResponse route(ChatRequest request) {
        CallLedger target = ledger.get();
        HttpExchangeCapture capture = capture();
        long start = System.nanoTime();
        RoutedResponse response;
        try {
            response = capture.run(() -> delegate.route(request));
        } catch (LlmException failure) {
            recordFailure(target, request, capture, System.nanoTime() - start, failure);
            throw failure;
        }
        record(target, request, capture, System.nanoTime() - start, response);
        return response;
    }

    @Override
    public CompletableFuture<RoutedResponse> routeAsync(ChatRequest request) {
        CallLedger target = ledger.get();
        HttpExchangeCapture capture = capture();
        long start = System.nanoTime();
        CompletableFuture<RoutedResponse> routed = capture.run(() -> delegate.routeAsync(request));
        // The caller gets a future completed only after the call is recorded, so a test that joins it
        // always sees the call in its ledger; cancelling it still cancels (and interrupts) the routing.
        CompletableFuture<RoutedResponse> recorded = new CompletableFuture<>() {
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
                    record(target, request, capture, wall, response);
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof LlmException llm) {
                        recordFailure(target, request, capture, wall, llm);
                    }
                }
            } finally {
                if (response != null) {
                    recorded.complete(response);
                } else {
                    recorded.completeExceptionally(failure);
                }
            }
        });
        return recorded;
    }

    private void record(CallLedger target, ChatRequest request, HttpExchangeCapture capture, long wallNanos, RoutedResponse response) {
        target.add(sequence -> CallFactory.build(sequence, source, request, response.attempts(), capture.exchanges(), wallNanos,
                response.chatResponse(), response.provider(), null));
    }

    private void recordFailure(CallLedger target, ChatRequest request, HttpExchangeCapture capture, long wallNanos,
            LlmException failure) {
        target.add(sequence -> CallFactory.build(sequence, source, request, failure.attempts(), capture.exchanges(), wallNanos,
                null, null, failure.kind()));
    }












    @Override
    public String toString() {
        return delegate + " (recorded by llmunit as '" + source + "')";
    }
}
