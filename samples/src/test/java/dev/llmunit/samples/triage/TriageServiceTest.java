package dev.llmunit.samples.triage;

import static dev.llmunit.samples.triage.ProviderStubs.Reply.answer;
import static dev.llmunit.samples.triage.ProviderStubs.Reply.rateLimited;
import static dev.llmunit.samples.triage.ProviderStubs.Reply.serverError;
import static dev.llmunit.samples.triage.ProviderStubs.Reply.unauthorized;
import static dev.llmunit.samples.triage.ProviderStubs.Reply.unavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.RetryEvent;
import dev.llmunit.core.trace.Attempt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The triage service over the production router wiring ({@link TriageModels}), against stubbed
 * OpenAI and Anthropic APIs on a real loopback WireMock server.
 */
class TriageServiceTest {

    private static final Ticket DOUBLE_CHARGE = new Ticket("T-1042", "Charged twice for May",
            "Hello, my credit card was billed twice for the May subscription (2 x $49). Please refund one of them.");

    private static final String BILLING_ANSWER = """
            {"category": "BILLING", "priority": "HIGH", "summary": "Customer was charged twice for the May subscription."}""";

    private final ProviderStubs stubs = ProviderStubs.start();
    private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
    private final TriageService service = new TriageService(
            TriageModels.routerBuilder(stubs.openAiEndpoint(), stubs.anthropicEndpoint())
                    // Short backoff keeps the suite fast; a provider's Retry-After is still honoured as sent.
                    .retry(retry -> retry.initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)))
                    .onRetry(retries::add)
                    .build());

    @AfterEach
    void stopStubs() {
        stubs.close();
    }

    @Test
    void classifiesBillingTicketWithOpenAi() {
        // GIVEN OpenAI answers
        stubs.openAiReplies(answer(BILLING_ANSWER));

        // WHEN
        Triage triage = service.triage(DOUBLE_CHARGE);

        // THEN
        assertThat(triage).isEqualTo(new Triage("T-1042", Category.BILLING, Priority.HIGH,
                "Customer was charged twice for the May subscription.", TriageModels.OPENAI));
        assertThat(stubs.openAiRequests()).singleElement().satisfies(request -> {
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + ProviderStubs.OPENAI_KEY);
            assertThat(request.getBodyAsString())
                    .contains("\"model\"", "gpt-4o-mini")
                    .contains("You triage customer support tickets")
                    .contains("Subject: Charged twice for May")
                    .contains("billed twice for the May subscription");
        });
        assertThat(stubs.anthropicRequests()).isEmpty();
        assertThat(retries).isEmpty();
    }

    @Test
    void fallsBackToAnthropicWhenOpenAiIsRateLimitedThenUnavailable() {
        // GIVEN OpenAI throttles once, then stays overloaded; Anthropic answers
        stubs.openAiReplies(rateLimited(Duration.ofMillis(20)), unavailable());
        stubs.anthropicReplies(answer(BILLING_ANSWER));

        // WHEN
        Triage triage = service.triage(DOUBLE_CHARGE);

        // THEN the ticket is triaged all the same, by the fallback
        assertThat(triage.category()).isEqualTo(Category.BILLING);
        assertThat(triage.priority()).isEqualTo(Priority.HIGH);
        assertThat(triage.servedBy()).isEqualTo(TriageModels.ANTHROPIC);
        // OpenAI got its first try and both retries; the first retry waited exactly the retry-after-ms it was given
        assertThat(stubs.openAiRequests()).hasSize(3);
        assertThat(stubs.anthropicRequests()).hasSize(1);
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
        stubs.openAiReplies(serverError());
        stubs.anthropicReplies(answer("""
                {"category": "BUG", "priority": "URGENT", "summary": "CSV export crashes for every workspace since this morning."}"""));

        // WHEN
        Triage triage = service.triage(new Ticket("T-2077", "Export broken",
                "Since this morning every CSV export fails with 'Something went wrong'. All our workspaces are affected."));

        // THEN
        assertThat(triage).isEqualTo(new Triage("T-2077", Category.BUG, Priority.URGENT,
                "CSV export crashes for every workspace since this morning.", TriageModels.ANTHROPIC));
        assertThat(stubs.openAiRequests()).hasSize(1 + 2);
        assertThat(stubs.anthropicRequests()).singleElement().satisfies(request -> {
            assertThat(request.getHeader("x-api-key")).isEqualTo(ProviderStubs.ANTHROPIC_KEY);
            assertThat(request.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        });
    }

    @Test
    void reportsRefusedKeysOnBothProvidersAsTypedAuthenticationFailure() {
        // GIVEN both providers refuse the key
        stubs.openAiReplies(unauthorized());
        stubs.anthropicReplies(unauthorized());

        // WHEN / THEN the caller gets one typed failure listing both attempts
        assertThatThrownBy(() -> service.triage(DOUBLE_CHARGE))
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
        assertThat(stubs.openAiRequests()).hasSize(1);
        assertThat(stubs.anthropicRequests()).hasSize(1);
    }
}
