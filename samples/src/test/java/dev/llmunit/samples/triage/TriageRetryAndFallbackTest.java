package dev.llmunit.samples.triage;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.samples.triage.TriageTickets.EXPORT_OUTAGE;
import static dev.llmunit.samples.triage.TriageTickets.WEBHOOKS_LATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.CallAttempt;
import dev.llmunit.junit.LatencyBudget;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.LlmRouter;
import dev.llmunit.junit.LlmTest;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The triage service on a router the test class builds itself with the core DSL: an
 * {@link LlmRouter @LlmRouter} factory, given the suite's fixture server, that llmunit calls once per
 * test. Here it sets the retry policy a triage wants (one quick retry, fixed backoff) instead of the
 * router's defaults, and the tests check the policy through the call ledger.
 */
@LlmTest(fixtures = "triage")
class TriageRetryAndFallbackTest {

    @LlmRouter
    static Router router(FixtureServer fixtures) {
        return Router.builder()
                .provider("openai", FixtureModels.openAiChat(fixtures, TriageModels.OPENAI_MODEL))
                .provider("anthropic", FixtureModels.anthropicChat(fixtures, TriageModels.ANTHROPIC_MODEL))
                // One retry after a fixed 50 ms: a ticket should move on to the fallback quickly.
                .retry(retry -> retry.maxRetries(1).initialBackoff(Duration.ofMillis(50)).jitter(0))
                .build();
    }

    @Test
    @LatencyBudget(perCall = "800ms")
    void servesARecordedTicketFromTheFirstProviderWithoutRetrying(Router router, LlmCalls calls) {
        // GIVEN
        TriageService service = new TriageService(router);

        // WHEN
        RoutedTriage result = service.triageRouted(EXPORT_OUTAGE);

        // THEN an outage is urgent
        assertThat(result.triage().category()).isEqualTo(Category.BUG);
        assertThat(result.triage().priority()).isEqualTo(Priority.URGENT);
        // gpt-4o-mini: 229 input x $0.15/M = $0.00003435, 25 output x $0.60/M = $0.000015; total $0.00004935
        assertThat(result.route())
                .wasServedBy("openai")
                .hadNoFallbacks()
                .hadNoRetries()
                .costs(usd("0.00004935"))
                .isValidJson()
                .contains("\"URGENT\"");
        assertThat(calls).hasSize(1).hadNoRetries().eachCompletedWithin(Duration.ofMillis(800));
        assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(738)); // as recorded
    }

    @Test
    @LatencyBudget(perCall = "1.2s")
    void retriesOnceThenFallsBackWhenOpenAiStaysOverloaded(Router router, FixtureServer fixtures, LlmCalls calls) {
        // GIVEN OpenAI answers 503 (overloaded) for this ticket, after 20 ms each time
        fixtures.stub(OpenAiFixtures.chatCompletion()
                .whenLastUserMessageContains(WEBHOOKS_LATE.subject())
                .withFixedDelay(Duration.ofMillis(20))
                .overloaded());
        TriageService service = new TriageService(router);

        // WHEN
        Triage triage = service.triage(WEBHOOKS_LATE);

        // THEN Anthropic's recorded answer triages it
        assertThat(triage.category()).isEqualTo(Category.BUG);
        assertThat(triage.priority()).isEqualTo(Priority.HIGH);
        assertThat(triage.servedBy()).isEqualTo("anthropic");
        // AND the ledger shows the policy: the first try, one retry after 50 ms, then the fallback
        assertThat(calls).hasSize(1);
        LlmCall call = calls.last();
        assertThat(call).wasServedBy("anthropic").fellBackFrom("openai").hasAttempts(3);
        assertThat(call.retries()).isEqualTo(1);
        assertThat(call.attempts())
                .extracting(CallAttempt::provider, CallAttempt::retry, CallAttempt::error)
                .containsExactly(
                        tuple("openai", 0, ErrorKind.PROVIDER_UNAVAILABLE),
                        tuple("openai", 1, ErrorKind.PROVIDER_UNAVAILABLE),
                        tuple("anthropic", 0, null));
        // The ledger's backoff is the wait the policy planned, the configured 50 ms (no jitter), not the
        // sleep as measured, so the judged latency is the same on every machine.
        assertThat(call.retryWait()).isEqualTo(Duration.ofMillis(50));
        // 20 + 20 (the stub's delays) + 948 (Anthropic's recorded latency) = 988, + 50 of backoff
        assertThat(call.providerLatency()).isEqualTo(Duration.ofMillis(988));
        assertThat(call.judgedLatency()).isEqualTo(Duration.ofMillis(1038));
        // failed attempts are free; claude-haiku-4-5: 311 input x $1/M = $0.000311, 36 output x $5/M = $0.00018
        assertThat(call.cost()).isEqualTo(usd("0.000491"));
    }
}
