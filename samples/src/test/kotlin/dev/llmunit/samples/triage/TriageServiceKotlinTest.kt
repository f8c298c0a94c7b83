package dev.llmunit.samples.triage

import com.github.tomakehurst.wiremock.client.WireMock.containing
import com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor
import com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo
import com.github.tomakehurst.wiremock.verification.LoggedRequest
import dev.llmunit.core.error.ErrorKind
import dev.llmunit.core.route.RetryEvent
import dev.llmunit.core.route.Router
import dev.llmunit.wiremock.AnthropicFixtures
import dev.llmunit.wiremock.FixtureServer
import dev.llmunit.wiremock.LlmProvider
import dev.llmunit.wiremock.OpenAiFixtures
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.tuple
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.time.Duration

/**
 * The triage service wired from Kotlin. The router DSL and the fixture DSL are plain Java; these
 * tests show they read as Kotlin: trailing lambdas for provider, retry, listener and strategy
 * settings, no keyword clashes, Java records read as properties.
 *
 * One fixture server plays both providers for the whole class. Each test's fixtures answer only
 * its own ticket's subject line, and its request checks read the journal filtered the same way,
 * instead of resetting the server before each test: a reset would wipe the fixtures and journal of
 * a test running in parallel on the same server.
 */
class TriageServiceKotlinTest {

    companion object {
        private const val OPENAI_KEY = "test-key-openai-triage"
        private const val ANTHROPIC_KEY = "test-key-anthropic-triage"

        private lateinit var server: FixtureServer

        @JvmStatic
        @BeforeAll
        fun startServer() {
            server = FixtureServer.builder().build().start()
        }

        @JvmStatic
        @AfterAll
        fun stopServer() = server.close()

        private fun openAi() = TriageModels.openAi(TriageModels.Endpoint(server.baseUrl(LlmProvider.OPENAI), OPENAI_KEY))

        private fun anthropic() = TriageModels.anthropic(TriageModels.Endpoint(server.baseUrl(LlmProvider.ANTHROPIC), ANTHROPIC_KEY))

        /** The calls to one provider about one ticket, in order; other tests' calls are left out. */
        private fun requestsAbout(path: String, ticket: Ticket): List<LoggedRequest> =
            server.wireMock().findAll(postRequestedFor(urlPathEqualTo(path)).withRequestBody(containing(ticket.subject)))
    }

    private val retries = mutableListOf<RetryEvent>()

    // weight(3) only matters under RoutingStrategy.weighted(); it is here to show chained settings.
    private fun router(): Router =
        Router.builder()
            .provider("openai", openAi()) { it.weight(3).priority(0) }
            .provider("anthropic", anthropic()) { it.priority(1) }
            .retry { it.maxRetries(1).initialBackoff(Duration.ofMillis(5)) }
            .onRetry { retries += it }
            .build()

    @Test
    fun `classifies a bug ticket with the first-priority provider`() {
        // GIVEN
        val ticket = Ticket("T-3001", "Dark mode keeps turning off", "Every time I log in, dark mode is off again.")
        server.stub(
            OpenAiFixtures.chatCompletion()
                .whenLastUserMessageContains(ticket.subject)
                .replyText("""{"category": "BUG", "priority": "HIGH", "summary": "Dark mode resets after every login."}""")
        )
        val service = TriageService(router())

        // WHEN
        val triage = service.triage(ticket)

        // THEN
        assertThat(triage.category).isEqualTo(Category.BUG)
        assertThat(triage.priority).isEqualTo(Priority.HIGH)
        assertThat(triage.summary).isEqualTo("Dark mode resets after every login.")
        assertThat(triage.servedBy).isEqualTo("openai")
        val openAiCalls = requestsAbout(OpenAiFixtures.PATH, ticket)
        assertThat(openAiCalls).hasSize(1)
        assertThat(openAiCalls[0].getHeader("Authorization")).isEqualTo("Bearer $OPENAI_KEY")
        assertThat(requestsAbout(AnthropicFixtures.PATH, ticket)).isEmpty()
    }

    @Test
    fun `falls back to Anthropic after one retry when OpenAI stays overloaded`() {
        // GIVEN
        val ticket = Ticket("T-3002", "Team name", "How do I rename our team from Acme Labs to Acme?")
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(ticket.subject).overloaded())
        server.stub(
            AnthropicFixtures.messages()
                .whenLastUserMessageContains(ticket.subject)
                .replyText("""{"category": "ACCOUNT", "priority": "NORMAL", "summary": "Customer wants to rename their team."}""")
        )
        val service = TriageService(router())

        // WHEN
        val triage = service.triage(ticket)

        // THEN
        assertThat(triage.category).isEqualTo(Category.ACCOUNT)
        assertThat(triage.servedBy).isEqualTo("anthropic")
        assertThat(retries)
            .extracting({ it.provider }, { it.retry }, { it.cause.kind() })
            .containsExactly(tuple("openai", 1, ErrorKind.PROVIDER_UNAVAILABLE))
        assertThat(requestsAbout(OpenAiFixtures.PATH, ticket)).hasSize(2)
    }

    @Test
    fun `a Kotlin lambda strategy takes OpenAI out of rotation during an incident`() {
        // GIVEN an operator switch read on every call
        var openAiIncident = true
        val router = Router.builder()
            .provider("openai", openAi())
            .provider("anthropic", anthropic())
            .strategy { _, candidates -> if (openAiIncident) candidates.filter { it.name() != "openai" } else candidates }
            .build()
        val ticket = Ticket("T-3003", "Roadmap?", "Do you publish a roadmap anywhere?")
        val answer = """{"category": "OTHER", "priority": "LOW", "summary": "Asks for a public roadmap."}"""
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(ticket.subject).replyText(answer))
        server.stub(AnthropicFixtures.messages().whenLastUserMessageContains(ticket.subject).replyText(answer))
        val service = TriageService(router)

        // WHEN / THEN
        assertThat(service.triage(ticket).servedBy).isEqualTo("anthropic")
        openAiIncident = false
        assertThat(service.triage(ticket).servedBy).isEqualTo("openai")
        assertThat(requestsAbout(OpenAiFixtures.PATH, ticket)).hasSize(1)
        assertThat(requestsAbout(AnthropicFixtures.PATH, ticket)).hasSize(1)
    }
}
