package dev.llmunit.samples.triage

import dev.llmunit.assertj.LlmAssertions.assertThat
import dev.llmunit.core.ensemble.AnswerKey
import dev.llmunit.core.ensemble.Ensemble
import dev.llmunit.core.ensemble.EnsembleResult
import dev.llmunit.core.ensemble.MergeStrategy
import dev.llmunit.junit.LlmCalls
import dev.llmunit.junit.LlmRouter
import dev.llmunit.junit.LlmTest
import dev.llmunit.junit.MinConfidence
import dev.llmunit.wiremock.FixtureModels
import dev.llmunit.wiremock.FixtureServer
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/**
 * The triage ensemble from Kotlin: the builder with trailing lambdas, the ensemble injected as
 * itself, and its last result injected into `@AfterEach`.
 */
@LlmTest(fixtures = "triage")
class TriageEnsembleKotlinTest {

    companion object {
        @JvmStatic
        @LlmRouter
        fun ensemble(fixtures: FixtureServer): Ensemble =
            Ensemble.builder()
                .name("triage")
                .member("openai", FixtureModels.openAiChat(fixtures, TriageModels.OPENAI_MODEL)) { it.samples(2) }
                .member("anthropic", FixtureModels.anthropicChat(fixtures, TriageModels.ANTHROPIC_MODEL)) { it.weight(1.0) }
                .answerKey(AnswerKey.jsonPointer("/category"))
                .merge(MergeStrategy.weightedConsensus())
                .build()
    }

    @Test
    @MinConfidence(0.6)
    fun `a locked-out customer is an account ticket by majority`(ensemble: Ensemble, calls: LlmCalls) {
        val triage = TriageService(ensemble).triage(TriageTickets.LOCKED_OUT)

        assertThat(triage.category).isEqualTo(Category.ACCOUNT)
        assertThat(calls).hasSize(3)
    }

    @AfterEach
    fun `the result says who agreed`(result: EnsembleResult) {
        assertThat(result).chose("openai").agreedBy(2).memberAnswered("anthropic", "BUG").hasConfidenceAtLeast(0.6)
    }
}
