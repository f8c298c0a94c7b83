package dev.llmunit.core.cost;

import static dev.llmunit.core.cost.Usd.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.ScriptedChatModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stated policy when a provider bills more than the reserved estimate and a settlement takes a
 * scope past its limit (issue 15.3): the spending is kept, counted as a breach with its overshoot,
 * published as {@link BudgetEvent.Breached}, counted in {@code llmunit.budget.breaches}, and the
 * scope refuses every further reservation, saying it is overspent. Never silent, also under
 * concurrency.
 */
class BudgetBreachTest {

    private static final PriceCatalog PRICES = PriceCatalog.empty()
            .withPrice(ModelPrice.of("test-model", usd("0.000001"), usd("0.000002")));
    /** 100 estimated input tokens (fixed estimator) and at most 100 output tokens: reserves $0.0003. */
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .messages(UserMessage.from("Summarise this ticket"))
            .maxOutputTokens(100)
            .build();
    private static final int THREADS = 32;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static Router router(ScriptedChatModel provider, BudgetLedger ledger, Usd limit, SimpleMeterRegistry meters) {
        return Router.builder()
                .priceCatalog(PRICES)
                .tokenEstimator(messages -> 100)
                .retry(r -> r.maxRetries(0))
                .meterRegistry(meters)
                .budgetLedger(ledger)
                .budget("nightly", limit)
                .provider("p", provider, p -> p.modelName("test-model"))
                .build();
    }

    private static double breachesMetered(SimpleMeterRegistry meters) {
        return meters.get("llmunit.budget.breaches").counter().count();
    }

    @Test
    void aSettlementPastTheLimitIsABreachAndTheScopeRefusesTheNextCall() {
        // GIVEN a $0.03 scope holding $0.0297 spent, and a provider that bills 100 in and 656 out
        // ($0.001412) where $0.0003 was reserved: the issue's $0.031112 against $0.03
        BudgetLedger ledger = BudgetLedger.inMemory();
        ledger.limit("nightly", usd("0.03"));
        ledger.settle(ledger.tryReserve("nightly", usd("0.0297")).orElseThrow(), usd("0.0297"));
        List<BudgetEvent> events = new ArrayList<>();
        ledger.addListener(events::add);
        ScriptedChatModel provider = ScriptedChatModel.answeringWithUsage("a long answer", "test-model", 100, 656);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Router router = router(provider, ledger, usd("0.03"), meters);

        // WHEN one call is answered
        router.route(REQUEST);

        // THEN its cost is kept, and the overshoot is reported as a breach, an event and a metric
        BudgetStatus status = ledger.status("nightly");
        assertThat(status.spent()).isEqualTo(usd("0.031112"));
        assertThat(status.breached()).isTrue();
        assertThat(status.breaches()).isEqualTo(1);
        assertThat(status.overshoot()).isEqualTo(usd("0.001112"));
        assertThat(events).last().isEqualTo(new BudgetEvent.Breached("nightly", usd("0.0003"), usd("0.001412"),
                usd("0.001112"), status));
        assertThat(events.get(events.size() - 2)).isInstanceOf(BudgetEvent.Settled.class);
        assertThat(breachesMetered(meters)).isEqualTo(1.0);

        // WHEN the next call is routed
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> router.route(REQUEST), LlmException.BudgetExceeded.class);

        // THEN it is refused before the provider is called, saying the scope is overspent
        assertThat(provider.calls()).isEqualTo(1);
        assertThat(refused).hasMessage("p: budget 'nightly' is already overspent: spent $0.031112 against its limit $0.03 "
                + "($0.001112 over, in 1 breach where a provider billed more than the estimate), so it refuses every further call");
    }

    @Test
    void aSettlementWithinTheEstimateIsNoBreach() {
        // GIVEN a provider billing less than the estimate
        BudgetLedger ledger = BudgetLedger.inMemory();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Router router = router(ScriptedChatModel.answeringWithUsage("short", "test-model", 100, 80), ledger, usd("0.0003"), meters);

        // WHEN
        router.route(REQUEST);

        // THEN the scope stays below its limit, with no breach
        assertThat(ledger.status("nightly").breaches()).isZero();
        assertThat(ledger.status("nightly").overshoot()).isEqualTo(Usd.ZERO);
        assertThat(breachesMetered(meters)).isZero();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void underConcurrencyNoReservationIsGrantedOnceOverspentAndEveryBreachIsCounted() throws Exception {
        int breachedRounds = 0;
        for (int round = 1; round <= 30; round++) {
            // GIVEN a $0.01 scope and a 1 ms provider that bills $0.0005 where $0.0003 is reserved
            BudgetLedger ledger = BudgetLedger.inMemory();
            Queue<BudgetEvent> events = new ConcurrentLinkedQueue<>();
            ledger.addListener(events::add);
            ScriptedChatModel provider = ScriptedChatModel.answeringWithUsageAfter(Duration.ofMillis(1), "spent", "test-model", 100, 200);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Router router = router(provider, ledger, usd("0.01"), meters);
            AtomicInteger answered = new AtomicInteger();
            Queue<LlmException> refusals = new ConcurrentLinkedQueue<>();

            // WHEN 32 threads call until refused
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 100; i++) {
                        try {
                            router.route(REQUEST);
                            answered.incrementAndGet();
                        } catch (LlmException.BudgetExceeded refused) {
                            refusals.add(refused);
                            break;
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }

            // THEN every answered call is paid for, every breach is counted three ways,
            // and no reservation was granted while the scope was overspent
            BudgetStatus status = ledger.status("nightly");
            long breachEvents = events.stream().filter(BudgetEvent.Breached.class::isInstance).count();
            assertThat(status.spent()).as("round %d: spent", round).isEqualTo(usd("0.0005").times(answered.get()));
            assertThat(status.reserved()).as("round %d: reserved", round).isEqualTo(Usd.ZERO);
            assertThat(status.breaches()).as("round %d: breaches", round).isEqualTo(breachEvents);
            assertThat(status.breached()).as("round %d: overspent exactly when a settlement breached", round)
                    .isEqualTo(status.breaches() > 0);
            if (status.breached()) {
                breachedRounds++;
            }
            assertThat(breachesMetered(meters)).as("round %d: metered breaches", round).isEqualTo((double) status.breaches());
            assertThat(events).filteredOn(BudgetEvent.Reserved.class::isInstance)
                    .as("round %d: reservations granted while overspent", round)
                    .noneMatch(event -> ((BudgetEvent.Reserved) event).status().spent().isGreaterThan(usd("0.01")));
            // At most the calls in flight when the scope crossed its limit settle past it.
            assertThat(status.overshoot()).as("round %d: overshoot", round).isLessThanOrEqualTo(usd("0.0005").times(THREADS));
            assertThat(refusals).as("round %d: one refusal per thread", round).hasSize(THREADS);
            assertThat(provider.calls()).as("round %d: provider calls", round).isEqualTo(answered.get());
        }
        // Calls overlap (32 threads, 1 ms each) and each bills 5/3 of its reservation, so rounds end overspent;
        // a round whose calls happened not to overlap near the limit ends within it, which is fine.
        assertThat(breachedRounds).as("rounds that ended overspent, of 30").isPositive();
    }
}
