package dev.llmunit.samples.triage;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.samples.triage.TriageTickets.LOCKED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.ensemble.AnswerKey;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.junit.CostBudget;
import dev.llmunit.junit.EnsembleCall;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.LlmRouter;
import dev.llmunit.junit.LlmTest;
import dev.llmunit.junit.MinConfidence;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The triage service on an ensemble instead of a router: two samples of gpt-4o-mini and one
 * claude-haiku-4-5 answer every ticket, and the category most of them chose wins. The ensemble is a
 * LangChain4j {@code ChatModel}, so {@link TriageService} (an {@code AiServices} proxy inside) runs
 * on it unchanged. Its confidence needs no log-probabilities, so {@link MinConfidence} works even
 * though Anthropic sends none.
 *
 * <p>The fixtures: the first OpenAI sample is the plain request, answered by the same recording as
 * every other test's call for {@link TriageTickets#LOCKED_OUT}; the second sample is a distinct
 * request (a trailing system note, "Independent sample 2 of 2.") with its own recording; the
 * Anthropic member's answer (BUG: the login page "says my account is locked") disagrees.
 */
@LlmTest(fixtures = "triage")
@CostBudget(perTest = "0.001")
class TriageEnsembleTest {

    @LlmRouter
    static Ensemble ensemble(FixtureServer fixtures) {
        return Ensemble.builder()
                .name("triage")
                .member("openai", FixtureModels.openAiChat(fixtures, TriageModels.OPENAI_MODEL), member -> member.samples(2))
                .member("anthropic", FixtureModels.anthropicChat(fixtures, TriageModels.ANTHROPIC_MODEL))
                .answerKey(AnswerKey.jsonPointer("/category"))
                .build();
    }

    @Test
    @MinConfidence(0.6)
    void aLockedOutCustomerIsAnAccountTicketByMajority(ChatModel ensemble, LlmCalls calls) {
        // WHEN the service runs on the ensemble, exactly as it runs on a router
        Triage triage = new TriageService(ensemble).triage(LOCKED_OUT);

        // THEN the majority category wins
        assertThat(triage.category()).isEqualTo(Category.ACCOUNT);
        assertThat(triage.servedBy()).isEqualTo("triage");
        EnsembleResult result = calls.ensembles().get(0).result();
        assertThat(result)
                .chose("openai")
                .agreedBy(2)
                .hasClusters(2)
                .memberAnswered("openai", "ACCOUNT")
                .memberAnswered("anthropic", "BUG")
                .hasConfidenceAtLeast(0.6);
        assertThat(result.confidence()).isEqualTo(2.0 / 3);
    }

    @Test
    void everyMemberIsACallWithItsOwnFixtureCostAndLatency(Ensemble ensemble, LlmCalls calls) {
        // WHEN
        new TriageService(ensemble).triage(LOCKED_OUT);

        // THEN cost and latency budgets see all three provider calls
        assertThat(calls).hasSize(3).servedFromFixtures();
        assertThat(calls.all()).extracting(LlmCall::source, LlmCall::provider, LlmCall::cost, call -> call.judgedLatency().toMillis())
                .containsExactlyInAnyOrder(
                        // gpt-4o-mini: 240 input x $0.15/M + 26 output x $0.60/M
                        tuple("triage/openai#1", "openai", usd("0.0000516"), 655L),
                        // the same with the 8-token sample note: 248 x $0.15/M + 25 x $0.60/M
                        tuple("triage/openai#2", "openai", usd("0.0000522"), 701L),
                        // claude-haiku-4-5: 326 input x $1/M + 35 output x $5/M
                        tuple("triage/anthropic", "anthropic", usd("0.000501"), 889L));
        EnsembleCall run = calls.ensembles().get(0);
        assertThat(run.cost()).isEqualTo(usd("0.0006048"));
        assertThat(run.judgedLatency()).as("members run in parallel: the slowest").isEqualTo(Duration.ofMillis(889));
    }
}
