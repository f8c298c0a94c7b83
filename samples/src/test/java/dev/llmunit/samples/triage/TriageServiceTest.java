package dev.llmunit.samples.triage;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.llmunit.core.cost.Usd.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.llmunit.core.cost.PriceSource;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.RetryEvent;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.wiremock.AnthropicFixtures;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.LlmProvider;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The triage service over the production router wiring ({@link TriageModels}), against OpenAI and
 * Anthropic played by one llmunit {@link FixtureServer} on loopback. {@link TriageModels} stays the
 * wiring under test; {@code FixtureModels} would build the provider models for an app without its
 * own.
 *
 * <p>Each test triages its own ticket, and its fixtures answer only that ticket's subject line
 * ({@code whenLastUserMessageContains}); its checks of the requests sent read the journal filtered
 * the same way. The server is not reset between tests: {@code resetAll()} in a {@code @BeforeEach}
 * would wipe the fixtures and the journal of a test running at the same time, so tests could not
 * run in parallel. Sequences need no reset either: each one runs its own WireMock scenario.
 */
class TriageServiceTest {

    // Fake keys, so the tests can check each provider is sent its own key in its own header.
    private static final String OPENAI_KEY = "test-key-openai-triage";
    private static final String ANTHROPIC_KEY = "test-key-anthropic-triage";

    private static FixtureServer server;

    private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
    private TriageService service;

