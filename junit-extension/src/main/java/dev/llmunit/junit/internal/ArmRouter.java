package dev.llmunit.junit.internal;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.http.HttpExchangeCapture;
import dev.llmunit.core.optimize.OptimizedRequest;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.trace.Trace;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The test's router in an {@link dev.llmunit.junit.OptimizerExperiment}: in arm A it routes as the
 * router would; in arm B each request goes through the optimizer first, and the response's trace
 * carries what the optimizer did. In both arms every answer is scored with the optimizer's scorer,
 * so the arms' quality compares on the same scale.
 */
public final class ArmRouter extends ForwardingRouter {

    private final QueryOptimizer optimizer;
    private volatile boolean optimizing;
    private final List<Double> scores = new CopyOnWriteArrayList<>();

    /**
     * Wraps a test's router.
     *
     * @param delegate the router
     * @param optimizer arm B's optimizer (its scorer scores both arms)
     */
    public ArmRouter(Router delegate, QueryOptimizer optimizer) {
        super(delegate);
        this.optimizer = optimizer;
    }

    /**
     * Starts an arm: clears the scores and sets whether requests are optimized.
     *
     * @param withOptimizer true for arm B
     */
    public void startArm(boolean withOptimizer) {
        scores.clear();
        optimizing = withOptimizer;
    }

    /**
     * The current arm's scores, one per answered call.
     *
     * @return a snapshot
     */
    public List<Double> scores() {
        return List.copyOf(scores);
    }

    @Override
    public RoutedResponse route(ChatRequest request) {
        if (!optimizing) {
            RoutedResponse response = delegate.route(request);
            score(request, response);
            return response;
        }
        OptimizedRequest optimized = optimizer.optimize(request);
        RoutedResponse response = delegate.route(optimized.request());
        Trace trace = response.trace();
        RoutedResponse traced = new RoutedResponse(response.chatResponse(), response.provider(),
                new Trace(trace.sequence(), trace.attempts(), trace.startNanos(), trace.endNanos(), optimized));
        optimizer.learn(optimized, response.chatResponse(), response.cost());
        score(request, traced);
        return traced;
    }

    private void score(ChatRequest original, RoutedResponse response) {
        AiMessage message = response.chatResponse().aiMessage();
        String answer = message == null || message.text() == null ? "" : message.text();
        try {
            double score = optimizer.scorer().score(original, answer);
            if (score >= 0 && score <= 1) {
                scores.add(score);
            }
        } catch (RuntimeException unusable) {
            // an unusable score counts as none, as the optimizer's own learning treats it
        }
    }

    @Override
    public CompletableFuture<RoutedResponse> routeAsync(ChatRequest request) {
        // The caller's capture (the ledger's) is thread-bound: carry it to the routing thread, as the router does.
        HttpExchangeCapture capture = HttpExchangeCapture.current();
        return CompletableFuture.supplyAsync(() -> capture == null ? route(request) : capture.run(() -> route(request)),
                DefaultRouterExecutor.INSTANCE);
    }











    @Override
    public String toString() {
        return delegate + " (optimizer experiment)";
    }

    /** The routers' shared executor, so async calls in an experiment run where the router's would. */
    private static final class DefaultRouterExecutor {
        static final java.util.concurrent.Executor INSTANCE = dev.llmunit.core.internal.DefaultRouter.sharedExecutor();
    }

    /**
     * The router this one wraps.
     *
     * @return the delegate
     */
    public @Nullable Router delegate() {
        return delegate;
    }
}
