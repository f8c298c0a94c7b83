package dev.llmunit.core.ensemble;

import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.ScriptedChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An ensemble reserves for all its members before fan-out. Prices and the input estimate are fixed:
 * each member sample is estimated at 100 input × $0.000001 + 100 output × $0.000002 = $0.0003 and
 * costs 100 × $0.000001 + 80 × $0.000002 = $0.00026.
 */
class EnsembleBudgetTest {

    private static final PriceCatalog PRICES = PriceCatalog.empty()
            .withPrice(ModelPrice.of("test-model", usd("0.000001"), usd("0.000002")));
    private static final ChatRequest REQUEST = ChatRequest.builder().messages(UserMessage.from("Triage this")).maxOutputTokens(100).build();

    private final BudgetLedger ledger = BudgetLedger.inMemory();

    private static ScriptedChatModel billing(String answer) {
        return answeringWithUsage(answer, "test-model", 100, 80);
    }

    private EnsembleBuilder priced(ScriptedChatModel a, ScriptedChatModel b, ScriptedChatModel c) {
        return Ensemble.builder()
                .member("a", a, m -> m.modelName("test-model").weight(2))
                .member("b", b, m -> m.modelName("test-model"))
                .member("c", c, m -> m.modelName("test-model").weight(0.5))
                .routerDefaults(router -> router.priceCatalog(PRICES).tokenEstimator(messages -> 100).retry(r -> r.maxRetries(0)))
                .budgetLedger(ledger);
    }

    @Test
    void refusesBeforeAnyCallWhenTheBudgetCannotAffordEveryMember() {
        ScriptedChatModel a = billing("BILLING");
        ScriptedChatModel b = billing("BILLING");
        ScriptedChatModel c = billing("BUG");
        Ensemble ensemble = priced(a, b, c).name("triage").budget("nightly", usd("0.0008")).build();

        LlmException.BudgetExceeded refused = catchThrowableOfType(LlmException.BudgetExceeded.class, () -> ensemble.run(REQUEST));

        assertThat(refused).hasMessage("ensemble 'triage': estimated cost $0.0009 of 3 member samples (a $0.0003, b $0.0003, c $0.0003)"
                + " would exceed budget 'nightly' (limit $0.0008, spent $0.00, reserved by calls in flight $0.00); nothing was sent");
        assertThat(a.calls() + b.calls() + c.calls()).isZero();
        assertThat(ledger.status("nightly").spent()).isEqualTo(Usd.ZERO);
        assertThat(ledger.status("nightly").reserved()).isEqualTo(Usd.ZERO);
    }

    @Test
    void settlesWhatTheMembersCostAfterTheRun() {
        Ensemble ensemble = priced(billing("BILLING"), billing("BILLING"), billing("BUG")).budget("nightly", usd("0.01")).build();

        EnsembleResult result = ensemble.run(REQUEST);

        assertThat(result.totalCost()).isEqualTo(usd("0.00078"));
        assertThat(ledger.status("nightly").spent()).isEqualTo(usd("0.00078"));
        assertThat(ledger.status("nightly").reserved()).isEqualTo(Usd.ZERO);
    }

    @Test
    void runFewerDropsTheLightestMembersUntilTheRestAreAffordable() {
        ScriptedChatModel c = billing("BUG");
        Ensemble ensemble = priced(billing("BILLING"), billing("BILLING"), c)
                .budget("nightly", usd("0.0007"))
                .budgetPolicy(EnsembleBudgetPolicy.RUN_FEWER)
                .build();

        EnsembleResult result = ensemble.run(REQUEST);

        MemberResult skipped = result.member("c").orElseThrow();
        assertThat(skipped.outcome()).isEqualTo(MemberOutcome.SKIPPED);
        assertThat(skipped.reason()).startsWith("budget: estimated cost $0.0009 of 3 member samples").endsWith("; the policy runs fewer members");
        assertThat(c.calls()).isZero();
        assertThat(result.agreement()).as("shares count the members asked").isEqualTo(1.0);
        assertThat(ledger.status("nightly").spent()).isEqualTo(usd("0.00052"));
    }

    @Test
    void runFewerStillRefusesBelowMinMembers() {
        Ensemble ensemble = priced(billing("BILLING"), billing("BILLING"), billing("BUG"))
                .budget("nightly", usd("0.0004"))
                .budgetPolicy(EnsembleBudgetPolicy.RUN_FEWER)
                .minMembers(2)
                .build();

        LlmException.BudgetExceeded refused = catchThrowableOfType(LlmException.BudgetExceeded.class, () -> ensemble.run(REQUEST));

        assertThat(refused.getMessage()).contains("estimated cost $0.0006 of 2 member samples (a $0.0003, b $0.0003)")
                .contains("(even with only minMembers 2 samples); nothing was sent");
    }

    @Test
    void theMaxCostPerRunLimitsTheMembersEstimates() {
        Ensemble ensemble = priced(billing("x"), billing("x"), billing("x")).maxCostPerRun(usd("0.0005")).build();

        LlmException.BudgetExceeded refused = catchThrowableOfType(LlmException.BudgetExceeded.class, () -> ensemble.run(REQUEST));

        assertThat(refused).hasMessageContaining("exceeds the per-run limit $0.0005");
        assertThat(refused.kind()).isEqualTo(dev.llmunit.core.error.ErrorKind.BUDGET_EXCEEDED);
    }

    @Test
    void aJudgeCallTheBudgetCannotAffordFallsBackToTheConsensus() {
        ScriptedChatModel judge = billing("{\"scores\": [1, 9, 1]}");
        Ensemble ensemble = priced(billing("BILLING"), billing("BUG"), billing("BILLING"))
                .budget("nightly", usd("0.001"))
                .merge(MergeStrategy.bestOfN(Judge.model(judge)))
                .build();

        EnsembleResult result = ensemble.run(REQUEST.toBuilder().build());

        assertThat(judge.calls()).isZero();
        assertThat(result.fallbackReason()).startsWith("the judge call failed (BUDGET_EXCEEDED)");
        assertThat(result.chosenId()).isEqualTo("a");
    }

    @Test
    void aMemberWithoutAPriceIsRefusedUnderABudget() {
        Ensemble ensemble = Ensemble.builder().member("free", answering("x"), m -> m.modelName("no-such-model"))
                .budget("nightly", usd("1")).build();

        LlmException.BudgetExceeded refused = catchThrowableOfType(LlmException.BudgetExceeded.class, () -> ensemble.run(REQUEST));

        assertThat(refused).hasMessageContaining("member sample 'free' has a model without a price, so its cost cannot be checked");
    }

    @Test
    void concurrentRunsNeverJointlyReservePastTheLimit() throws Exception {
        Ensemble ensemble = priced(billing("x"), billing("x"), billing("x")).budget("shared", usd("0.0045")).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> runs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                runs.add(() -> {
                    try {
                        ensemble.run(REQUEST);
                        return true;
                    } catch (LlmException.BudgetExceeded refused) {
                        return false;
                    }
                });
            }
            int succeeded = 0;
            for (Future<Boolean> run : pool.invokeAll(runs)) {
                succeeded += run.get() ? 1 : 0;
            }
            // $0.0045 affords five reservations of $0.0009; five settled runs ($0.0039) leave too little for a sixth.
            assertThat(succeeded).isEqualTo(5);
            assertThat(ledger.status("shared").spent()).isEqualTo(usd("0.00078").times(succeeded));
            assertThat(ledger.status("shared").spent().isGreaterThan(usd("0.0045"))).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
