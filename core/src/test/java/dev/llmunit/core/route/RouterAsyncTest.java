package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.blockingUntilInterrupted;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterAsyncTest {

    private static final ChatRequest REQUEST = request("Answer later");
    private static final String EXECUTOR_THREAD = "router-async-test";

    /** One thread, so that its termination proves the routing task has finished. */
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> new Thread(task, EXECUTOR_THREAD));

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void completesWithTheResponseOnTheGivenExecutor() throws Exception {
        // GIVEN a router with its own executor
        ScriptedChatModel a = answering("from a");
        Router router = Router.builder().executor(executor).provider("a", a).build();

        // WHEN routing asynchronously
        RoutedResponse response = router.routeAsync(REQUEST).get(5, TimeUnit.SECONDS);

        // THEN the response arrives, and the provider was called on the executor's thread
        assertThat(response.provider()).isEqualTo("a");
        assertThat(response.chatResponse()).isSameAs(a.response());
        assertThat(a.lastThreadName()).isEqualTo(EXECUTOR_THREAD);
    }

    @Test
    void runsOnSharedDaemonThreadsByDefault() throws Exception {
        // GIVEN a router without an executor
        ScriptedChatModel a = answering("from a");
        Router router = Router.builder().provider("a", a).build();

        // WHEN routing asynchronously
        router.routeAsync(REQUEST).get(5, TimeUnit.SECONDS);

        // THEN a router thread made the call
        assertThat(a.lastThreadName()).startsWith("llmunit-router-");
    }

    @Test
    void completesExceptionallyWithANonFallbackFailure() {
        // GIVEN a provider rejecting the request
        Router router = Router.builder().executor(executor)
                .provider("a", failingWith(ScriptedChatModel::invalidRequest))
                .build();

        // WHEN routing asynchronously
        CompletableFuture<RoutedResponse> future = router.routeAsync(REQUEST);

        // THEN the future fails with the LlmException itself
        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LlmException.InvalidRequest.class);
    }

    @Test
    void completesExceptionallyWhenAllProvidersFail() {
        // GIVEN two unavailable providers
        Router router = Router.builder().executor(executor)
                .retry(r -> r.maxRetries(0))
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .provider("b", failingWith(ScriptedChatModel::unavailable))
                .build();

        // WHEN routing asynchronously
        CompletableFuture<RoutedResponse> future = router.routeAsync(REQUEST);

        // THEN the future fails with AllProvidersFailed
        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(LlmException.AllProvidersFailed.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
                    assertThat(failure.attempts()).hasSize(2);
                });
    }

    @Test
    void cancellingInterruptsABlockedCallAndMakesNoFurtherAttempt() throws Exception {
        // GIVEN a call blocked inside provider a, with b as a fallback
        ScriptedChatModel a = blockingUntilInterrupted();
        ScriptedChatModel b = answering("from b");
        Router router = Router.builder().executor(executor)
                .provider("a", a)
                .provider("b", b)
                .build();
        CompletableFuture<RoutedResponse> future = router.routeAsync(REQUEST);
        assertThat(a.awaitStarted()).isTrue();

        // WHEN the future is cancelled
        assertThat(future.cancel(true)).isTrue();

        // THEN a's call sees the interrupt, routing ends, and neither a retry nor b follows
        assertThat(a.awaitInterrupted()).isTrue();
        executor.shutdown();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(future).isCancelled();
        assertThat(a.calls()).isEqualTo(1);
        assertThat(b.calls()).isZero();
        assertThat(router.health("a").inFlight()).isZero();
    }

    @Test
    void cancellingDuringABackoffWaitMakesNoFurtherAttempt() throws Exception {
        // GIVEN a rate-limited provider whose retry waits 10 s, with b as a fallback
        ScriptedChatModel a = failingWith(ScriptedChatModel::rateLimited);
        ScriptedChatModel b = answering("from b");
        CountDownLatch waiting = new CountDownLatch(1);
        Router router = Router.builder().executor(executor)
                .retry(r -> r.maxRetries(2).initialBackoff(Duration.ofSeconds(10)).jitter(0.0))
                .onRetry(event -> waiting.countDown())
                .provider("a", a)
                .provider("b", b)
                .build();
        CompletableFuture<RoutedResponse> future = router.routeAsync(REQUEST);
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

        // WHEN the future is cancelled during the wait
        assertThat(future.cancel(true)).isTrue();

        // THEN routing ends well before the wait would have, without a retry or a fallback
        executor.shutdown();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(a.calls()).isEqualTo(1);
        assertThat(b.calls()).isZero();
    }

    @Test
    void routeAsyncReturnsAFailedFutureWhenTheExecutorRejectsTheTask() {
        // GIVEN a router whose executor refuses every task
        ScriptedChatModel a = answering("never");
        Router router = Router.builder()
                .executor(task -> {
                    throw new RejectedExecutionException("pool is shut down");
                })
                .provider("a", a)
                .build();

        // WHEN routing asynchronously
        CompletableFuture<RoutedResponse> future = router.routeAsync(request("Hello"));

        // THEN the future fails with the rejection instead of the call throwing, and no provider was called
        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::join).hasCauseInstanceOf(RejectedExecutionException.class);
        assertThat(a.calls()).isZero();
    }
}
