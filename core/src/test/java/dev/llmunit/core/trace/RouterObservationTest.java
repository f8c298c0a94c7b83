package dev.llmunit.core.trace;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.blockingUntilInterrupted;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.internal.DefaultRouter;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RouterBuilder;
import dev.llmunit.core.route.ScriptedChatModel;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Micrometer observations of a routed call: one {@code llmunit.route} observation per call and
 * one {@code llmunit.attempt} child per try of a provider, tagged with low-cardinality keys only.
 */
class RouterObservationTest {

    /** Distinctive words of the prompt and the answer, so a partial leak is caught too. */
    private static final String PROMPT_MARKER = "NIGHTJAR-7731";
    private static final String ANSWER_MARKER = "ZEBRA-4410";
    private static final String PROMPT = "Summarise the confidential memo about project " + PROMPT_MARKER;
    private static final String ANSWER = "The memo moves the project to the " + ANSWER_MARKER + " site";
    private static final ChatRequest REQUEST = request(PROMPT);

    private static final String ROUTE = "llmunit.route";
    private static final String ATTEMPT = "llmunit.attempt";
    private static final String PROVIDER = LlmKeyNames.PROVIDER.asString();
    private static final String MODEL = LlmKeyNames.MODEL.asString();
    private static final String OUTCOME = LlmKeyNames.OUTCOME.asString();
    private static final String ERROR_KIND = LlmKeyNames.ERROR_KIND.asString();

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    /** Contexts in the order their observations stopped; the test registry only tells whether the first of a name stopped. */
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void recordStops() {
        registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    /** One retry with a 1 ms backoff and no jitter; a priced as model-a, b as model-b, both known to the catalog. */
    private RouterBuilder observedRouter() {
        return Router.builder()
                .observationRegistry(registry)
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                .priceCatalog(PriceCatalog.empty()
                        .withPrice(ModelPrice.of("model-a", Usd.usd("0.000001"), Usd.usd("0.000002")))
                        .withPrice(ModelPrice.of("model-b", Usd.usd("0.000001"), Usd.usd("0.000002"))));
    }

    /** Provider a is always unavailable (retryable), provider b answers: a, a (retry), then b. */
    private Router retryingAndFallingBack() {
        return observedRouter()
                .provider("a", failingWith(ScriptedChatModel::unavailable), p -> p.modelName("model-a"))
                .provider("b", answering(ANSWER), p -> p.modelName("model-b"))
                .build();
    }

    /** Every context the registry handled, in the order the observations started. */
    private List<Observation.Context> handled() {
        List<Observation.Context> all = new ArrayList<>();
        TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(all::addAll);
        return all;
    }

    private List<Observation.Context> handled(String name) {
        return handled().stream().filter(context -> name.equals(context.getName())).collect(Collectors.toList());
    }

    private static String key(Observation.Context context, String key) {
        KeyValue value = context.getLowCardinalityKeyValue(key);
        return value == null ? null : value.getValue();
    }

    @Test
    void recordsOneRouteObservationForACallThatRetriesAndFallsBack() {
        // GIVEN a router whose first provider fails twice and whose second answers
        Router router = retryingAndFallingBack();

        // WHEN routing
        router.route(REQUEST);

        // THEN one route observation was started and stopped, tagged with the serving provider and success
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(ROUTE, 1)
                .hasObservationWithNameEqualTo(ROUTE).that()
                .hasBeenStarted()
                .hasBeenStopped()
                .doesNotHaveParentObservation()
                .doesNotHaveError()
                .hasLowCardinalityKeyValue(PROVIDER, "b")
                .hasLowCardinalityKeyValue(OUTCOME, "success")
                .hasLowCardinalityKeyValue(ERROR_KIND, "none");
    }

    @Test
    void recordsOneAttemptObservationPerTryEachAChildOfTheRoute() {
        // GIVEN a router whose first provider fails twice and whose second answers
        Router router = retryingAndFallingBack();

        // WHEN routing
        router.route(REQUEST);

        // THEN there is one attempt observation per try, each stopped and a child of the route observation
        Observation.Context route = handled(ROUTE).get(0);
        List<Observation.Context> attempts = handled(ATTEMPT);
        assertThat(attempts).hasSize(3).allSatisfy(attempt -> {
            assertThat(attempt.getParentObservation()).isNotNull();
            assertThat(attempt.getParentObservation().getContextView()).isSameAs(route);
            assertThat(stopped).contains(attempt);
        });
        assertThat(attempts)
                .extracting(c -> key(c, PROVIDER), c -> key(c, MODEL), c -> key(c, OUTCOME), c -> key(c, ERROR_KIND))
                .containsExactly(
                        tuple("a", "model-a", "failed", "PROVIDER_UNAVAILABLE"),
                        tuple("a", "model-a", "failed", "PROVIDER_UNAVAILABLE"),
                        tuple("b", "model-b", "succeeded", "none"));
    }

    @Test
    void attachesEachFailedAttemptsErrorToItsObservation() {
        // GIVEN a router whose first provider fails twice and whose second answers
        Router router = retryingAndFallingBack();

        // WHEN routing
        RoutedResponse response = router.route(REQUEST);

        // THEN the failed attempts carry the very errors of the trace's attempts; the success carries none
        List<Observation.Context> attempts = handled(ATTEMPT);
        List<Attempt> traced = response.attempts();
        assertThat(attempts.get(0).getError()).isInstanceOf(LlmException.ProviderUnavailable.class).isSameAs(traced.get(0).error());
        assertThat(attempts.get(1).getError()).isInstanceOf(LlmException.ProviderUnavailable.class).isSameAs(traced.get(1).error());
        assertThat(attempts.get(2).getError()).isNull();
    }

    @Test
    void stopsEveryAttemptBeforeTheRoute() {
        // GIVEN a router whose first provider fails twice and whose second answers
        Router router = retryingAndFallingBack();

        // WHEN routing
        router.route(REQUEST);

        // THEN the attempts stopped in order and the route stopped last
        assertThat(stopped).extracting(Observation.Context::getName).containsExactly(ATTEMPT, ATTEMPT, ATTEMPT, ROUTE);
    }

    @Test
    void recordsAFailedRouteWithOutcomeFailureAndTheError() {
        // GIVEN two providers that are always unavailable
        Router router = observedRouter()
                .provider("a", failingWith(ScriptedChatModel::unavailable), p -> p.modelName("model-a"))
                .provider("b", failingWith(ScriptedChatModel::unavailable), p -> p.modelName("model-b"))
                .build();

        // WHEN the routed call fails
        LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class,
                () -> router.route(REQUEST));

        // THEN the route observation says failure, with the last kind and the thrown exception
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(ROUTE, 1)
                .hasNumberOfObservationsWithNameEqualTo(ATTEMPT, 4)
                .hasObservationWithNameEqualTo(ROUTE).that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue(OUTCOME, "failure")
                .hasLowCardinalityKeyValue(ERROR_KIND, "PROVIDER_UNAVAILABLE")
                .hasLowCardinalityKeyValue(PROVIDER, "none")
                .hasError(failure);
    }

