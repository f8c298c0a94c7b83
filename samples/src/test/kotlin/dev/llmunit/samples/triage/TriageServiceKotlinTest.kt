package dev.llmunit.samples.triage

import dev.llmunit.assertj.LlmAssertions.assertThat
import dev.llmunit.core.cost.Usd.usd
import dev.llmunit.core.error.ErrorKind
import dev.llmunit.core.route.Router
import dev.llmunit.junit.CostBudget
import dev.llmunit.junit.LatencyBudget
import dev.llmunit.junit.LlmCalls
import dev.llmunit.junit.LlmTest
import dev.llmunit.wiremock.FixtureServer
import dev.llmunit.wiremock.OpenAiFixtures
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.tuple
import org.junit.jupiter.api.Test
import java.time.Duration

/**
 * The triage service tested from Kotlin with `@LlmTest`: the router and the call ledger are test
 * method parameters, and the class-wide `@CostBudget` fails any test that spends more than a tenth
 * of a cent.
 */
@LlmTest(fixtures = "triage", providers = ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"])
@CostBudget(perTest = "0.001")
class TriageServiceKotlinTest {

    @Test
    @LatencyBudget(perCall = "800ms")
    fun `a question about the roadmap goes to the low-priority queue`(router: Router, calls: LlmCalls) {
        // WHEN
        val triage = TriageService(router).triage(TriageTickets.ROADMAP_QUESTION)

        // THEN
        assertThat(triage.category).isEqualTo(Category.OTHER)
        assertThat(triage.priority).isEqualTo(Priority.LOW)
        assertThat(triage.servedBy).isEqualTo("openai")
        assertThat(calls).hasSize(1).allServedBy("openai").hadNoFallbacks()
        with(calls.last()) {
            // gpt-4o-mini: 226 input x $0.15/M = $0.0000339, 24 output x $0.60/M = $0.0000144; total $0.0000483
            assertThat(cost).isEqualTo(usd("0.0000483"))
            assertThat(judgedLatency()).isEqualTo(Duration.ofMillis(590))
        }
    }

    @Test
    fun `a rejected OpenAI key falls back to Anthropic`(router: Router, fixtures: FixtureServer, calls: LlmCalls) {
        // GIVEN OpenAI refuses the key for this ticket: not retried, falls back at once
        val ticket = TriageTickets.TEAM_RENAME
        fixtures.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(ticket.subject).invalidApiKey())

        // WHEN
        val triage = TriageService(router).triage(ticket)

        // THEN
        assertThat(triage.category).isEqualTo(Category.ACCOUNT)
        assertThat(triage.servedBy).isEqualTo("anthropic")
        assertThat(calls).hasSize(1).allServedBy("anthropic")
        val call = calls.last()
        assertThat(call).fellBackFrom("openai").hasAttempts(2)
        assertThat(call.attempts)
            .extracting({ it.provider }, { it.error })
            .containsExactly(tuple("openai", ErrorKind.AUTHENTICATION), tuple("anthropic", null))
        // the refused attempt is free; claude-haiku-4-5: 296 input x $1/M + 33 output x $5/M = $0.000296 + $0.000165
        assertThat(calls.totalCost()).isEqualTo(usd("0.000461"))
    }
}
