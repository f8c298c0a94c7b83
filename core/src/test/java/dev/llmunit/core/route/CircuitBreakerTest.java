package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.answeringAfter;
import static dev.llmunit.core.route.ScriptedChatModel.blockingUntil;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.error.ProviderHealth;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final ChatRequest REQUEST = request("Route me");
    private static final Duration OPEN_WAIT = Duration.ofMillis(50);

    /** A breaker judging every 4 calls, open for 50 ms; no retries, so one routed call is one provider call. */
    private static RouterBuilder smallBreaker() {
        return smallBreaker(OPEN_WAIT);
    }

    /**
     * A breaker judging every 4 calls that stays open a minute: for tests that need it to stay open
     * however slowly a loaded machine runs them.
     */
    private static RouterBuilder staysOpen() {
        return smallBreaker(Duration.ofMinutes(1));
    }

    private static RouterBuilder smallBreaker(Duration openWait) {
        return Router.builder()
                .retry(r -> r.maxRetries(0))
                .circuitBreaker(cb -> cb.slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(openWait));
    }

    private static void route(Router router, int times) {
        for (int i = 0; i < times; i++) {
            router.route(REQUEST);
        }
    }

    @Test
    void opensAfterEnoughFailures() {
        // GIVEN a provider that is always unavailable, with a fallback
        Router router = staysOpen()
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .provider("b", answering("from b"))
                .build();

        // WHEN four calls fail on it
        route(router, 4);

        // THEN its breaker is open, the fallback's closed
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.OPEN);
        assertThat(router.circuitState("b")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void staysClosedBeforeTheMinimumNumberOfCalls() {
        // GIVEN a provider that is always unavailable
        Router router = smallBreaker()
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .provider("b", answering("from b"))
                .build();

        // WHEN three calls fail on it
        route(router, 3);

        // THEN the breaker has not judged yet
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void skipsAnOpenProviderWithoutCallingIt() {
        // GIVEN a's breaker was opened by four failures
        ScriptedChatModel a = failingWith(ScriptedChatModel::unavailable);
        Router router = staysOpen()
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();
        route(router, 4);

        // WHEN routing once more
        RoutedResponse response = router.route(REQUEST);

        // THEN a was not called; its attempt is a rejection by the open circuit
        assertThat(a.calls()).isEqualTo(4);
        assertThat(response.provider()).isEqualTo("b");
        Attempt rejected = response.attempts().get(0);
        assertThat(rejected.provider()).isEqualTo("a");
        assertThat(rejected.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(rejected.error()).isInstanceOfSatisfying(LlmException.ProviderUnavailable.class,
                unavailable -> assertThat(unavailable.circuitOpen()).isTrue());
    }

    @Test
    void rejectionsAreNotCountedAsProviderErrors() {
        // GIVEN a's breaker was opened by four failures
        Router router = staysOpen()
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .provider("b", answering("from b"))
                .build();
        route(router, 4);

        // WHEN two more calls are rejected
        route(router, 2);

        // THEN only the four calls a actually failed are counted
        assertThat(router.errors().count("a", ErrorKind.PROVIDER_UNAVAILABLE)).isEqualTo(4);
    }

    @Test
    void openCircuitIsNotRetried() {
        // GIVEN retries on, and a's breaker opened
        ScriptedChatModel a = failingWith(ScriptedChatModel::unavailable);
        Router router = Router.builder()
                .retry(r -> r.maxRetries(2).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .circuitBreaker(cb -> cb.slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(Duration.ofMinutes(1)))
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();
        route(router, 4); // 4 calls x 3 tries: each call is one failed outcome, the 4th opens the breaker

        // WHEN routing once more
        RoutedResponse response = router.route(REQUEST);

        // THEN a single rejected attempt, then b
        assertThat(response.attempts()).extracting(Attempt::provider, Attempt::outcome)
                .containsExactly(tuple("a", Outcome.REJECTED),
                        tuple("b", Outcome.SUCCEEDED));
        assertThat(a.calls()).isEqualTo(12);
    }

    @Test
    void aCallAnsweredOnItsRetryIsOneSuccessForTheBreaker() {
        // GIVEN a provider whose every first try fails and every retry answers, and a breaker judging 4 calls
        ChatModel flaky = new FailsEveryOtherTry();
        Router router = Router.builder()
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .circuitBreaker(cb -> cb.slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(Duration.ofMinutes(1)))
                .provider("a", flaky)
                .build();

        // WHEN ten calls are routed (ten failed tries, ten answered)
        for (int i = 0; i < 10; i++) {
            assertThat(router.route(REQUEST).attempts()).extracting(Attempt::outcome)
                    .containsExactly(Outcome.FAILED, Outcome.SUCCEEDED);
        }

        // THEN the breaker saw ten answered calls and stays closed
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.CLOSED);
        assertThat(router.health("a").recentErrorRate()).isZero();
    }

    @Test
    void aCallWhoseEveryTryFailedIsOneFailureForTheBreaker() {
        // GIVEN a provider that is always unavailable, two retries, and a breaker judging 4 calls
        ScriptedChatModel a = failingWith(ScriptedChatModel::unavailable);
        Router router = Router.builder()
                .retry(r -> r.maxRetries(2).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .circuitBreaker(cb -> cb.slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(Duration.ofMinutes(1)))
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();

        // WHEN three calls fail on a (nine failed tries)
        route(router, 3);

        // THEN the breaker has counted three calls, not nine tries, and is still closed
        assertThat(a.calls()).isEqualTo(9);
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.CLOSED);

        // WHEN a fourth call fails
        route(router, 1);

        // THEN four failed calls open it
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void defaultsKeepAProviderFailingThirtyPercentOfTriesClosed() {
        // GIVEN one provider failing 30 % of its tries at random, the default breaker, retries without waiting
        ScriptedChatModel a = ScriptedChatModel.failingAtRandom(0.3, ScriptedChatModel::unavailable, "from a");
        Router router = Router.builder()
                .retry(r -> r.initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1)).jitter(0.0))
                .provider("a", a)
                .build();

        // WHEN 2,000 calls are routed
        int answered = 0;
        int rejected = 0;
        for (int i = 0; i < 2_000; i++) {
            try {
                router.route(REQUEST);
                answered++;
            } catch (LlmException failed) {
                rejected += (int) failed.attempts().stream().filter(t -> t.outcome() == Outcome.REJECTED).count();
            }
        }

        // THEN the breaker never opened: about 97 % answered (a call fails only when all 3 tries do), none refused
        assertThat(rejected).isZero();
        assertThat(answered).isGreaterThanOrEqualTo(1_900);
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void goesHalfOpenAfterTheWaitAndClosesAfterSuccessfulTrialCalls() throws InterruptedException {
        // GIVEN a's breaker opened by four failures, after which a answers again
        ScriptedChatModel a = answering("from a").throwingFirst(ScriptedChatModel.unavailable(), ScriptedChatModel.unavailable(),
                ScriptedChatModel.unavailable(), ScriptedChatModel.unavailable());
        Router router = smallBreaker()
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();
        route(router, 4);
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.OPEN);

        // WHEN the open wait has passed
        Thread.sleep(OPEN_WAIT.toMillis() * 2);

        // THEN the first call is a trial that a serves half-open, and the second trial closes the breaker
        assertThat(router.route(REQUEST).provider()).isEqualTo("a");
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(router.route(REQUEST).provider()).isEqualTo("a");
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void reopensWhenTrialCallsFail() throws InterruptedException {
        // GIVEN a's breaker opened by failures, and a still failing
        Router router = smallBreaker()
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .provider("b", answering("from b"))
                .build();
        route(router, 4);

        // WHEN the open wait has passed and both trial calls fail
        Thread.sleep(OPEN_WAIT.toMillis() * 2);
        route(router, 2);

        // THEN the breaker is open again
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void invalidRequestsDoNotOpenTheBreaker() {
        // GIVEN a provider rejecting every request
        ScriptedChatModel a = failingWith(ScriptedChatModel::invalidRequest);
        Router router = smallBreaker().provider("a", a).build();

        // WHEN eight calls fail with an invalid request
        for (int i = 0; i < 8; i++) {
            assertThatThrownBy(() -> router.route(REQUEST)).isInstanceOf(LlmException.InvalidRequest.class);
        }

        // THEN the breaker stays closed and every call reached the provider
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.CLOSED);
        assertThat(a.calls()).isEqualTo(8);
    }

    @Test
    void authenticationFailuresDoNotOpenTheBreaker() {
        // GIVEN a provider refusing the key, with a fallback
        Router router = smallBreaker()
                .provider("a", failingWith(ScriptedChatModel::unauthorized))
                .provider("b", answering("from b"))
                .build();

        // WHEN eight calls fail on it
        route(router, 8);

        // THEN its breaker stays closed
        assertThat(router.circuitState("a")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void healthReportsStateErrorRateErrorCountsAndLatencies() {
        // GIVEN a provider that is rate limited once, unavailable once, then answers after 2 ms
        ScriptedChatModel a = answeringAfter(Duration.ofMillis(2), "from a")
                .throwingFirst(ScriptedChatModel.rateLimited(), ScriptedChatModel.unavailable());
        Router router = Router.builder()
                .retry(r -> r.maxRetries(0))
                .circuitBreaker(cb -> cb.slidingWindowSize(10).minimumNumberOfCalls(10))
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();

        // WHEN four calls are routed (two fail on a, two are served by it)
        route(router, 4);

        // THEN a's health shows it
        ProviderHealth health = router.health("a");
        assertThat(health.provider()).isEqualTo("a");
        assertThat(health.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(health.calls()).isEqualTo(4);
        assertThat(health.recentErrorRate()).isEqualTo(0.5);
        assertThat(health.errors()).containsOnly(entry(ErrorKind.RATE_LIMITED, 1L), entry(ErrorKind.PROVIDER_UNAVAILABLE, 1L));
        assertThat(health.inFlight()).isZero();
        assertThat(health.latencyMax()).isGreaterThanOrEqualTo(Duration.ofMillis(2));
        assertThat(health.latencyP50()).isPositive().isLessThanOrEqualTo(health.latencyP95());
        assertThat(health.latencyP95()).isLessThanOrEqualTo(health.latencyP99());
        assertThat(health.latencyP99()).isLessThanOrEqualTo(health.latencyMax());
    }

    @Test
    void healthReportsAnOpenBreakerWithFullErrorRate() {
        // GIVEN a's breaker opened by four failures
        Router router = staysOpen()
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .provider("b", answering("from b"))
                .build();
        route(router, 4);

        // WHEN / THEN
        ProviderHealth health = router.health("a");
        assertThat(health.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(health.recentErrorRate()).isEqualTo(1.0);
        assertThat(health.errors()).containsOnly(entry(ErrorKind.PROVIDER_UNAVAILABLE, 4L));
        assertThat(health.latencyMax()).isZero();
    }

    @Test
    void healthReportsCallsInFlight() throws Exception {
        // GIVEN a call blocked inside provider a
        CountDownLatch release = new CountDownLatch(1);
        ScriptedChatModel a = blockingUntil(release, "from a");
        Router router = Router.builder().provider("a", a).build();
        CompletableFuture<RoutedResponse> call = router.routeAsync(REQUEST);
        assertThat(a.awaitStarted()).isTrue();

        // WHEN / THEN one call is in flight until it returns
        assertThat(router.health("a").inFlight()).isEqualTo(1);
        release.countDown();
        call.get(5, TimeUnit.SECONDS);
        assertThat(router.health("a").inFlight()).isZero();
    }

    @Test
    void healthOfEveryProviderIsInPriorityOrder() {
        // GIVEN b has a lower priority number than a
        Router router = Router.builder()
                .provider("a", answering("from a"), p -> p.priority(2))
                .provider("b", answering("from b"), p -> p.priority(1))
                .build();

        // WHEN / THEN
        assertThat(router.health()).containsOnlyKeys("a", "b");
        assertThat(router.health().keySet()).containsExactly("b", "a");
    }

    @Test
    void unknownProviderNameFailsNamingTheKnownOnes() {
        // GIVEN a router with a and b
        Router router = Router.builder()
                .provider("a", answering("from a"))
                .provider("b", answering("from b"))
                .build();

        // WHEN / THEN
        assertThatThrownBy(() -> router.circuitState("c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no provider named 'c'; this router has [a, b]");
        assertThatThrownBy(() -> router.health("c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no provider named 'c'; this router has [a, b]");
    }

    /** Fails every odd-numbered try (the first, third, ...) as unavailable and answers every even one. */
    private static final class FailsEveryOtherTry implements ChatModel {
        private final java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        private final ScriptedChatModel answer = answering("from a");

        @Override
        public dev.langchain4j.model.chat.response.ChatResponse doChat(ChatRequest request) {
            if (tries.incrementAndGet() % 2 == 1) {
                throw ScriptedChatModel.unavailable();
            }
            return answer.response();
        }
    }
}
