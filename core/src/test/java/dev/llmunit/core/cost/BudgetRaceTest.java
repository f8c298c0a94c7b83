package dev.llmunit.core.cost;

import static dev.llmunit.core.cost.Usd.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.ScriptedChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance test of budgets: threads racing through one router never spend past the limit,
 * and every call is accounted for exactly. Each race is repeated with a fresh router and ledger,
 * so that an unguarded check-then-reserve would show.
 */
class BudgetRaceTest {

    private static final int THREADS = 32;
    private static final int ROUNDS = 200;
    private static final int SLOW_ROUNDS = 50;
    /** Never reached: the limit admits about 38 calls in all, so every thread ends with a refusal. */
    private static final int MAX_CALLS_PER_THREAD = 100;

    private static final Usd LIMIT = usd("0.01");
    /** 100 estimated input tokens × $0.000001 + the request's 100 maximum output tokens × $0.000002. */
    private static final Usd ESTIMATE = usd("0.0003");
    /** 100 input tokens × $0.000001 + the 80 output tokens the provider reports × $0.000002. */
    private static final Usd ACTUAL = usd("0.00026");
    /**
     * What a race must at least spend: when the last refusal happens, spent + reserved + estimate
     * exceeds the limit, and afterwards only the at most {@code THREADS - 1} calls in flight settle,
     * each giving back estimate − actual. Below this, the ledger refused calls it could afford.
     */
    private static final Usd LEAST_SPENT = usd("0.00846");
    /** Room for two estimates, so that racing threads cross the limit thousands of times a round. */
    private static final Usd EDGE_LIMIT = usd("0.0006");
    private static final int EDGE_ROUNDS = 20;

