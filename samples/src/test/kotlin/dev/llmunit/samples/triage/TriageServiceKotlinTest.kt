package dev.llmunit.samples.triage

import dev.llmunit.core.error.ErrorKind
import dev.llmunit.core.route.RetryEvent
import dev.llmunit.core.route.Router
import dev.llmunit.samples.triage.ProviderStubs.Reply.answer
import dev.llmunit.samples.triage.ProviderStubs.Reply.unavailable
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.tuple
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import java.time.Duration

/**
 * The triage service wired from Kotlin. The router DSL is plain Java; these tests show it reads
 * as Kotlin: trailing lambdas for provider, retry, listener and strategy settings, no keyword
 * clashes, Java records read as properties.
 */
class TriageServiceKotlinTest {

    private val stubs = ProviderStubs.start()
    private val retries = mutableListOf<RetryEvent>()

    @AfterEach
    fun stopStubs() = stubs.close()

    // weight(3) only matters under RoutingStrategy.weighted(); it is here to show chained settings.
    private fun router(): Router =
        Router.builder()
            .provider("openai", TriageModels.openAi(stubs.openAiEndpoint())) { it.weight(3).priority(0) }
            .provider("anthropic", TriageModels.anthropic(stubs.anthropicEndpoint())) { it.priority(1) }
            .retry { it.maxRetries(1).initialBackoff(Duration.ofMillis(5)) }
            .onRetry { retries += it }
            .build()

    @Test
    fun `classifies a bug ticket with the first-priority provider`() {
        // GIVEN
        stubs.openAiReplies(answer("""{"category": "BUG", "priority": "HIGH", "summary": "Dark mode resets after every login."}"""))
        val service = TriageService(router())

        // WHEN
        val triage = service.triage(Ticket("T-3001", "Dark mode keeps turning off", "Every time I log in, dark mode is off again."))

        // THEN
        assertThat(triage.category).isEqualTo(Category.BUG)
        assertThat(triage.priority).isEqualTo(Priority.HIGH)
        assertThat(triage.summary).isEqualTo("Dark mode resets after every login.")
        assertThat(triage.servedBy).isEqualTo("openai")
        assertThat(stubs.anthropicRequests()).isEmpty()
    }

    @Test
    fun `falls back to Anthropic after one retry when OpenAI stays overloaded`() {
        // GIVEN
        stubs.openAiReplies(unavailable())
        stubs.anthropicReplies(answer("""{"category": "ACCOUNT", "priority": "NORMAL", "summary": "Customer wants to rename their team."}"""))
        val service = TriageService(router())

        // WHEN
        val triage = service.triage(Ticket("T-3002", "Team name", "How do I rename our team from Acme Labs to Acme?"))

        // THEN
        assertThat(triage.category).isEqualTo(Category.ACCOUNT)
        assertThat(triage.servedBy).isEqualTo("anthropic")
        assertThat(retries)
            .extracting({ it.provider }, { it.retry }, { it.cause.kind() })
            .containsExactly(tuple("openai", 1, ErrorKind.PROVIDER_UNAVAILABLE))
        assertThat(stubs.openAiRequests()).hasSize(2)
    }

    @Test
    fun `a Kotlin lambda strategy takes OpenAI out of rotation during an incident`() {
        // GIVEN an operator switch read on every call
        var openAiIncident = true
        val router = Router.builder()
            .provider("openai", TriageModels.openAi(stubs.openAiEndpoint()))
            .provider("anthropic", TriageModels.anthropic(stubs.anthropicEndpoint()))
            .strategy { _, candidates -> if (openAiIncident) candidates.filter { it.name() != "openai" } else candidates }
            .build()
        stubs.openAiReplies(answer("""{"category": "OTHER", "priority": "LOW", "summary": "Asks for a public roadmap."}"""))
        stubs.anthropicReplies(answer("""{"category": "OTHER", "priority": "LOW", "summary": "Asks for a public roadmap."}"""))
        val service = TriageService(router)
        val ticket = Ticket("T-3003", "Roadmap?", "Do you publish a roadmap anywhere?")

        // WHEN / THEN
        assertThat(service.triage(ticket).servedBy).isEqualTo("anthropic")
        openAiIncident = false
        assertThat(service.triage(ticket).servedBy).isEqualTo("openai")
        assertThat(stubs.openAiRequests()).hasSize(1)
        assertThat(stubs.anthropicRequests()).hasSize(1)
    }
}