    @Test
    void namesTheFailingProviderOnARouteThatFailsWithoutFallingBack() {
        // GIVEN a provider that rejects the request (not a fallback kind)
        Router router = observedRouter()
                .provider("a", failingWith(ScriptedChatModel::invalidRequest), p -> p.modelName("model-a"))
                .provider("b", answering(ANSWER), p -> p.modelName("model-b"))
                .build();

        // WHEN the routed call fails
        LlmException.InvalidRequest failure = catchThrowableOfType(LlmException.InvalidRequest.class, () -> router.route(REQUEST));

        // THEN the route observation names a and the kind
        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo(ROUTE).that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue(PROVIDER, "a")
                .hasLowCardinalityKeyValue(OUTCOME, "failure")
                .hasLowCardinalityKeyValue(ERROR_KIND, "INVALID_REQUEST")
                .hasError(failure);
    }

    @Test
    void recordsAnAttemptRefusedByAnOpenBreakerAsRejected() {
        // GIVEN provider a's breaker is open
        ScriptedChatModel a = answering("from a");
        Router router = observedRouter()
                .provider("a", a, p -> p.modelName("model-a"))
                .provider("b", answering(ANSWER), p -> p.modelName("model-b"))
                .build();
        ((DefaultRouter) router).circuitBreaker("a").transitionToOpenState();

        // WHEN routing
        router.route(REQUEST);

        // THEN a was not called; its attempt is rejected with the circuit-open error, and b served
        assertThat(a.calls()).isZero();
        List<Observation.Context> attempts = handled(ATTEMPT);
        assertThat(attempts)
                .extracting(c -> key(c, PROVIDER), c -> key(c, MODEL), c -> key(c, OUTCOME), c -> key(c, ERROR_KIND))
                .containsExactly(
                        tuple("a", "model-a", "rejected", "PROVIDER_UNAVAILABLE"),
                        tuple("b", "model-b", "succeeded", "none"));
        assertThat(attempts.get(0).getError()).isInstanceOfSatisfying(LlmException.ProviderUnavailable.class,
                unavailable -> assertThat(unavailable.circuitOpen()).isTrue());
        assertThat(stopped).containsAll(attempts);
    }

