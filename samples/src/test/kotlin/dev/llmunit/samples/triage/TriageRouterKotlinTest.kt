package dev.llmunit.samples.triage

import dev.llmunit.assertj.LlmAssertions.assertThat
import dev.llmunit.assertj.LlmSoftAssertions
import dev.llmunit.core.cost.Usd.usd
import dev.llmunit.core.route.Router
import dev.llmunit.junit.CostBudget
import dev.llmunit.junit.LlmCalls
import dev.llmunit.junit.LlmRouter
import dev.llmunit.junit.LlmTest
import dev.llmunit.wiremock.FixtureModels
import dev.llmunit.wiremock.FixtureServer
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import java.time.Duration

/**
 * A router built in Kotlin with the core DSL: an `@LlmRouter` factory in the companion object
 * (`@JvmStatic`, so llmunit can call it before any test instance exists), with trailing lambdas for
 * the provider and retry settings.
 */
@LlmTest(fixtures = "triage")
@CostBudget(perTest = "0.001")
class TriageRouterKotlinTest {

    companion object {
        @JvmStatic
        @LlmRouter
        fun router(fixtures: FixtureServer): Router =
            Router.builder()
                .provider("openai", FixtureModels.openAiChat(fixtures, TriageModels.OPENAI_MODEL)) { it.priority(0) }
                .provider("anthropic", FixtureModels.anthropicChat(fixtures, TriageModels.ANTHROPIC_MODEL)) { it.priority(1) }
                .retry { it.maxRetries(1).initialBackoff(Duration.ofMillis(50)).jitter(0.0) }
                .build()
    }

    @Test
    fun `a double charge is high-priority billing`(router: Router, calls: LlmCalls) {
        // WHEN
        val result = TriageService(router).triageRouted(TriageTickets.DOUBLE_CHARGE)

        // THEN
        assertThat(result.triage.category).isEqualTo(Category.BILLING)
        assertThat(result.triage.priority).isEqualTo(Priority.HIGH)
        // gpt-4o-mini: 231 input x $0.15/M = $0.00003465, 27 output x $0.60/M = $0.0000162; total $0.00005085
        assertThat(result.route).wasServedBy("openai").hadNoRetries().costs(usd("0.00005085"))
        assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(612))
    }

    @Test
    fun `an export outage is an urgent bug`(router: Router, calls: LlmCalls) {
        // WHEN
        val result = TriageService(router).triageRouted(TriageTickets.EXPORT_OUTAGE)

        // THEN every mismatch is reported at once
        LlmSoftAssertions.assertSoftly { softly ->
            softly.check { assertThat(result.triage.category).isEqualTo(Category.BUG) }
            softly.check { assertThat(result.triage.priority).isEqualTo(Priority.URGENT) }
            // gpt-4o-mini: 229 input x $0.15/M = $0.00003435, 25 output x $0.60/M = $0.000015; total $0.00004935
            softly.assertThat(result.route).wasServedBy("openai").hadNoFallbacks().costs(usd("0.00004935"))
            softly.assertThat(calls).hasSize(1).hadNoRetries()
        }
    }
}
