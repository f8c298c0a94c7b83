package dev.llmunit.samples.triage;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.samples.triage.TriageTickets.DOUBLE_CHARGE;
import static dev.llmunit.samples.triage.TriageTickets.EXPORT_OUTAGE;
import static dev.llmunit.samples.triage.TriageTickets.LOCKED_OUT;
import static dev.llmunit.samples.triage.TriageTickets.REFUND_MISSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.CallAttempt;
import dev.llmunit.junit.CostBudget;
import dev.llmunit.junit.LatencyBudget;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.LlmModel;
import dev.llmunit.junit.LlmTest;
import dev.llmunit.wiremock.AnthropicFixtures;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The triage service as a user of llmunit tests it: {@link LlmTest @LlmTest} plays OpenAI and
 * Anthropic from the {@code triage} fixture set, the service is built over the injected
 * {@link Router} exactly as production builds it over {@link TriageModels#router}, and every call the
 * service's {@code AiServices} proxy makes lands in the test's {@link LlmCalls ledger}.
 *
 * <p>The class-wide {@link CostBudget} fails any test that spends more than a tenth of a cent, and the
 * class as a whole past half a cent; some tests add a {@link LatencyBudget}. Latency in the ledger
 * is the latency recorded with each fixture, so these checks give the same verdict on every machine.
 */
@LlmTest(fixtures = "triage", providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
@CostBudget(perTest = "0.001", perClass = "0.005")
class TriageServiceTest {

    private TriageService service;

    @BeforeEach
    void createService(Router router) {
        // The same wiring as production: the service holds a router and never knows it is under test.
        service = new TriageService(router);
    }

    @Test
    @LatencyBudget(perCall = "800ms")
    void classifiesADoubleChargeAsHighPriorityBilling(LlmCalls calls) {
        // WHEN
        RoutedTriage result = service.triageRouted(DOUBLE_CHARGE);

        // THEN the app derives the queue and priority from the recorded answer
        assertThat(result.triage()).isEqualTo(new Triage("T-1042", Category.BILLING, Priority.HIGH,
                "Customer was charged twice for the May subscription and wants one refunded.", TriageModels.OPENAI));
        // AND the ledger saw the one call the AiServices proxy made, with the fixture's usage and latency
        assertThat(calls).hasSize(1).allServedBy("openai").hadNoFallbacks().servedFromFixtures();
        LlmCall call = calls.last();
        assertThat(call.usage()).isEqualTo(new Usage(231, 27, 0, 0, 0));
        // gpt-4o-mini: 231 input x $0.15/M = $0.00003465, 27 output x $0.60/M = $0.0000162; total $0.00005085
        assertThat(call.cost()).isEqualTo(usd("0.00005085"));
        assertThat(call.judgedLatency()).isEqualTo(Duration.ofMillis(612)); // metadata.llmunit.latencyMs of the fixture
        assertThat(call).usedFixture("openai-gpt-4o-mini-26dd3b482d36"); // mappings/openai-gpt-4o-mini-26dd3b482d36.json
        // the app reports the same figure the ledger does, for its per-ticket cost log
        assertThat(result.route()).isNotNull();
        assertThat(result.route().cost()).isEqualTo(call.cost());
    }

    @Test
    void answersInTheRequestedJsonWithASummaryThatMeansWhatTheTicketSays() {
        // WHEN
        RoutedTriage result = service.triageRouted(DOUBLE_CHARGE);

        // THEN the raw answer is the JSON shape TicketClassifier.Assessment asks for, before the app parses it
        assertThat(result.route())
                .matchesJsonSchema(Path.of("src/test/resources/triage-assessment.schema.json"))
                // AND it means what the ticket says, though in other words. Scored by the default similarity:
                // all-MiniLM-L6-v2, a small sentence-embedding model that runs in-process (the test dependency
                // in pom.xml). The whole answer is compared, JSON keys and all, which keeps scores modest:
                // this paraphrase scores 0.50, the other tickets' summaries 0.06 to 0.27, so 0.4 leaves
                // room both ways. The lexical fallback, which only sees shared words, gives it 0.26.
                .isSemanticallySimilarTo("A duplicate subscription payment in May; the client would like their money back.", 0.4);
    }

    @Test
    @LatencyBudget(p50 = "700ms", p95 = "800ms")
    void triagesTheMorningQueueWithinItsLatencyBudget(LlmCalls calls) {
        // WHEN three tickets come in
        List<Triage> triaged = List.of(service.triage(DOUBLE_CHARGE), service.triage(EXPORT_OUTAGE), service.triage(LOCKED_OUT));

        // THEN each lands in its queue with its priority
        assertThat(triaged)
                .extracting(Triage::ticketId, Triage::category, Triage::priority, Triage::servedBy)
                .containsExactly(
                        tuple("T-1042", Category.BILLING, Priority.HIGH, "openai"),
                        tuple("T-2077", Category.BUG, Priority.URGENT, "openai"),
                        tuple("T-1050", Category.ACCOUNT, Priority.HIGH, "openai"));
        // AND the ledger holds one call per ticket, all served by OpenAI at the first try
        assertThat(calls).hasSize(3).allServedBy("openai").hadNoRetries().hadNoFallbacks();
        // recorded latencies 612, 738 and 655 ms: the median is 655, the 95th percentile (nearest rank) 738
        assertThat(calls.latencyPercentile(50)).isEqualTo(Duration.ofMillis(655));
        assertThat(calls.latencyPercentile(95)).isEqualTo(Duration.ofMillis(738));
        // gpt-4o-mini, input $0.15/M and output $0.60/M:
        //   T-1042  231 in, 27 out = 0.00003465 + 0.0000162 = 0.00005085
        //   T-2077  229 in, 25 out = 0.00003435 + 0.000015  = 0.00004935
        //   T-1050  240 in, 26 out = 0.000036   + 0.0000156 = 0.0000516
        //   total                                            = 0.0001518
        assertThat(calls.totalCost()).isEqualTo(usd("0.0001518"));
        assertThat(calls.totalUsage()).isEqualTo(new Usage(700, 78, 0, 0, 0));
    }

    @Test
    @LatencyBudget(perCall = "1s")
    void fallsBackToAnthropicWhenOpenAiQuotaIsExhausted(FixtureServer fixtures, LlmCalls calls) {
        // GIVEN OpenAI refuses this ticket: the account ran out of quota (not retried, falls back)
        fixtures.stub(OpenAiFixtures.chatCompletion()
                .whenLastUserMessageContains(REFUND_MISSING.subject())
                .withFixedDelay(Duration.ofMillis(30))
                .insufficientQuota());

        // WHEN
        Triage triage = service.triage(REFUND_MISSING);

        // THEN Anthropic's recorded answer triages the ticket all the same
        assertThat(triage.category()).isEqualTo(Category.BILLING);
        assertThat(triage.priority()).isEqualTo(Priority.HIGH);
        assertThat(triage.servedBy()).isEqualTo(TriageModels.ANTHROPIC);
        // AND the ledger has one call with both attempts
        assertThat(calls).hasSize(1).hadNoRetries();
        LlmCall call = calls.last();
        assertThat(call).wasServedBy("anthropic").fellBackFrom("openai").hasAttempts(2)
                .usedFixture("anthropic-claude-haiku-4-5-8c210c899d24"); // its mapping file's name
        assertThat(call.attempts())
                .extracting(CallAttempt::provider, CallAttempt::error)
                .containsExactly(tuple("openai", ErrorKind.QUOTA_EXHAUSTED), tuple("anthropic", null));
        // a refused attempt is free; claude-haiku-4-5: 318 input x $1/M = $0.000318, 38 output x $5/M = $0.00019
        assertThat(call.cost()).isEqualTo(usd("0.000508"));
        // 30 ms of the OpenAI stub's delay, then Anthropic's recorded 904 ms, no backoff
        assertThat(call.judgedLatency()).isEqualTo(Duration.ofMillis(934));
    }

    @Test
    void triagesWithAnthropicAloneWhenPinnedToIt(@LlmModel("anthropic") ChatModel claude, LlmCalls calls) {
        // GIVEN a service pinned to one provider, as a deployment without OpenAI would run it
        TriageService anthropicOnly = new TriageService(claude);

        // WHEN
        Triage triage = anthropicOnly.triage(REFUND_MISSING);

        // THEN the triage is the one Anthropic's recording gives
        assertThat(triage).isEqualTo(new Triage("T-1043", Category.BILLING, Priority.HIGH,
                "Promised $480 refund for a cancelled annual plan has not arrived.", TriageModels.ANTHROPIC));
        // AND the call is recorded under the pinned model's name, not the router's
        assertThat(calls).hasSize(1).allServedBy("anthropic");
        assertThat(calls.last()).hasAttempts(1);
        assertThat(calls.last().source()).isEqualTo("anthropic");
        // claude-haiku-4-5: 318 x $1/M + 38 x $5/M = $0.000318 + $0.00019
        assertThat(calls.totalCost()).isEqualTo(usd("0.000508"));
        assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(904));
    }

    @Test
    void reportsATypedFailureWhenNoProviderAcceptsItsKey(FixtureServer fixtures, LlmCalls calls) {
        // GIVEN both providers refuse the key for this ticket
        Ticket ticket = new Ticket("T-1099", "Invoice in the wrong currency", "Our April invoice is in USD but our contract says EUR.");
        fixtures.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(ticket.subject()).invalidApiKey());
        fixtures.stub(AnthropicFixtures.messages().whenLastUserMessageContains(ticket.subject()).invalidApiKey());

        // WHEN / THEN the caller gets one typed failure naming both attempts
        assertThatThrownBy(() -> service.triage(ticket))
                .isInstanceOfSatisfying(LlmException.AllProvidersFailed.class,
                        failure -> assertThat(failure.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
        // AND the failed call is in the ledger too, costing nothing (a refused key is not billed)
        LlmCall call = calls.last();
        assertThat(call.succeeded()).isFalse();
        assertThat(call.error()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(call.attempts())
                .extracting(CallAttempt::provider, CallAttempt::error)
                .containsExactly(tuple("openai", ErrorKind.AUTHENTICATION), tuple("anthropic", ErrorKind.AUTHENTICATION));
        assertThat(call.cost()).isEqualTo(usd("0"));
    }
}
