package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.rateLimitedWithHeader;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.trace.Attempt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RouterRetryTest {

    private static final ChatRequest REQUEST = request("Draft a reply");

    private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();

    /** Two retries per provider with 1 ms backoff and no jitter, recording every retry decision. */
    private RouterBuilder quickRetries() {
        return Router.builder()
                .retry(r -> r.maxRetries(2).initialBackoff(Duration.ofMillis(1)).multiplier(2.0).jitter(0.0))
                .onRetry(retries::add);
    }

    @Test
    void retriesARetryableFailureUpToMaxRetriesThenFallsBack() {
        // GIVEN a provider that is always rate limited and two retries
        ScriptedChatModel a = failingWith(ScriptedChatModel::rateLimited);
        Router router = quickRetries()
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN a was called three times (first try and two retries), then b served
        assertThat(a.calls()).isEqualTo(3);
        assertThat(response.provider()).isEqualTo("b");
        assertThat(response.attempts()).extracting(Attempt::provider, Attempt::retry)
                .containsExactly(tuple("a", 0), tuple("a", 1),
                        tuple("a", 2), tuple("b", 0));
    }

    @Test
    void servesFromTheSameProviderWhenARetrySucceeds() {
        // GIVEN a provider unavailable once, then answering
        ScriptedChatModel a = answering("from a").throwingFirst(ScriptedChatModel.unavailable());
        ScriptedChatModel b = answering("from b");
        Router router = quickRetries()
                .provider("a", a)
                .provider("b", b)
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN a served on its first retry and b was never called
        assertThat(response.provider()).isEqualTo("a");
        assertThat(response.retries()).isEqualTo(1);
        assertThat(response.fallbacks()).isEmpty();
        assertThat(b.calls()).isZero();
    }

    @Test
    void zeroMaxRetriesFallsBackAfterOneTry() {
        // GIVEN retries turned off
        ScriptedChatModel a = failingWith(ScriptedChatModel::unavailable);
        Router router = Router.builder()
                .retry(r -> r.maxRetries(0))
                .onRetry(retries::add)
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN a was called once and b served
        assertThat(a.calls()).isEqualTo(1);
        assertThat(response.provider()).isEqualTo("b");
        assertThat(retries).isEmpty();
    }

    @Test
    void neverRetriesAnAuthenticationFailure() {
        // GIVEN a provider refusing the API key (401)
        ScriptedChatModel a = failingWith(ScriptedChatModel::unauthorized);
        Router router = quickRetries()
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN a was called once, and the call fell back to b
        assertThat(a.calls()).isEqualTo(1);
        assertThat(retries).isEmpty();
        assertThat(response.attempts().get(0).errorKind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(response.provider()).isEqualTo("b");
    }

    @Test
    void neverRetriesAnInvalidRequest() {
        // GIVEN a provider rejecting the request (400)
        ScriptedChatModel a = failingWith(ScriptedChatModel::invalidRequest);
        Router router = quickRetries()
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();

        // WHEN / THEN the call fails after one try
        assertThatThrownBy(() -> router.route(REQUEST)).isInstanceOf(LlmException.InvalidRequest.class);
        assertThat(a.calls()).isEqualTo(1);
        assertThat(retries).isEmpty();
    }

    @Test
    void neverRetriesAnExhaustedQuota() {
        // GIVEN a provider answering 429 insufficient_quota
        ScriptedChatModel a = failingWith(ScriptedChatModel::quotaExhausted);
        Router router = quickRetries()
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the 429 counted as quota, not a rate limit: one try, then b
        assertThat(a.calls()).isEqualTo(1);
        assertThat(retries).isEmpty();
        assertThat(response.attempts().get(0).errorKind()).isEqualTo(ErrorKind.QUOTA_EXHAUSTED);
        assertThat(response.provider()).isEqualTo("b");
    }

    @Test
    void neverRetriesAContextLengthFailure() {
        // GIVEN a provider whose window is exceeded and a larger one
        ScriptedChatModel a = failingWith(ScriptedChatModel::contextLengthExceeded);
        Router router = quickRetries()
                .provider("a", a, p -> p.maxInputTokens(8_192))
                .provider("b", answering("from b"), p -> p.maxInputTokens(200_000))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN a was called once
        assertThat(a.calls()).isEqualTo(1);
        assertThat(retries).isEmpty();
        assertThat(response.provider()).isEqualTo("b");
    }

    @Test
    void waitsTheRetryAfterMsHeader() {
        // GIVEN a 429 asking for 20 ms, then an answer
        ScriptedChatModel a = answering("from a").throwingFirst(rateLimitedWithHeader("retry-after-ms", "20"));
        Router router = quickRetries().provider("a", a).build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the router chose a 20 ms wait instead of its 1 ms backoff
        assertThat(response.provider()).isEqualTo("a");
        assertThat(retries).singleElement().satisfies(event -> {
            assertThat(event.waitDuration()).isEqualTo(Duration.ofMillis(20));
            assertThat(event.provider()).isEqualTo("a");
            assertThat(event.retry()).isEqualTo(1);
            assertThat(event.cause()).isInstanceOfSatisfying(LlmException.RateLimited.class,
                    limited -> assertThat(limited.retryAfter()).contains(Duration.ofMillis(20)));
        });
    }

    @Test
    void waitsTheRetryAfterHeaderInSeconds() {
        // GIVEN a 429 with Retry-After: 1, then an answer
        ScriptedChatModel a = answering("from a").throwingFirst(rateLimitedWithHeader("Retry-After", "1"));
        Router router = quickRetries().provider("a", a).build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the router chose a one-second wait
        assertThat(response.provider()).isEqualTo("a");
        assertThat(retries).extracting(RetryEvent::waitDuration).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void fallsBackAtOnceWhenRetryAfterExceedsMaxRetryAfter() {
        // GIVEN a 429 asking for two minutes, with waits capped at one second
        ScriptedChatModel a = answering("from a").throwingFirst(rateLimitedWithHeader("retry-after", "120"));
        Router router = Router.builder()
                .retry(r -> r.maxRetries(2).initialBackoff(Duration.ofMillis(1)).jitter(0.0).maxRetryAfter(Duration.ofSeconds(1)))
                .onRetry(retries::add)
                .provider("a", a)
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN a was not retried and b served
        assertThat(retries).isEmpty();
        assertThat(a.calls()).isEqualTo(1);
        assertThat(response.provider()).isEqualTo("b");
    }

    @Test
    void backoffWithoutRetryAfterGrowsExponentially() {
        // GIVEN three retries, 1 ms initial backoff, multiplier 2, no jitter
        Router router = Router.builder()
                .retry(r -> r.maxRetries(3).initialBackoff(Duration.ofMillis(1)).multiplier(2.0).jitter(0.0))
                .onRetry(retries::add)
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .build();

        // WHEN routing fails on every try
        LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class, () -> router.route(REQUEST));

        // THEN the waits were 1, 2 and 4 ms, for retries 1, 2 and 3
        assertThat(failure.attempts()).hasSize(4);
        assertThat(retries).extracting(RetryEvent::waitDuration)
                .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
        assertThat(retries).extracting(RetryEvent::retry).containsExactly(1, 2, 3);
    }

    @Test
    void backoffStopsGrowingAtMaxBackoff() {
        // GIVEN multiplier 10 capped at 5 ms
        Router router = Router.builder()
                .retry(r -> r.maxRetries(3).initialBackoff(Duration.ofMillis(1)).multiplier(10.0).jitter(0.0)
                        .maxBackoff(Duration.ofMillis(5)))
                .onRetry(retries::add)
                .provider("a", failingWith(ScriptedChatModel::timedOut))
                .build();

        // WHEN routing fails on every try
        assertThatThrownBy(() -> router.route(REQUEST)).isInstanceOf(LlmException.AllProvidersFailed.class);

        // THEN the waits were 1, 5 and 5 ms
        assertThat(retries).extracting(RetryEvent::waitDuration)
                .containsExactly(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(5));
    }

    @Test
    void retryEventCarriesTheClassifiedFailure() {
        // GIVEN a provider timing out once
        Router router = quickRetries()
                .provider("a", answering("from a").throwingFirst(ScriptedChatModel.timedOut()))
                .build();

        // WHEN routing
        router.route(REQUEST);

        // THEN the event names the provider and holds the Timeout
        assertThat(retries).singleElement().satisfies(event -> {
            assertThat(event.provider()).isEqualTo("a");
            assertThat(event.cause()).isInstanceOf(LlmException.Timeout.class);
            assertThat(event.cause().provider()).isEqualTo("a");
        });
    }
}
