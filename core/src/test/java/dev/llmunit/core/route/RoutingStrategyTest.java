package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.blockingUntil;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.trace.Attempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RoutingStrategyTest {

    private static final ChatRequest REQUEST = request("Classify this ticket");

    @Nested
    class Priority {

        @Test
        void triesProvidersInDeclarationOrderByDefault() {
            // GIVEN three providers declared a, b, c, all failing
            Router router = Router.builder()
                    .retry(r -> r.maxRetries(0))
                    .provider("a", failingWith(ScriptedChatModel::unavailable))
                    .provider("b", failingWith(ScriptedChatModel::unavailable))
                    .provider("c", failingWith(ScriptedChatModel::unavailable))
                    .build();

            // WHEN / THEN they are tried in declaration order
            assertThat(triedOrder(router)).containsExactly("a", "b", "c");
            assertThat(router.providers()).containsExactly("a", "b", "c");
        }

        @Test
        void explicitPriorityWinsOverDeclarationOrder() {
            // GIVEN providers declared a, b, c with priorities 3, 1, 2
            Router router = Router.builder()
                    .retry(r -> r.maxRetries(0))
                    .provider("a", failingWith(ScriptedChatModel::unavailable), p -> p.priority(3))
                    .provider("b", failingWith(ScriptedChatModel::unavailable), p -> p.priority(1))
                    .provider("c", failingWith(ScriptedChatModel::unavailable), p -> p.priority(2))
                    .build();

            // WHEN / THEN the lowest priority goes first
            assertThat(triedOrder(router)).containsExactly("b", "c", "a");
            assertThat(router.providers()).containsExactly("b", "c", "a");
        }

        @Test
        void equalPrioritiesKeepDeclarationOrder() {
            // GIVEN a and c share priority 1, b has priority 0
            Router router = Router.builder()
                    .retry(r -> r.maxRetries(0))
                    .provider("a", failingWith(ScriptedChatModel::unavailable), p -> p.priority(1))
                    .provider("b", failingWith(ScriptedChatModel::unavailable), p -> p.priority(0))
                    .provider("c", failingWith(ScriptedChatModel::unavailable), p -> p.priority(1))
                    .build();

            // WHEN / THEN b goes first, then the tie a, c in declaration order
            assertThat(triedOrder(router)).containsExactly("b", "a", "c");
        }
    }

    @Nested
    class Weighted {

        @Test
        void twoRoutersWithTheSameSeedServeTheSameSequence() {
            // GIVEN two identical routers, each with weighted(42)
            Router first = threeAnsweringProviders(RoutingStrategy.weighted(42));
            Router second = threeAnsweringProviders(RoutingStrategy.weighted(42));

            // WHEN each routes 50 calls
            List<String> servedByFirst = servedBy(first, 50);
            List<String> servedBySecond = servedBy(second, 50);

            // THEN they chose the same providers in the same order, and not always the same one
            assertThat(servedByFirst).isEqualTo(servedBySecond);
            assertThat(servedByFirst.stream().distinct().count()).isGreaterThan(1);
        }

        @Test
        void firstChoiceFollowsTheWeights() {
            // GIVEN a with weight 1 and b with weight 3
            RoutingStrategy weighted = RoutingStrategy.weighted(7);
            List<RouteCandidate> candidates = List.of(candidate("a").weight(1), candidate("b").weight(3));

            // WHEN ordering 10,000 times
            Map<String, Long> firsts = firstChoices(weighted, candidates, 10_000);

            // THEN b is first about three times in four
            assertThat(firsts.get("b")).isBetween(7_000L, 8_000L);
            assertThat(firsts.get("a")).isBetween(2_000L, 3_000L);
        }

        @Test
        void weightZeroIsNeverFirst() {
            // GIVEN a fallback-only provider a (weight 0) declared first
            RoutingStrategy weighted = RoutingStrategy.weighted();
            List<RouteCandidate> candidates = List.of(candidate("a").weight(0), candidate("b").weight(1), candidate("c").weight(2));

            // WHEN ordering 10,000 times
            List<List<RouteCandidate>> orders = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                orders.add(weighted.order(REQUEST, candidates));
            }

            // THEN a is always tried last, and every order holds every provider
            assertThat(orders).allSatisfy(order -> {
                assertThat(order).containsExactlyInAnyOrderElementsOf(candidates);
                assertThat(order.get(2).name()).isEqualTo("a");
            });
        }

        @Test
        void weightZeroProviderServesAsFallback() {
            // GIVEN a weight-0 provider and a failing weighted one
            ScriptedChatModel spare = answering("from spare");
            Router router = Router.builder()
                    .strategy(RoutingStrategy.weighted())
                    .retry(r -> r.maxRetries(0))
                    .provider("spare", spare, p -> p.weight(0))
                    .provider("main", failingWith(ScriptedChatModel::rateLimited), p -> p.weight(1))
                    .build();

            // WHEN routing
            RoutedResponse response = router.route(REQUEST);

            // THEN main was tried first and the spare served
            assertThat(response.provider()).isEqualTo("spare");
            assertThat(response.fallbacks()).containsExactly("main");
        }
    }

    @Nested
    class RoundRobin {

        @Test
        void rotatesTheFirstProviderOnEveryCall() {
            // GIVEN three answering providers and round robin
            Router router = threeAnsweringProviders(RoutingStrategy.roundRobin());

            // WHEN routing six calls
            List<String> served = servedBy(router, 6);

            // THEN each call started one provider further along
            assertThat(served).containsExactly("a", "b", "c", "a", "b", "c");
        }

        @Test
        void keepsTheRestOfThePriorityOrderAsFallbacks() {
            // GIVEN round robin over a, b, c
            RoutingStrategy roundRobin = RoutingStrategy.roundRobin();
            List<RouteCandidate> candidates = List.of(candidate("a"), candidate("b"), candidate("c"));

            // WHEN ordering three times
            List<List<String>> orders = List.of(names(roundRobin.order(REQUEST, candidates)),
                    names(roundRobin.order(REQUEST, candidates)), names(roundRobin.order(REQUEST, candidates)));

            // THEN each order is the priority order rotated by one more
            assertThat(orders).containsExactly(List.of("a", "b", "c"), List.of("b", "c", "a"), List.of("c", "a", "b"));
        }
    }

    @Nested
    class LeastLatency {

        @Test
        void putsLowerMovingAverageLatencyFirst() {
            // GIVEN averages of 30, 10 and 20 ms
            List<RouteCandidate> candidates = List.of(candidate("a").latency(Duration.ofMillis(30)),
                    candidate("b").latency(Duration.ofMillis(10)), candidate("c").latency(Duration.ofMillis(20)));

            // WHEN / THEN fastest first
            assertThat(names(RoutingStrategy.leastLatency().order(REQUEST, candidates))).containsExactly("b", "c", "a");
        }

        @Test
        void putsUnmeasuredProvidersFirstSoTheyGetMeasured() {
            // GIVEN a measured at 10 ms and b never successful
            List<RouteCandidate> candidates = List.of(candidate("a").latency(Duration.ofMillis(10)), candidate("b"));

            // WHEN / THEN b goes first
            assertThat(names(RoutingStrategy.leastLatency().order(REQUEST, candidates))).containsExactly("b", "a");
        }

        @Test
        void equalLatenciesKeepPriorityOrder() {
            // GIVEN equal averages
            List<RouteCandidate> candidates = List.of(candidate("a").latency(Duration.ofMillis(5)),
                    candidate("b").latency(Duration.ofMillis(5)), candidate("c").latency(Duration.ofMillis(1)));

            // WHEN / THEN c, then the tie in the order given
            assertThat(names(RoutingStrategy.leastLatency().order(REQUEST, candidates))).containsExactly("c", "a", "b");
        }

        @Test
        void routerCandidatesMeasureLatencyOnlyOfSuccessfulCalls() {
            // GIVEN a strategy that keeps the candidates it sees, a failing and b answering
            List<RouteCandidate> seen = new CopyOnWriteArrayList<>();
            Router router = Router.builder()
                    .retry(r -> r.maxRetries(0))
                    .strategy((request, candidates) -> {
                        seen.addAll(candidates);
                        return candidates;
                    })
                    .provider("a", failingWith(ScriptedChatModel::unavailable))
                    .provider("b", answering("from b"))
                    .provider("c", answering("from c"))
                    .build();

            // WHEN routing once (a fails, b serves, c is not called)
            router.route(REQUEST);

            // THEN only b has a moving-average latency
            Map<String, Duration> latencies = seen.stream().collect(Collectors.toMap(RouteCandidate::name, RouteCandidate::averageLatency));
            assertThat(latencies.get("a")).isZero();
            assertThat(latencies.get("b")).isPositive();
            assertThat(latencies.get("c")).isZero();
        }
    }

    @Nested
    class Cheapest {

        private final ModelPrice large = ModelPrice.of("large", Usd.usd("0.0000025"), Usd.usd("0.00001"));
        private final ModelPrice small = ModelPrice.of("small", Usd.usd("0.00000015"), Usd.usd("0.0000006"));

        @Test
        void putsLowerEstimatedCostFirst() {
            // GIVEN a large and a small model
            List<RouteCandidate> candidates = List.of(candidate("a").price(large), candidate("b").price(small));

            // WHEN / THEN the small one goes first
            assertThat(names(RoutingStrategy.cheapest(messages -> 1_000).order(REQUEST, candidates))).containsExactly("b", "a");
        }

        @Test
        void putsUnpricedProvidersLast() {
            // GIVEN an unpriced provider first in priority order
            List<RouteCandidate> candidates = List.of(candidate("unpriced"), candidate("a").price(large), candidate("b").price(small));

            // WHEN / THEN it goes after every priced one
            assertThat(names(RoutingStrategy.cheapest(messages -> 1_000).order(REQUEST, candidates)))
                    .containsExactly("b", "a", "unpriced");
        }

        @Test
        void estimatesOutputAtTheRequestsMaximumOutputTokens() {
            // GIVEN x cheap on output and y cheap on input
            ModelPrice cheapOutput = ModelPrice.of("x", Usd.usd("0.00001"), Usd.usd("0.000001"));
            ModelPrice cheapInput = ModelPrice.of("y", Usd.usd("0.000001"), Usd.usd("0.00001"));
            List<RouteCandidate> candidates = List.of(candidate("x").price(cheapOutput), candidate("y").price(cheapInput));
            RoutingStrategy cheapest = RoutingStrategy.cheapest(messages -> 1_000);
            ChatRequest shortAnswer = REQUEST.toBuilder().maxOutputTokens(10).build();
            ChatRequest longAnswer = REQUEST.toBuilder().maxOutputTokens(100_000).build();

            // WHEN / THEN the cheaper input wins a short answer, the cheaper output a long one
            assertThat(names(cheapest.order(shortAnswer, candidates))).containsExactly("y", "x");
            assertThat(names(cheapest.order(longAnswer, candidates))).containsExactly("x", "y");
        }

        @Test
        void routerPricesProvidersFromItsCatalog() {
            // GIVEN a catalog where only "small" is cheap, declared after "large"
            Router router = Router.builder()
                    .strategy(RoutingStrategy.cheapest())
                    .priceCatalog(PriceCatalog.empty().withPrice(large).withPrice(small))
                    .provider("big", answering("from big"), p -> p.modelName("large"))
                    .provider("little", answering("from little"), p -> p.modelName("small"))
                    .build();

            // WHEN routing
            RoutedResponse response = router.route(REQUEST);

            // THEN the cheaper provider served
            assertThat(response.provider()).isEqualTo("little");
        }
    }

    @Nested
    class LeastBusy {

        @Test
        void putsFewerInFlightCallsFirst() {
            // GIVEN 3, 0 and 1 calls in flight
            List<RouteCandidate> candidates = List.of(candidate("a").inFlight(3), candidate("b").inFlight(0), candidate("c").inFlight(1));

            // WHEN / THEN least busy first
            assertThat(names(RoutingStrategy.leastBusy().order(REQUEST, candidates))).containsExactly("b", "c", "a");
        }

        @Test
        void equalLoadKeepsPriorityOrder() {
            // GIVEN a tie between a and c
            List<RouteCandidate> candidates = List.of(candidate("a").inFlight(1), candidate("b").inFlight(2), candidate("c").inFlight(1));

            // WHEN / THEN a before c
            assertThat(names(RoutingStrategy.leastBusy().order(REQUEST, candidates))).containsExactly("a", "c", "b");
        }

        @Test
        void routerSendsTheNextCallAwayFromAProviderBusyWithACall() throws Exception {
            // GIVEN a router whose first provider is blocked in a call
            CountDownLatch release = new CountDownLatch(1);
            ScriptedChatModel a = blockingUntil(release, "from a");
            Router router = Router.builder()
                    .strategy(RoutingStrategy.leastBusy())
                    .provider("a", a)
                    .provider("b", answering("from b"))
                    .build();
            CompletableFuture<RoutedResponse> busy = router.routeAsync(REQUEST);
            assertThat(a.awaitStarted()).isTrue();

            // WHEN routing another call
            RoutedResponse response = router.route(REQUEST);

            // THEN the idle provider serves it
            assertThat(response.provider()).isEqualTo("b");
            release.countDown();
            assertThat(busy.get(5, TimeUnit.SECONDS).provider()).isEqualTo("a");
        }
    }

    @Nested
    class Custom {

        @Test
        void lambdaDecidesTheOrderAndMayOmitProviders() {
            // GIVEN a strategy that tries c, then a, and never b
            ScriptedChatModel a = answering("from a");
            ScriptedChatModel b = answering("from b");
            Router router = Router.builder()
                    .retry(r -> r.maxRetries(0))
                    .strategy((request, candidates) -> List.of(candidates.get(2), candidates.get(0)))
                    .provider("a", a)
                    .provider("b", b)
                    .provider("c", failingWith(ScriptedChatModel::rateLimited))
                    .build();

            // WHEN routing
            RoutedResponse response = router.route(REQUEST);

            // THEN c was tried, a served, and b was never called
            assertThat(response.provider()).isEqualTo("a");
            assertThat(response.fallbacks()).containsExactly("c");
            assertThat(b.calls()).isZero();
        }

        @Test
        void foreignCandidateFailsWithClearMessage() {
            // GIVEN a strategy returning a look-alike candidate it made itself
            ScriptedChatModel a = answering("from a");
            Router router = Router.builder()
                    .strategy((request, candidates) -> List.of(candidate("a")))
                    .provider("a", a)
                    .provider("b", answering("from b"))
                    .build();

            // WHEN / THEN routing fails before any call
            assertThatThrownBy(() -> router.route(REQUEST))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("which is not one of this router's providers [a, b]")
                    .hasMessageContaining("return elements of the candidates list");
            assertThat(a.calls()).isZero();
        }

        @Test
        void emptyOrderFailsWithClearMessage() {
            // GIVEN a strategy returning no provider
            Router router = Router.builder()
                    .strategy((request, candidates) -> List.of())
                    .provider("a", answering("from a"))
                    .provider("b", answering("from b"))
                    .build();

            // WHEN / THEN routing fails naming the providers it could have returned
            assertThatThrownBy(() -> router.route(REQUEST))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("returned no provider; it must return at least one of [a, b]");
        }

        @Test
        void nullOrderFailsLikeAnEmptyOne() {
            // GIVEN a strategy returning null
            Router router = Router.builder()
                    .strategy((request, candidates) -> null)
                    .provider("a", answering("from a"))
                    .build();

            // WHEN / THEN
            assertThatThrownBy(() -> router.route(REQUEST))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("returned no provider");
        }
    }

    // Helpers.

    private static List<String> triedOrder(Router router) {
        LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class, () -> router.route(REQUEST));
        assertThat(failure).as("routing should fail on every provider").isNotNull();
        return failure.attempts().stream().map(Attempt::provider).toList();
    }

    private static Router threeAnsweringProviders(RoutingStrategy strategy) {
        return Router.builder()
                .strategy(strategy)
                .provider("a", answering("from a"))
                .provider("b", answering("from b"))
                .provider("c", answering("from c"))
                .build();
    }

    private static List<String> servedBy(Router router, int calls) {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            served.add(router.route(REQUEST).provider());
        }
        return served;
    }

    private static Map<String, Long> firstChoices(RoutingStrategy strategy, List<RouteCandidate> candidates, int times) {
        List<String> firsts = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            firsts.add(strategy.order(REQUEST, candidates).get(0).name());
        }
        return firsts.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static List<String> names(List<RouteCandidate> candidates) {
        return candidates.stream().map(RouteCandidate::name).toList();
    }

    private static FakeCandidate candidate(String name) {
        return new FakeCandidate(name, 1, 0, Optional.empty(), 0, Duration.ZERO);
    }

    /** A candidate with hand-set state, for calling the built-in strategies directly. */
    private record FakeCandidate(String name, int weight, int priority, Optional<ModelPrice> price, int inFlight,
            Duration averageLatency) implements RouteCandidate {

        FakeCandidate weight(int newWeight) {
            return new FakeCandidate(name, newWeight, priority, price, inFlight, averageLatency);
        }

        FakeCandidate price(ModelPrice newPrice) {
            return new FakeCandidate(name, weight, priority, Optional.of(newPrice), inFlight, averageLatency);
        }

        FakeCandidate inFlight(int newInFlight) {
            return new FakeCandidate(name, weight, priority, price, newInFlight, averageLatency);
        }

        FakeCandidate latency(Duration newLatency) {
            return new FakeCandidate(name, weight, priority, price, inFlight, newLatency);
        }

        @Override
        public @Nullable String modelName() {
            return price.map(ModelPrice::model).orElse(null);
        }

        @Override
        public @Nullable Integer maxInputTokens() {
            return null;
        }

        @Override
        public CircuitState circuitState() {
            return CircuitState.CLOSED;
        }
    }
}
