package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RouterFallbackTest {

    private static final ChatRequest REQUEST = request("Summarise this ticket");

    /** Retries off, so each failure falls back at once; tests that retry turn them back on. */
    private static RouterBuilder noRetries() {
        return Router.builder().retry(r -> r.maxRetries(0));
    }

    @Test
    void fallsBackToNextProviderWhenFirstIsRateLimited() {
        // GIVEN a rate-limited first provider
        Router router = noRetries()
                .provider("a", failingWith(ScriptedChatModel::rateLimited))
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the second provider served
        assertThat(response.provider()).isEqualTo("b");
        assertThat(response.chatResponse().aiMessage().text()).isEqualTo("from b");
        assertThat(response.attempts().get(0).errorKind()).isEqualTo(ErrorKind.RATE_LIMITED);
    }

    @Test
    void fallsBackToNextProviderWhenFirstIsUnavailable() {
        // GIVEN a first provider answering 5xx
        Router router = noRetries()
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the second provider served
        assertThat(response.provider()).isEqualTo("b");
        assertThat(response.attempts().get(0).errorKind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
    }

    @Test
    void fallsBackToNextProviderWhenFirstTimesOut() {
        // GIVEN a first provider timing out
        Router router = noRetries()
                .provider("a", failingWith(ScriptedChatModel::timedOut))
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the second provider served
        assertThat(response.provider()).isEqualTo("b");
        assertThat(response.attempts().get(0).errorKind()).isEqualTo(ErrorKind.TIMEOUT);
    }

    @Test
    void doesNotFallBackOnInvalidRequestByDefault() {
        // GIVEN a first provider rejecting the request
        ScriptedChatModel b = answering("from b");
        Router router = noRetries()
                .provider("a", failingWith(ScriptedChatModel::invalidRequest))
                .provider("b", b)
                .build();

        // WHEN / THEN the invalid-request failure itself ends the call and b is never called
        assertThatThrownBy(() -> router.route(REQUEST))
                .isInstanceOfSatisfying(LlmException.InvalidRequest.class, failure -> assertThat(failure.provider()).isEqualTo("a"));
        assertThat(b.calls()).isZero();
    }

    @Test
    void throwsANonFallbackFailureItselfEvenAfterEarlierFallbacks() {
        // GIVEN a rate-limited first provider and a second one rejecting the request
        ScriptedChatModel c = answering("from c");
        Router router = noRetries()
                .provider("a", failingWith(ScriptedChatModel::rateLimited))
                .provider("b", failingWith(ScriptedChatModel::invalidRequest))
                .provider("c", c)
                .build();

        // WHEN / THEN b's failure ends the call, a's earlier failure is attached to it; c is never called
        assertThatThrownBy(() -> router.route(REQUEST))
                .isInstanceOfSatisfying(LlmException.InvalidRequest.class, failure -> {
                    assertThat(failure.provider()).isEqualTo("b");
                    assertThat(failure.getSuppressed()).singleElement()
                            .isInstanceOfSatisfying(LlmException.RateLimited.class, earlier -> assertThat(earlier.provider()).isEqualTo("a"));
                });
        assertThat(c.calls()).isZero();
    }

    @Test
    void aNonFallbackFailureCarriesEveryAttemptOfTheCall() {
        // GIVEN a rate-limited first provider and a second one rejecting the request
        Router router = noRetries()
                .provider("a", failingWith(ScriptedChatModel::rateLimited))
                .provider("b", failingWith(ScriptedChatModel::invalidRequest))
                .build();

        // WHEN / THEN the failure that ended the call lists both attempts, so a ledger or log can show them
        assertThatThrownBy(() -> router.route(REQUEST))
                .isInstanceOfSatisfying(LlmException.InvalidRequest.class, failure -> assertThat(failure.attempts())
                        .extracting(Attempt::provider, Attempt::errorKind)
                        .containsExactly(tuple("a", ErrorKind.RATE_LIMITED), tuple("b", ErrorKind.INVALID_REQUEST)));
    }

    @Test
    void fallbackOnStopsFallbackForKindsLeftOut() {
        // GIVEN fallback on rate limits only, and a first provider timing out
        ScriptedChatModel b = answering("from b");
        Router router = noRetries()
                .fallbackOn(EnumSet.of(ErrorKind.RATE_LIMITED))
                .provider("a", failingWith(ScriptedChatModel::timedOut))
                .provider("b", b)
                .build();

        // WHEN / THEN the timeout ends the call
        assertThatThrownBy(() -> router.route(REQUEST)).isInstanceOf(LlmException.Timeout.class);
        assertThat(b.calls()).isZero();
    }

    @Test
    void fallbackOnCanMakeInvalidRequestFallBack() {
        // GIVEN fallback on invalid requests too
        Router router = noRetries()
                .fallbackOn(EnumSet.of(ErrorKind.INVALID_REQUEST))
                .provider("a", failingWith(ScriptedChatModel::invalidRequest))
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN b served after a's rejection
        assertThat(response.provider()).isEqualTo("b");
        assertThat(response.fallbacks()).containsExactly("a");
    }

    @Test
    void contextLengthFailureFallsBackOnlyToALargerInputWindow() {
        // GIVEN an 8k provider whose window is exceeded, then a smaller, an equal and a larger window
        ScriptedChatModel smaller = answering("from smaller");
        ScriptedChatModel equal = answering("from equal");
        ScriptedChatModel larger = answering("from larger");
        Router router = noRetries()
                .provider("8k", failingWith(ScriptedChatModel::contextLengthExceeded), p -> p.maxInputTokens(8_192))
                .provider("4k", smaller, p -> p.maxInputTokens(4_096))
                .provider("also-8k", equal, p -> p.maxInputTokens(8_192))
                .provider("128k", larger, p -> p.maxInputTokens(128_000))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the larger window served and the smaller or equal windows were skipped without a call
        assertThat(response.provider()).isEqualTo("128k");
        assertThat(response.attempts()).extracting(Attempt::provider, Attempt::outcome, Attempt::errorKind).containsExactly(
                tuple("8k", Outcome.FAILED, ErrorKind.CONTEXT_LENGTH_EXCEEDED),
                tuple("128k", Outcome.SUCCEEDED, null));
        assertThat(smaller.calls()).isZero();
        assertThat(equal.calls()).isZero();
    }

    @Test
    void contextLengthFailureWithNoLargerWindowFailsWithThatKind() {
        // GIVEN the exceeded window is the largest one
        ScriptedChatModel smaller = answering("from smaller");
        Router router = noRetries()
                .provider("8k", failingWith(ScriptedChatModel::contextLengthExceeded), p -> p.maxInputTokens(8_192))
                .provider("4k", smaller, p -> p.maxInputTokens(4_096))
                .build();

        // WHEN / THEN the call fails as a context-length failure after one attempt
        LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class, () -> router.route(REQUEST));
        assertThat(failure.kind()).isEqualTo(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
        assertThat(failure.attempts()).extracting(Attempt::provider).containsExactly("8k");
        assertThat(smaller.calls()).isZero();
    }

    @Test
    void maxAttemptsCapsRetriesAndFallbacksTogether() {
        // GIVEN three rate-limited providers, one retry each, and at most three attempts
        ScriptedChatModel a = failingWith(ScriptedChatModel::rateLimited);
        ScriptedChatModel b = failingWith(ScriptedChatModel::rateLimited);
        ScriptedChatModel c = failingWith(ScriptedChatModel::rateLimited);
        Router router = Router.builder()
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .maxAttempts(3)
                .provider("a", a)
                .provider("b", b)
                .provider("c", c)
                .build();

        // WHEN routing
        LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class, () -> router.route(REQUEST));

        // THEN a, a's retry and b were tried; b's retry and c were not
        assertThat(failure.attempts()).extracting(Attempt::provider, Attempt::retry)
                .containsExactly(tuple("a", 0), tuple("a", 1), tuple("b", 0));
        assertThat(a.calls()).isEqualTo(2);
        assertThat(b.calls()).isEqualTo(1);
        assertThat(c.calls()).isZero();
    }

    @Test
    void allProvidersFailedListsEveryAttemptWithProviderOutcomeAndKind() {
        // GIVEN three providers failing three different ways
        Router router = noRetries()
                .provider("a", failingWith(ScriptedChatModel::rateLimited))
                .provider("b", failingWith(ScriptedChatModel::unavailable))
                .provider("c", failingWith(ScriptedChatModel::timedOut))
                .build();

        // WHEN routing
        LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class, () -> router.route(REQUEST));

        // THEN each attempt is listed in order, its error naming its provider
        assertThat(failure.attempts()).extracting(Attempt::provider, Attempt::outcome, Attempt::errorKind).containsExactly(
                tuple("a", Outcome.FAILED, ErrorKind.RATE_LIMITED),
                tuple("b", Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                tuple("c", Outcome.FAILED, ErrorKind.TIMEOUT));
        assertThat(failure.attempts()).allSatisfy(attempt -> assertThat(attempt.error().provider()).isEqualTo(attempt.provider()));
        assertThat(failure).hasMessageStartingWith("All providers failed after 3 attempts: a RATE_LIMITED, b PROVIDER_UNAVAILABLE, c TIMEOUT.");
    }

    @Test
    void allProvidersFailedTakesTheKindOfTheLastFailure() {
        // GIVEN a rate-limited first provider and a timing-out last one
        Router router = noRetries()
                .provider("a", failingWith(ScriptedChatModel::rateLimited))
                .provider("b", failingWith(ScriptedChatModel::timedOut))
                .build();

        // WHEN routing
        LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class, () -> router.route(REQUEST));

        // THEN the kind, the last failure and the cause are b's timeout
        assertThat(failure.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(failure.lastFailure()).isInstanceOf(LlmException.Timeout.class).isSameAs(failure.getCause());
        assertThat(failure.lastFailure().provider()).isEqualTo("b");
    }

    @Test
    void routedResponseListsFallbacksOnceAndEveryAttemptInOrder() {
        // GIVEN one retry each: a always rate limited, b unavailable once then answering
        ScriptedChatModel b = answering("from b").throwingFirst(ScriptedChatModel.unavailable());
        Router router = Router.builder()
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .provider("a", failingWith(ScriptedChatModel::rateLimited))
                .provider("b", b)
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN a is the one fallback, b's own failure is only a retry
        assertThat(response.provider()).isEqualTo("b");
        assertThat(response.fallbacks()).containsExactly("a");
        assertThat(response.retries()).isEqualTo(2);
        assertThat(response.attempts()).extracting(Attempt::provider, Attempt::retry, Attempt::outcome, Attempt::errorKind)
                .containsExactly(
                        tuple("a", 0, Outcome.FAILED, ErrorKind.RATE_LIMITED),
                        tuple("a", 1, Outcome.FAILED, ErrorKind.RATE_LIMITED),
                        tuple("b", 0, Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                        tuple("b", 1, Outcome.SUCCEEDED, null));
        assertThat(response.chatResponse()).isSameAs(b.response());
    }

    @Test
    void firstProviderServingMeansNoFallbacksAndOneAttempt() {
        // GIVEN an answering first provider
        Router router = noRetries()
                .provider("a", answering("from a"), p -> p.modelName("gpt-4o-mini"))
                .provider("b", answering("from b"))
                .build();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN one successful first try of a, with its model name
        assertThat(response.fallbacks()).isEmpty();
        assertThat(response.retries()).isZero();
        assertThat(response.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.provider()).isEqualTo("a");
            assertThat(attempt.model()).isEqualTo("gpt-4o-mini");
            assertThat(attempt.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(attempt.error()).isNull();
            assertThat(attempt.waitBefore()).isZero();
        });
    }
}