    private static final PriceCatalog PRICES = PriceCatalog.empty()
            .withPrice(ModelPrice.of("test-model", usd("0.000001"), usd("0.000002")));
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .messages(UserMessage.from("Spend a little"))
            .maxOutputTokens(100)
            .build();

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void neverSpendsPastTheLimitAndAccountsForEveryCallWhen32ThreadsRaceThroughOneRouter(TestReporter reporter)
            throws Exception {
        // GIVEN a fresh router over an instant provider with a $0.01 budget, each round
        Figures figures = new Figures();

        for (int round = 1; round <= ROUNDS; round++) {
            // WHEN 32 threads start together and call until the budget refuses them
            Race race = race(ScriptedChatModel.answeringWithUsage("spent", "test-model", 100, 80));

            // THEN
            assertAccountedExactly(race, round);
            figures.add(race);
        }
        reporter.publishEntry("instant provider", figures.describe(ROUNDS));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void neverSpendsPastTheLimitAndAccountsForEveryCallWhenSlowCallsHoldTheirReservations(TestReporter reporter)
            throws Exception {
        // GIVEN a fresh router over a provider taking 3 ms per call, so reservations overlap, each round
        Figures figures = new Figures();

        for (int round = 1; round <= SLOW_ROUNDS; round++) {
            // WHEN 32 threads start together and call until the budget refuses them
            Race race = race(ScriptedChatModel.answeringWithUsageAfter(Duration.ofMillis(3), "spent", "test-model", 100, 80));

            // THEN
            assertAccountedExactly(race, round);
            figures.add(race);
        }
        reporter.publishEntry("slow provider", figures.describe(SLOW_ROUNDS));
        assertThat(figures.mostReserved)
                .as("most reserved at once in any round: the delay must make reservations overlap, else this race proves little")
                .isGreaterThanOrEqualTo(ESTIMATE.times(10));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void grantsExactlyAsManyReservationsAsTheLimitHoldsUnderContention() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            // GIVEN a $0.01 scope, which holds 33 reservations of $0.0003 ($0.0099) but not 34
            BudgetLedger ledger = BudgetLedger.inMemory();
            ledger.limit("race", LIMIT);
            AtomicInteger granted = new AtomicInteger();

            // WHEN 32 threads each try 100 reservations at once
            runTogether(() -> {
                for (int i = 0; i < 100; i++) {
                    if (ledger.tryReserve("race", ESTIMATE).isPresent()) {
                        granted.incrementAndGet();
                    }
                }
                return null;
            });

            // THEN
            assertThat(granted.get()).as("round %d: reservations granted", round).isEqualTo(33);
            assertThat(ledger.status("race"))
                    .as("round %d", round)
                    .isEqualTo(new BudgetStatus("race", LIMIT, Usd.ZERO, usd("0.0099"), THREADS * 100 - 33));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void neverHoldsMoreThanTheLimitWhileThreadsReserveAndReleaseAtItsEdge() throws Exception {
        for (int round = 1; round <= EDGE_ROUNDS; round++) {
            // GIVEN a scope that holds two reservations at a time, and the most it ever held
            BudgetLedger ledger = BudgetLedger.inMemory();
            ledger.limit("edge", EDGE_LIMIT);
            AtomicReference<Usd> mostReserved = mostReservedOf(ledger);

            // WHEN 32 threads reserve and release 2,000 times each, crossing the limit again and again
            runTogether(() -> {
                for (int i = 0; i < 2_000; i++) {
                    ledger.tryReserve("edge", ESTIMATE).ifPresent(ledger::release);
                }
                return null;
            });

            // THEN no grant ever took the scope past its limit
            assertThat(mostReserved.get()).as("round %d: most reserved at once", round).isLessThanOrEqualTo(EDGE_LIMIT);
            assertThat(ledger.status("edge").reserved()).as("round %d: reserved at the end", round).isEqualTo(Usd.ZERO);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void neverHoldsMoreThanTheLimitWhileRoutedCallsRaceAtItsEdge() throws Exception {
        for (int round = 1; round <= EDGE_ROUNDS / 2; round++) {
            // GIVEN a router whose scope holds two estimates at a time, over a provider that bills nothing,
            // so the scope never fills up and every call races for one of two places
            ScriptedChatModel provider = ScriptedChatModel.answeringWithUsage("free", "test-model", 0, 0);
            BudgetLedger ledger = BudgetLedger.inMemory();
            AtomicReference<Usd> mostReserved = mostReservedOf(ledger);
            Router router = router(provider, ledger, EDGE_LIMIT);
            AtomicInteger successes = new AtomicInteger();
            Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();

            // WHEN 32 threads route 500 calls each
            runTogether(() -> {
                for (int i = 0; i < 500; i++) {
                    try {
                        router.route(REQUEST);
                        successes.incrementAndGet();
                    } catch (RuntimeException failure) {
                        failures.add(failure);
                    }
                }
                return null;
            });

            // THEN
            BudgetStatus status = ledger.status("race");
            assertThat(mostReserved.get()).as("round %d: most reserved at once", round).isLessThanOrEqualTo(EDGE_LIMIT);
            assertThat(failures).as("round %d: failures", round).allSatisfy(failure ->
                    assertThat(failure).isInstanceOf(LlmException.BudgetExceeded.class));
            assertThat(successes.get() + failures.size()).as("round %d: successes + refusals", round).isEqualTo(THREADS * 500);
            assertThat(provider.calls()).as("round %d: provider calls", round).isEqualTo(successes.get());
            assertThat(status).as("round %d", round)
                    .isEqualTo(new BudgetStatus("race", EDGE_LIMIT, Usd.ZERO, Usd.ZERO, failures.size()));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void settlesAReservationOnlyOnceWhenThreadsRaceToSettleIt() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            // GIVEN one open reservation
            BudgetLedger ledger = BudgetLedger.inMemory();
            ledger.limit("race", LIMIT);
            Reservation reservation = ledger.tryReserve("race", ESTIMATE).orElseThrow();
            AtomicInteger settled = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();

            // WHEN 32 threads settle it at once
            runTogether(() -> {
                try {
                    ledger.settle(reservation, ACTUAL);
                    settled.incrementAndGet();
                } catch (IllegalStateException alreadySettled) {
                    refused.incrementAndGet();
                }
                return null;
            });

            // THEN exactly one settlement counts
            assertThat(settled.get()).as("round %d: settlements that succeeded", round).isEqualTo(1);
            assertThat(refused.get()).as("round %d: settlements refused", round).isEqualTo(THREADS - 1);
            assertThat(ledger.status("race"))
                    .as("round %d", round)
                    .isEqualTo(new BudgetStatus("race", LIMIT, ACTUAL, Usd.ZERO, 0));
        }
    }

    /** One round: a fresh ledger and router, 32 threads released by one gate, each calling until refused. */
    private Race race(ScriptedChatModel provider) throws Exception {
        BudgetLedger ledger = BudgetLedger.inMemory();
        AtomicReference<Usd> mostReserved = mostReservedOf(ledger);
        Router router = router(provider, ledger, LIMIT);
        Queue<Usd> costs = new ConcurrentLinkedQueue<>();
        Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger calls = new AtomicInteger();

        runTogether(() -> {
            for (int i = 0; i < MAX_CALLS_PER_THREAD; i++) {
                calls.incrementAndGet();
                try {
                    costs.add(router.route(REQUEST).cost());
                } catch (RuntimeException failure) {
                    failures.add(failure);
                    return null;
                }
            }
            return null;
        });
        return new Race(ledger.status("race"), List.copyOf(costs), List.copyOf(failures), calls.get(), provider.calls(),
                mostReserved.get());
    }

    /** One router over the provider, priced as test-model, charging scope "race" of the ledger. */
    private static Router router(ScriptedChatModel provider, BudgetLedger ledger, Usd limit) {
        return Router.builder()
                .provider("p", provider, p -> p.modelName("test-model"))
                .priceCatalog(PRICES)
                .tokenEstimator(messages -> 100)
                .budgetLedger(ledger)
                .budget("race", limit)
                .build();
    }

    /** The most the ledger's scopes held reserved at once, as its events report it (each taken under the scope's lock). */
    private static AtomicReference<Usd> mostReservedOf(BudgetLedger ledger) {
        AtomicReference<Usd> most = new AtomicReference<>(Usd.ZERO);
        ledger.addListener(event -> {
            if (event instanceof BudgetEvent.Reserved reserved) {
                most.accumulateAndGet(reserved.status().reserved(), (a, b) -> a.isGreaterThan(b) ? a : b);
            }
        });
        return most;
    }

    /** Runs the task on every pool thread, all released at once by a start gate, and waits for them. */
    private void runTogether(Callable<Void> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> workers = new ArrayList<>(THREADS);
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        for (Future<Void> worker : workers) {
            worker.get(20, TimeUnit.SECONDS);
        }
    }

    private static void assertAccountedExactly(Race race, int round) {
        BudgetStatus status = race.status();
        assertThat(status.spent()).as("round %d: spent", round).isLessThanOrEqualTo(LIMIT);
        assertThat(sum(race.costs())).as("round %d: sum of the routed responses' costs", round).isEqualTo(status.spent());
        assertThat(race.costs()).as("round %d: each response's cost", round).containsOnly(ACTUAL);
        assertThat(race.failures()).as("round %d: failures", round).allSatisfy(failure -> {
            assertThat(failure).isInstanceOf(LlmException.BudgetExceeded.class);
            assertThat(((LlmException) failure).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
            assertThat(failure).hasMessageContaining("estimated cost " + ESTIMATE)
                    .hasMessageContaining("would exceed budget 'race' (limit " + LIMIT + ",");
        });
        assertThat(race.costs().size() + race.failures().size()).as("round %d: successes + refusals", round)
                .isEqualTo(race.calls());
        assertThat(race.failures()).as("round %d: refusals, one per thread", round).hasSize(THREADS);
        assertThat(status.refusals()).as("round %d: refusals the ledger counted", round).isEqualTo(race.failures().size());
        assertThat(status.reserved()).as("round %d: reserved after the race", round).isEqualTo(Usd.ZERO);
        assertThat(race.providerCalls()).as("round %d: provider calls", round).isEqualTo(race.costs().size());
        assertThat(status.spent()).as("round %d: spent (the ledger must not refuse affordable calls)", round)
                .isGreaterThan(LEAST_SPENT);
    }

    private static Usd sum(List<Usd> amounts) {
        Usd total = Usd.ZERO;
        for (Usd amount : amounts) {
            total = total.plus(amount);
        }
        return total;
    }

    /** What one round observed. */
    private record Race(BudgetStatus status, List<Usd> costs, List<RuntimeException> failures, int calls, int providerCalls,
            Usd mostReservedAtOnce) {}

    /** The spread of the rounds, for the test report. */
    private static final class Figures {
        private Usd minSpent;
        private Usd maxSpent;
        private int minCalls = Integer.MAX_VALUE;
        private int maxCalls;
        private int minSuccesses = Integer.MAX_VALUE;
        private int maxSuccesses;
        private long refusals;
        private Usd leastMostReserved;
        private Usd mostReserved = Usd.ZERO;

        void add(Race race) {
            Usd spent = race.status().spent();
            minSpent = minSpent == null || minSpent.isGreaterThan(spent) ? spent : minSpent;
            maxSpent = maxSpent == null || spent.isGreaterThan(maxSpent) ? spent : maxSpent;
            minCalls = Math.min(minCalls, race.calls());
            maxCalls = Math.max(maxCalls, race.calls());
            minSuccesses = Math.min(minSuccesses, race.costs().size());
            maxSuccesses = Math.max(maxSuccesses, race.costs().size());
            refusals += race.failures().size();
            leastMostReserved = leastMostReserved == null || leastMostReserved.isGreaterThan(race.mostReservedAtOnce())
                    ? race.mostReservedAtOnce() : leastMostReserved;
            mostReserved = race.mostReservedAtOnce().isGreaterThan(mostReserved) ? race.mostReservedAtOnce() : mostReserved;
        }

        String describe(int rounds) {
            return rounds + " rounds of " + THREADS + " threads; calls per round " + minCalls + ".." + maxCalls
                    + "; successes per round " + minSuccesses + ".." + maxSuccesses + "; spent " + minSpent + ".." + maxSpent
                    + " of " + LIMIT + "; refusals " + refusals + "; most reserved at once (per round) " + leastMostReserved
                    + ".." + mostReserved;
        }
    }
}
