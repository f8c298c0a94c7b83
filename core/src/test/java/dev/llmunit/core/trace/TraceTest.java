package dev.llmunit.core.trace;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.answeringAfter;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.cost.Cost;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.PriceSource;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RouterBuilder;
import dev.llmunit.core.route.ScriptedChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The trace of a routed call: its id, its attempts, their tokens and cost, and its time split into
 * provider time, backoff waits and overhead. Timing checks are lower bounds and sums only, since
 * the machine running them is noisy.
 */
class TraceTest {

    private static final ChatRequest REQUEST = request("Route me");

    /** $1 per million input tokens, $2 per million output tokens. */
    private static final PriceCatalog PRICES = PriceCatalog.empty()
            .withPrice(ModelPrice.of("m", Usd.usd("0.000001"), Usd.usd("0.000002")));

    /** One retry with a 1 ms backoff and no jitter, priced by {@link #PRICES}. */
    private static RouterBuilder quickRetries() {
        return Router.builder()
                .priceCatalog(PRICES)
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0));
    }

    // Attempts built by hand, for the arithmetic of traces.

    private static final LlmException UNAVAILABLE = new LlmException.ProviderUnavailable("a", "server error", false, null);

    private static Attempt failed(String provider, int retry, long start, long end) {
        return new Attempt(provider, "m", retry, Outcome.FAILED, UNAVAILABLE, Duration.ZERO, start, end, Usage.NONE, null);
    }

    private static Attempt succeeded(String provider, Usage usage, Cost cost, long start, long end) {
        return new Attempt(provider, cost.model(), 0, Outcome.SUCCEEDED, null, Duration.ZERO, start, end, usage, cost);
    }

    private static Cost priced(String amount, Usage usage) {
        return new Cost("m", usage, Usd.usd(amount), PriceSource.CATALOG);
    }

    private static Cost unpriced(Usage usage) {
        return new Cost("unpriced-model", usage, Usd.ZERO, PriceSource.UNKNOWN);
    }

    @Nested
    class OfARoutedCall {

        @Test
        void hasARequestIdStartingWithLlmThatDiffersBetweenCalls() {
            // GIVEN a router
            Router router = quickRetries().provider("a", answering("from a")).build();

            // WHEN routing twice
            String first = router.route(REQUEST).trace().requestId();
            String second = router.route(REQUEST).trace().requestId();

            // THEN both ids start with llm- and they differ
            assertThat(first).startsWith("llm-");
            assertThat(second).startsWith("llm-").isNotEqualTo(first);
        }

        @Test
        void listsEveryAttemptInOrder() {
            // GIVEN a provider that is always unavailable and one that answers
            Router router = quickRetries()
                    .provider("a", failingWith(ScriptedChatModel::unavailable), p -> p.modelName("m"))
                    .provider("b", answering("from b"), p -> p.modelName("m"))
                    .build();

            // WHEN routing
            RoutedResponse response = router.route(REQUEST);

            // THEN the trace lists a, a's retry, then b's success
            assertThat(response.trace().attempts())
                    .extracting(Attempt::provider, Attempt::retry, Attempt::outcome, Attempt::errorKind)
                    .containsExactly(
                            tuple("a", 0, Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                            tuple("a", 1, Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                            tuple("b", 0, Outcome.SUCCEEDED, null));
            assertThat(response.trace().attempts()).isEqualTo(response.attempts());
        }

        @Test
        void costsExactlyTheServedCallsTokensAtTheModelsPrice() {
            // GIVEN a failing provider and one answering 1234 input and 567 output tokens of model m
            Router router = quickRetries()
                    .provider("a", failingWith(ScriptedChatModel::unavailable), p -> p.modelName("m"))
                    .provider("b", answeringWithUsage("from b", "m", new TokenUsage(1_234, 567)), p -> p.modelName("m"))
                    .build();

            // WHEN routing
            RoutedResponse response = router.route(REQUEST);

            // THEN the failed attempts cost nothing and the total is exactly 1234 × 0.000001 + 567 × 0.000002
            Trace trace = response.trace();
            assertThat(trace.totalCost()).isEqualTo(Usd.usd("0.002368"));
            assertThat(response.cost()).isEqualTo(trace.totalCost());
            assertThat(trace.attempts()).extracting(Attempt::cost).first().isNull();
            assertThat(trace.unpricedAttempts()).isZero();
            assertThat(trace.totalUsage()).isEqualTo(Usage.of(1_234, 567));
        }

        @Test
        void countsAnAttemptOfAModelWithoutPriceAsUnpriced() {
            // GIVEN a provider whose model is not in the catalog
            Router router = quickRetries()
                    .provider("a", answeringWithUsage("from a", "unpriced-model", new TokenUsage(10, 5)),
                            p -> p.modelName("unpriced-model"))
                    .build();

            // WHEN routing
            Trace trace = router.route(REQUEST).trace();

            // THEN the attempt is unpriced and the known total is zero
            assertThat(trace.unpricedAttempts()).isEqualTo(1);
            assertThat(trace.totalCost()).isEqualTo(Usd.ZERO);
            assertThat(trace.attempts().get(0).cost().isUnknown()).isTrue();
        }

        @Test
        void countsTheProviderCallInProviderTime() {
            // GIVEN a provider that takes 20 ms to answer
            Router router = quickRetries().provider("a", answeringAfter(Duration.ofMillis(20), "from a")).build();

            // WHEN routing
            Trace trace = router.route(REQUEST).trace();

            // THEN provider time is at least the provider's 20 ms, and the call had no wait
            assertThat(trace.providerTime()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(trace.waitTime()).isEqualTo(Duration.ZERO);
        }

        @Test
        void recordsThePlannedBackoffAsWaitTime() {
            // GIVEN a provider unavailable once, then answering, and a 30 ms backoff without jitter
            Router router = Router.builder()
                    .priceCatalog(PRICES)
                    .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(30)).jitter(0.0))
                    .provider("a", answering("from a").throwingFirst(ScriptedChatModel.unavailable()))
                    .build();

            // WHEN routing
            Trace trace = router.route(REQUEST).trace();

            // THEN the retry's wait is exactly the planned 30 ms (not the measured sleep, which varies), and is the trace's wait time
            assertThat(trace.attempts()).extracting(Attempt::retry).containsExactly(0, 1);
            assertThat(trace.attempts().get(0).waitBefore()).isEqualTo(Duration.ZERO);
            assertThat(trace.attempts().get(1).waitBefore()).isEqualTo(Duration.ofMillis(30));
            assertThat(trace.waitTime()).isEqualTo(trace.attempts().get(1).waitBefore());
        }

        @Test
        void splitsTotalTimeIntoProviderTimeWaitTimeAndOverhead() {
            // GIVEN a 20 ms provider unavailable once, and a 30 ms backoff without jitter
            Router router = Router.builder()
                    .priceCatalog(PRICES)
                    .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(30)).jitter(0.0))
                    .provider("a", answeringAfter(Duration.ofMillis(20), "from a").throwingFirst(ScriptedChatModel.unavailable()))
                    .build();

            // WHEN routing
            Trace trace = router.route(REQUEST).trace();

            // THEN each part has its lower bound and the parts add up to the total
            assertThat(trace.providerTime()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(trace.waitTime()).isGreaterThanOrEqualTo(Duration.ofMillis(30));
            assertThat(trace.overhead()).isGreaterThanOrEqualTo(Duration.ZERO);
            assertThat(trace.totalTime()).isEqualTo(trace.providerTime().plus(trace.waitTime()).plus(trace.overhead()));
            assertThat(trace.totalTime()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }

        @Test
        void keepsEveryAttemptWithinTheCallsTime() {
            // GIVEN a provider that is always unavailable and one that answers
            Router router = quickRetries()
                    .provider("a", failingWith(ScriptedChatModel::unavailable))
                    .provider("b", answering("from b"))
                    .build();

            // WHEN routing
            Trace trace = router.route(REQUEST).trace();

            // THEN attempts follow one another inside the call's start and end
            long previousEnd = trace.startNanos();
            for (Attempt attempt : trace.attempts()) {
                assertThat(attempt.startNanos()).isGreaterThanOrEqualTo(previousEnd);
                assertThat(attempt.endNanos()).isGreaterThanOrEqualTo(attempt.startNanos());
                previousEnd = attempt.endNanos();
            }
            assertThat(trace.endNanos()).isGreaterThanOrEqualTo(previousEnd);
        }
    }

    @Nested
    class Totals {

        @Test
        void totalCostSumsTheKnownCostsExactly() {
            // GIVEN attempts costing $0.1 and $0.2 (0.30000000000000004 in double arithmetic) and an unpriced one
            Usage usage = Usage.of(10, 5);
            Trace trace = new Trace(1, List.of(
                    succeeded("a", usage, priced("0.1", usage), 0, 10),
                    succeeded("b", usage, priced("0.2", usage), 10, 20),
                    succeeded("c", usage, unpriced(usage), 20, 30)), 0, 30);

            // WHEN / THEN the total is exactly $0.3 and one attempt is unpriced
            assertThat(trace.totalCost()).isEqualTo(Usd.usd("0.3"));
            assertThat(trace.unpricedAttempts()).isEqualTo(1);
        }

        @Test
        void totalCostOfFailedAttemptsOnlyIsZero() {
            // GIVEN only failed attempts, which have no cost
            Trace trace = new Trace(1, List.of(failed("a", 0, 0, 10), failed("a", 1, 20, 30)), 0, 30);

            // WHEN / THEN the total is zero and nothing is unpriced
            assertThat(trace.totalCost()).isEqualTo(Usd.ZERO);
            assertThat(trace.unpricedAttempts()).isZero();
        }

        @Test
        void totalUsageSumsEveryTokenType() {
            // GIVEN two attempts with different token details
            Usage first = new Usage(100, 50, 10, 0, 5);
            Usage second = new Usage(200, 70, 0, 20, 0);
            Trace trace = new Trace(1, List.of(
                    succeeded("a", first, priced("0.1", first), 0, 10),
                    succeeded("b", second, priced("0.2", second), 10, 20)), 0, 20);

            // WHEN / THEN every count is summed
            assertThat(trace.totalUsage()).isEqualTo(new Usage(300, 120, 10, 20, 5));
        }

        @Test
        void splitsTimeIntoAttemptsWaitsAndTheRest() {
            // GIVEN a 100 ns call: a try of 10 ns, a 30 ns wait, a retry of 20 ns
            Attempt first = failed("a", 0, 10, 20);
            Attempt retry = new Attempt("a", "m", 1, Outcome.SUCCEEDED, null, Duration.ofNanos(30), 50, 70, Usage.NONE, null);
            Trace trace = new Trace(1, List.of(first, retry), 0, 100);

            // WHEN / THEN provider time is 30 ns, wait time 30 ns and overhead the remaining 40 ns
            assertThat(trace.totalTime()).isEqualTo(Duration.ofNanos(100));
            assertThat(trace.providerTime()).isEqualTo(Duration.ofNanos(30));
            assertThat(trace.waitTime()).isEqualTo(Duration.ofNanos(30));
            assertThat(trace.overhead()).isEqualTo(Duration.ofNanos(40));
        }

        @Test
        void neverReportsNegativeOverhead() {
            // GIVEN attempts whose times claim more than the call's (a trace built by hand)
            Trace trace = new Trace(1, List.of(failed("a", 0, 0, 80), failed("a", 1, 0, 80)), 0, 100);

            // WHEN / THEN the overhead is clamped at zero
            assertThat(trace.overhead()).isEqualTo(Duration.ZERO);
        }

        @Test
        void printsTheRequestIdAsLlmAndTheSequenceInHex() {
            // GIVEN a trace with sequence 255
            Trace trace = new Trace(255, List.of(), 0, 0);

            // WHEN / THEN its id is llm-ff
            assertThat(trace.requestId()).isEqualTo("llm-ff");
        }

        @Test
        void nextSequenceNeverRepeats() {
            // GIVEN / WHEN two sequence numbers
            long first = Trace.nextSequence();
            long second = Trace.nextSequence();

            // THEN they differ
            assertThat(second).isNotEqualTo(first);
        }
    }

    @Nested
    class TraceValidation {

        @Test
        void rejectsAnEndBeforeTheStart() {
            assertThatThrownBy(() -> new Trace(1, List.of(), 100, 99))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("endNanos must not precede startNanos, but was 99 < 100");
        }

        @Test
        void acceptsAnEndEqualToTheStart() {
            assertThat(new Trace(1, List.of(), 100, 100).totalTime()).isEqualTo(Duration.ZERO);
        }

        @Test
        void rejectsNullAttempts() {
            assertThatNullPointerException().isThrownBy(() -> new Trace(1, null, 0, 1)).withMessage("attempts");
        }

        @Test
        void copiesTheAttemptsSoLaterChangesDoNotLeakIn() {
            // GIVEN a trace made from a mutable list
            List<Attempt> attempts = new ArrayList<>(List.of(failed("a", 0, 0, 10)));
            Trace trace = new Trace(1, attempts, 0, 10);

            // WHEN the list changes
            attempts.add(failed("a", 1, 10, 20));

            // THEN the trace kept its one attempt and cannot be changed
            assertThat(trace.attempts()).hasSize(1);
            assertThatThrownBy(() -> trace.attempts().add(failed("b", 0, 0, 1))).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class AttemptValidation {

        @Test
        void rejectsASuccessWithAnError() {
            assertThatThrownBy(() -> new Attempt("a", "m", 0, Outcome.SUCCEEDED, UNAVAILABLE, Duration.ZERO, 0, 1, Usage.NONE, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("an attempt has an error exactly when it did not succeed, but outcome was SUCCEEDED");
        }

        @Test
        void rejectsAFailureWithoutAnError() {
            assertThatThrownBy(() -> new Attempt("a", "m", 0, Outcome.FAILED, null, Duration.ZERO, 0, 1, Usage.NONE, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("an attempt has an error exactly when it did not succeed, but outcome was FAILED and error was null");
        }

        @Test
        void rejectsARejectionWithoutAnError() {
            assertThatThrownBy(() -> new Attempt("a", "m", 0, Outcome.REJECTED, null, Duration.ZERO, 0, 1, Usage.NONE, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outcome was REJECTED");
        }

        @Test
        void rejectsANegativeRetry() {
            assertThatThrownBy(() -> new Attempt("a", "m", -1, Outcome.FAILED, UNAVAILABLE, Duration.ZERO, 0, 1, Usage.NONE, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("retry must be at least 0, but was -1");
        }

        @Test
        void rejectsAnEndBeforeTheStart() {
            assertThatThrownBy(() -> new Attempt("a", "m", 0, Outcome.FAILED, UNAVAILABLE, Duration.ZERO, 10, 9, Usage.NONE, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("endNanos must not precede startNanos, but was 9 < 10");
        }

        @Test
        void rejectsMissingRequiredFields() {
            assertThatNullPointerException()
                    .isThrownBy(() -> new Attempt(null, "m", 0, Outcome.FAILED, UNAVAILABLE, Duration.ZERO, 0, 1, Usage.NONE, null))
                    .withMessage("provider");
            assertThatNullPointerException()
                    .isThrownBy(() -> new Attempt("a", "m", 0, null, UNAVAILABLE, Duration.ZERO, 0, 1, Usage.NONE, null))
                    .withMessage("outcome");
            assertThatNullPointerException()
                    .isThrownBy(() -> new Attempt("a", "m", 0, Outcome.FAILED, UNAVAILABLE, null, 0, 1, Usage.NONE, null))
                    .withMessage("waitBefore");
            assertThatNullPointerException()
                    .isThrownBy(() -> new Attempt("a", "m", 0, Outcome.FAILED, UNAVAILABLE, Duration.ZERO, 0, 1, null, null))
                    .withMessage("usage");
        }

        @Test
        void acceptsANullModel() {
            Attempt attempt = new Attempt("a", null, 0, Outcome.FAILED, UNAVAILABLE, Duration.ZERO, 0, 1, Usage.NONE, null);

            assertThat(attempt.model()).isNull();
            assertThat(attempt.errorKind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(attempt.duration()).isEqualTo(Duration.ofNanos(1));
        }
    }
}