    @BeforeAll
    static void startServer() {
        server = FixtureServer.builder().build().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void createService() {
        service = new TriageService(TriageModels.routerBuilder(
                        new TriageModels.Endpoint(server.baseUrl(LlmProvider.OPENAI), OPENAI_KEY),
                        new TriageModels.Endpoint(server.baseUrl(LlmProvider.ANTHROPIC), ANTHROPIC_KEY))
                // Short backoff keeps the suite fast; a provider's Retry-After is still honoured as sent.
                .retry(retry -> retry.initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)))
                .onRetry(retries::add)
                .build());
    }

    @Test
    void classifiesBillingTicketWithOpenAi() {
        // GIVEN OpenAI answers
        Ticket ticket = new Ticket("T-1042", "Charged twice for May",
                "Hello, my credit card was billed twice for the May subscription (2 x $49). Please refund one of them.");
        server.stub(OpenAiFixtures.chatCompletion()
                .whenLastUserMessageContains(ticket.subject())
                .replyText("""
                        {"category": "BILLING", "priority": "HIGH", "summary": "Customer was charged twice for the May subscription."}"""));

        // WHEN
        Triage triage = service.triage(ticket);

        // THEN
        assertThat(triage).isEqualTo(new Triage("T-1042", Category.BILLING, Priority.HIGH,
                "Customer was charged twice for the May subscription.", TriageModels.OPENAI));
        assertThat(openAiRequestsAbout(ticket)).singleElement().satisfies(request -> {
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
            assertThat(request.getBodyAsString())
                    .contains("\"model\"", "gpt-4o-mini")
                    .contains("You triage customer support tickets")
                    .contains("Subject: Charged twice for May")
                    .contains("billed twice for the May subscription");
        });
        assertThat(anthropicRequestsAbout(ticket)).isEmpty();
        assertThat(retries).isEmpty();
    }

    @Test
    void fallsBackToAnthropicWhenOpenAiIsRateLimitedThenUnavailable() {
        // GIVEN OpenAI throttles once, then stays overloaded (the last step repeats); Anthropic answers
        Ticket ticket = new Ticket("T-1043", "Refund still missing",
                "I cancelled my annual plan on 3 June and was promised a refund of $480. Nothing has arrived yet.");
        server.stubAll(OpenAiFixtures.chatCompletion()
                .whenLastUserMessageContains(ticket.subject())
                .sequence(steps -> steps.rateLimited(Duration.ofMillis(20)).overloaded()));
        server.stub(AnthropicFixtures.messages()
                .whenLastUserMessageContains(ticket.subject())
                .replyText("""
                        {"category": "BILLING", "priority": "HIGH", "summary": "Refund for a cancelled annual plan has not arrived."}"""));

        // WHEN
        Triage triage = service.triage(ticket);

        // THEN the ticket is triaged all the same, by the fallback
        assertThat(triage.category()).isEqualTo(Category.BILLING);
        assertThat(triage.priority()).isEqualTo(Priority.HIGH);
        assertThat(triage.servedBy()).isEqualTo(TriageModels.ANTHROPIC);
        // OpenAI got its first try and both retries; the first retry waited exactly the retry-after-ms it was given
        assertThat(openAiRequestsAbout(ticket)).hasSize(3);
        assertThat(anthropicRequestsAbout(ticket)).hasSize(1);
        assertThat(retries)
                .extracting(RetryEvent::provider, RetryEvent::retry, event -> event.cause().kind())
                .containsExactly(
                        tuple(TriageModels.OPENAI, 1, ErrorKind.RATE_LIMITED),
                        tuple(TriageModels.OPENAI, 2, ErrorKind.PROVIDER_UNAVAILABLE));
        assertThat(retries.get(0).waitDuration()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void fallsBackToAnthropicWhenOpenAiKeepsReturningServerErrors() {
        // GIVEN OpenAI fails with 500 on every call
        Ticket ticket = new Ticket("T-2077", "Export broken",
                "Since this morning every CSV export fails with 'Something went wrong'. All our workspaces are affected.");
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(ticket.subject()).serverError());
        server.stub(AnthropicFixtures.messages()
                .whenLastUserMessageContains(ticket.subject())
                .replyText("""
                        {"category": "BUG", "priority": "URGENT", "summary": "CSV export crashes for every workspace since this morning."}"""));

        // WHEN
        Triage triage = service.triage(ticket);

        // THEN
        assertThat(triage).isEqualTo(new Triage("T-2077", Category.BUG, Priority.URGENT,
                "CSV export crashes for every workspace since this morning.", TriageModels.ANTHROPIC));
        assertThat(openAiRequestsAbout(ticket)).hasSize(1 + 2);
        assertThat(anthropicRequestsAbout(ticket)).singleElement().satisfies(request -> {
            assertThat(request.getHeader("x-api-key")).isEqualTo(ANTHROPIC_KEY);
            assertThat(request.getHeader("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(request.getBodyAsString()).contains("\"model\"", TriageModels.ANTHROPIC_MODEL);
        });
    }

    @Test
    void reportsRefusedKeysOnBothProvidersAsTypedAuthenticationFailure() {
        // GIVEN both providers refuse the key
        Ticket ticket = new Ticket("T-1044", "Invoice in the wrong currency",
                "Our April invoice is in USD but our contract says EUR. Can you reissue it?");
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(ticket.subject()).invalidApiKey());
        server.stub(AnthropicFixtures.messages().whenLastUserMessageContains(ticket.subject()).invalidApiKey());

        // WHEN / THEN the caller gets one typed failure listing both attempts
        assertThatThrownBy(() -> service.triage(ticket))
                .isInstanceOfSatisfying(LlmException.AllProvidersFailed.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
                    assertThat(failure.attempts())
                            .extracting(Attempt::provider, Attempt::errorKind)
                            .containsExactly(
                                    tuple(TriageModels.OPENAI, ErrorKind.AUTHENTICATION),
                                    tuple(TriageModels.ANTHROPIC, ErrorKind.AUTHENTICATION));
                    assertThat(failure.lastFailure()).isInstanceOf(LlmException.AuthenticationFailed.class);
                })
                .hasMessageContaining("openai AUTHENTICATION, anthropic AUTHENTICATION");
        // a refused key fails again on retry, so neither provider was retried
        assertThat(retries).isEmpty();
        assertThat(openAiRequestsAbout(ticket)).hasSize(1);
        assertThat(anthropicRequestsAbout(ticket)).hasSize(1);
    }

    @Test
    void reportsTheExactCostOfEachTriageFromTheUsageTheProviderReported() {
        // GIVEN OpenAI answers and reports 812 prompt tokens, 768 of them from its prompt cache, and 14 completion tokens
        Ticket ticket = new Ticket("T-1045", "VAT number missing on invoice",
                "Our company VAT number DE811907980 is missing from invoice INV-2291. We need it for our tax filing.");
        server.stub(OpenAiFixtures.chatCompletion()
                .whenLastUserMessageContains(ticket.subject())
                .replyText("""
                        {"category": "BILLING", "priority": "NORMAL", "summary": "Customer needs their VAT number added to invoice INV-2291."}""",
                        reply -> reply.usage(812, 14).cachedTokens(768)));

        // WHEN
        RoutedTriage result = service.triageRouted(ticket);

        // THEN the call is priced at the bundled catalog's price of the model the reply names,
        // gpt-4o-mini-2024-07-18 (USD per token: input 1.5e-7, cached input 7.5e-8, output 6e-7):
        //   uncached input  (812 - 768) = 44 x 0.00000015  = 0.0000066
        //   cached input                 768 x 0.000000075 = 0.0000576
        //   output                        14 x 0.0000006   = 0.0000084
        //   total                                           = 0.0000726
        assertThat(result.triage().servedBy()).isEqualTo(TriageModels.OPENAI);
        assertThat(result.route()).isNotNull();
        assertThat(result.route().cost()).isEqualTo(usd("0.0000726"));
        assertThat(result.route().attempts()).singleElement().satisfies(served -> {
            assertThat(served.model()).isEqualTo(OpenAiFixtures.DEFAULT_MODEL);
            assertThat(served.usage()).isEqualTo(new Usage(812, 14, 768, 0, 0));
            assertThat(served.cost()).isNotNull();
            assertThat(served.cost().source()).isEqualTo(PriceSource.CATALOG);
        });
        assertThat(result.route().trace().unpricedAttempts()).isZero();
    }

    private static List<LoggedRequest> openAiRequestsAbout(Ticket ticket) {
        return requestsAbout(OpenAiFixtures.PATH, ticket);
    }

    private static List<LoggedRequest> anthropicRequestsAbout(Ticket ticket) {
        return requestsAbout(AnthropicFixtures.PATH, ticket);
    }

    /** The calls to one provider about one ticket, in order: other tests' calls to the shared server are left out. */
    private static List<LoggedRequest> requestsAbout(String path, Ticket ticket) {
        return server.wireMock().findAll(postRequestedFor(urlPathEqualTo(path)).withRequestBody(containing(ticket.subject())));
    }
}