    @Test
    void neverPutsThePromptOrTheAnswerIntoAnObservation() {
        // GIVEN a router, used for one call that retries and falls back and one that fails entirely
        Router router = retryingAndFallingBack();
        Router failing = observedRouter()
                .provider("a", failingWith(ScriptedChatModel::unavailable), p -> p.modelName("model-a"))
                .build();

        // WHEN routing both
        router.route(REQUEST);
        catchThrowableOfType(LlmException.class, () -> failing.route(REQUEST));

        // THEN no name, key or value of any observation holds the prompt or the answer, even in part
        List<Observation.Context> all = handled();
        assertThat(all).hasSize(7); // route, a, a, b; route, a, a
        for (Observation.Context context : all) {
            List<String> texts = new ArrayList<>();
            texts.add(context.getName());
            texts.add(context.getContextualName());
            for (KeyValue keyValue : context.getAllKeyValues()) {
                texts.add(keyValue.getKey());
                texts.add(keyValue.getValue());
            }
            texts.add(context.toString()); // the context map and attributes as well
            for (String text : texts) {
                assertThat(text).as("%s of observation %s", text, context.getName())
                        .doesNotContain(PROMPT_MARKER).doesNotContain(ANSWER_MARKER);
            }
        }
    }

    @Test
    void tagsObservationsOnlyWithDeclaredKeysAndOnlyTheRequestIdAsHighCardinality() {
        // GIVEN a router whose first provider fails twice and whose second answers
        Router router = retryingAndFallingBack();

        // WHEN routing
        router.route(REQUEST);

        // THEN every key is one of LlmKeyNames; the only high-cardinality key is the route's request id
        Set<String> declared = Arrays.stream(LlmKeyNames.values()).map(LlmKeyNames::asString).collect(Collectors.toSet());
        assertThat(handled()).isNotEmpty().allSatisfy(context -> {
            assertThat(context.getLowCardinalityKeyValues()).extracting(KeyValue::getKey).isSubsetOf(declared)
                    .doesNotContain(LlmKeyNames.REQUEST_ID.asString());
            if (ROUTE.equals(context.getName())) {
                assertThat(context.getHighCardinalityKeyValues()).extracting(KeyValue::getKey)
                        .containsExactly(LlmKeyNames.REQUEST_ID.asString());
                assertThat(context.getHighCardinalityKeyValue(LlmKeyNames.REQUEST_ID.asString()).getValue()).startsWith("llm-");
            } else {
                assertThat(context.getHighCardinalityKeyValues()).isEmpty();
            }
        });
    }

    @Test
    void stopsTheAttemptObservationWhenTheCallIsCancelled() throws Exception {
        // GIVEN a provider that blocks until interrupted
        ScriptedChatModel a = blockingUntilInterrupted();
        Router router = observedRouter().provider("a", a, p -> p.modelName("model-a")).build();
        CompletableFuture<RoutedResponse> future = router.routeAsync(REQUEST);
        assertThat(a.awaitStarted()).isTrue();

        // WHEN the call is cancelled while the provider is called
        future.cancel(true);
        assertThat(a.awaitInterrupted()).isTrue();
        awaitStopped(ROUTE);

        // THEN the attempt observation was stopped too, carrying the cancellation
        Observation.Context attempt = handled(ATTEMPT).get(0);
        assertThat(stopped).contains(attempt);
        assertThat(attempt.getError()).isInstanceOf(CancellationException.class);
    }

    @Test
    void recordsTheErrorOfARouteThatFailsWithoutAProviderError() {
        // GIVEN a strategy that returns no provider
        Router router = observedRouter()
                .strategy((request, candidates) -> List.of())
                .provider("a", answering(ANSWER), p -> p.modelName("model-a"))
                .build();

        // WHEN routing fails before any attempt
        IllegalStateException failure = catchThrowableOfType(IllegalStateException.class, () -> router.route(REQUEST));

        // THEN the route observation says failure and carries the exception
        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo(ROUTE).that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue(OUTCOME, "failure")
                .hasLowCardinalityKeyValueWithKey(ERROR_KIND)
                .hasError(failure);
    }

    private void awaitStopped(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stopped.stream().noneMatch(context -> name.equals(context.getName()))) {
            assertThat(System.nanoTime()).as("%s observation stopped within 5 s", name).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
