package dev.llmunit.wiremock;

import static dev.llmunit.wiremock.LlmProvider.ANTHROPIC;
import static dev.llmunit.wiremock.LlmProvider.OPENAI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.http.HttpErrorResponse;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The errors and faults the DSL writes reach an llmunit {@link Router}, over the real LangChain4j
 * clients and {@link LlmHttpClient}, as the {@link LlmException} kind the provider's real answer
 * would be.
 */
class FixtureFailuresThroughRouterTest {

    private static final String QUESTION = "Ticket #4411: I was charged twice for my March invoice. Which queue?";

    private static FixtureServer server;

    @BeforeAll
    static void startServer() {
        server = FixtureServer.builder().build().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.wireMock().resetAll();
    }

    @Nested
    class OpenAiErrors {

        @Test
        void rateLimitIsRateLimitedWithTheWaitOfRetryAfterMs() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().rateLimited(Duration.ofMillis(20)));

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure).isInstanceOfSatisfying(LlmException.RateLimited.class,
                    limited -> assertThat(limited.retryAfter()).hasValue(Duration.ofMillis(20)));
            assertThat(failure).hasMessageContaining("HTTP 429 rate_limit_exceeded");
        }

        @Test
        void rateLimitWithoutRetryAfterIsRateLimitedWithoutAWait() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().rateLimited());

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure).isInstanceOfSatisfying(LlmException.RateLimited.class,
                    limited -> assertThat(limited.retryAfter()).isEmpty());
        }

        @Test
        void insufficientQuotaIsQuotaExhaustedNotARateLimit() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().insufficientQuota());

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.QUOTA_EXHAUSTED);
            assertThat(failure).isInstanceOf(LlmException.QuotaExhausted.class);
        }

        @Test
        void contextLengthExceededIsContextLengthExceeded() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().contextLengthExceeded());

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
        }

        @Test
        void invalidApiKeyIsAuthentication() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().invalidApiKey());

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
            assertThat(failure).hasMessageContaining("HTTP 401 invalid_api_key");
        }

        @Test
        void serverErrorIsProviderUnavailable() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().serverError());

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(failure).hasRootCauseInstanceOf(HttpErrorResponse.class);
        }

        @Test
        void overloadIsProviderUnavailable() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().overloaded());

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(failure).hasMessageContaining("HTTP 503");
        }

        @Test
        void anyErrorIsClassifiedByItsCode() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                    .replyError(404, "invalid_request_error", "model_not_found", "The model `gpt-9` does not exist."));

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        }
    }

    @Nested
    class AnthropicErrors {

        @Test
        void rateLimitIsRateLimitedWithTheWaitOfRetryAfterInSeconds() {
            // GIVEN
            server.stub(AnthropicFixtures.messages().anyRequest().rateLimited(Duration.ofSeconds(3)));

            // WHEN
            LlmException failure = failureOf(anthropic());

            // THEN
            assertThat(failure).isInstanceOfSatisfying(LlmException.RateLimited.class,
                    limited -> assertThat(limited.retryAfter()).hasValue(Duration.ofSeconds(3)));
            assertThat(failure).hasMessageContaining("HTTP 429 rate_limit_error");
        }

        @Test
        void subSecondRateLimitIsRateLimitedWithTheExactWait() {
            // GIVEN
            server.stub(AnthropicFixtures.messages().anyRequest().rateLimited(Duration.ofMillis(20)));

            // WHEN
            LlmException failure = failureOf(anthropic());

            // THEN
            assertThat(failure).isInstanceOfSatisfying(LlmException.RateLimited.class,
                    limited -> assertThat(limited.retryAfter()).hasValue(Duration.ofMillis(20)));
        }

        @Test
        void promptTooLongIsContextLengthExceeded() {
            // GIVEN
            server.stub(AnthropicFixtures.messages().anyRequest().contextLengthExceeded());

            // WHEN
            LlmException failure = failureOf(anthropic());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
        }

        @Test
        void authenticationErrorIsAuthentication() {
            // GIVEN
            server.stub(AnthropicFixtures.messages().anyRequest().invalidApiKey());

            // WHEN
            LlmException failure = failureOf(anthropic());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
            assertThat(failure).hasMessageContaining("HTTP 401 authentication_error");
        }

        @Test
        void apiErrorIsProviderUnavailable() {
            // GIVEN
            server.stub(AnthropicFixtures.messages().anyRequest().serverError());

            // WHEN
            LlmException failure = failureOf(anthropic());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(failure).hasMessage("anthropic: HTTP 500 api_error: Internal server error");
        }

        @Test
        void overloadedIsProviderUnavailable() {
            // GIVEN
            server.stub(AnthropicFixtures.messages().anyRequest().overloaded());

            // WHEN
            LlmException failure = failureOf(anthropic());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(failure).hasMessage("anthropic: HTTP 529 overloaded_error: Overloaded");
        }
    }

    /**
     * Every transport fault is a connection failure: {@link LlmHttpClient} gets an
     * {@link java.io.IOException} (reset, no bytes, a broken chunk, bytes that are not HTTP) long
     * before any timeout, so the kind is PROVIDER_UNAVAILABLE, never TIMEOUT.
     */
    @Nested
    class TransportFaults {

        @ParameterizedTest
        @EnumSource(TransportFault.class)
        void openAiFaultIsProviderUnavailable(TransportFault fault) {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().fault(fault));

            // WHEN
            LlmException failure = failureOf(openAi());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(failure).hasMessageStartingWith("openai: connection failed: ");
            assertThat(((LlmException.ProviderUnavailable) failure).circuitOpen()).isFalse();
        }

        @ParameterizedTest
        @EnumSource(TransportFault.class)
        void anthropicFaultIsProviderUnavailable(TransportFault fault) {
            // GIVEN
            server.stub(AnthropicFixtures.messages().anyRequest().fault(fault));

            // WHEN
            LlmException failure = failureOf(anthropic());

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(failure).hasMessageStartingWith("anthropic: connection failed: ");
        }
    }

    @Nested
    class Sequences {

        @Test
        void openAiFailingTwiceThenSucceedingIsServedAfterTwoRetries() {
            // GIVEN
            stubAll(OpenAiFixtures.chatCompletion().anyRequest()
                    .sequence(steps -> steps.serverError().serverError().replyText("billing")));
            Router router = Router.builder()
                    .provider("openai", openAi())
                    .retry(r -> r.maxRetries(2).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                    .build();

            // WHEN
            RoutedResponse response = router.route(question());

            // THEN
            assertThat(response.chatResponse().aiMessage().text()).isEqualTo("billing");
            assertThat(response.retries()).isEqualTo(2);
            assertThat(response.attempts()).extracting(Attempt::retry, Attempt::outcome, Attempt::errorKind).containsExactly(
                    tuple(0, Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                    tuple(1, Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                    tuple(2, Outcome.SUCCEEDED, null));
        }

        @Test
        void anthropicOverloadedThenRateLimitedThenResetThenAnsweringIsServedAfterThreeRetries() {
            // GIVEN
            stubAll(AnthropicFixtures.messages().anyRequest().sequence(steps -> steps
                    .overloaded()
                    .rateLimited(Duration.ofMillis(5))
                    .fault(TransportFault.CONNECTION_RESET)
                    .replyText("Billing", reply -> reply.usage(3, 1))));
            Router router = Router.builder()
                    .provider("anthropic", anthropic())
                    .retry(r -> r.maxRetries(3).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                    .build();

            // WHEN
            RoutedResponse response = router.route(question());

            // THEN
            assertThat(response.chatResponse().aiMessage().text()).isEqualTo("Billing");
            assertThat(response.attempts()).extracting(Attempt::errorKind).containsExactly(
                    ErrorKind.PROVIDER_UNAVAILABLE, ErrorKind.RATE_LIMITED, ErrorKind.PROVIDER_UNAVAILABLE, null);
        }

        @Test
        void theLastStepAnswersEveryLaterRequest() {
            // GIVEN
            stubAll(OpenAiFixtures.chatCompletion().anyRequest().sequence(steps -> steps.serverError().replyText("billing")));
            Router router = Router.builder().provider("openai", openAi()).retry(r -> r.maxRetries(0)).build();
            failureOf(router);

            // WHEN
            List<String> answers = List.of(
                    router.route(question()).chatResponse().aiMessage().text(),
                    router.route(question()).chatResponse().aiMessage().text());

            // THEN
            assertThat(answers).containsExactly("billing", "billing");
        }

        @Test
        void aFallbackProviderServesWhenTheFirstKeepsFailing() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().fault(TransportFault.EMPTY_RESPONSE));
            server.stub(AnthropicFixtures.messages().anyRequest().replyText("Billing"));
            Router router = Router.builder()
                    .provider("openai", openAi(), p -> p.priority(0))
                    .provider("anthropic", anthropic(), p -> p.priority(1))
                    .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0.0))
                    .build();

            // WHEN
            RoutedResponse response = router.route(question());

            // THEN
            assertThat(response.provider()).isEqualTo("anthropic");
            assertThat(response.fallbacks()).containsExactly("openai");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void stubAll(List<MappingBuilder> mappings) {
        server.stubAll(mappings);
    }

    private static ChatRequest question() {
        return ChatRequest.builder().messages(UserMessage.from(QUESTION)).build();
    }

    /** The classified failure of one routed call without retries: the single attempt's, not the wrapper's. */
    /** A 200 whose body is not the provider's JSON: a proxy's HTML page, nothing, or a body cut off. */
    @Nested
    class MalformedAnswers {

        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(delimiter = '|', value = {
                "OPENAI    | text/html        | <html><body><h1>Sign in to the proxy</h1></body></html> | Unexpected character ('<'",
                "ANTHROPIC | text/html        | <html><body><h1>Sign in to the proxy</h1></body></html> | Unexpected character ('<'",
                "OPENAI    | application/json | {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"mess      | end-of-input",
                "ANTHROPIC | application/json | {\"id\":\"msg_1\",\"content\":[{\"type\":\"te            | end-of-input",
                "OPENAI    | application/json | ''                                                      | ''",
                "ANTHROPIC | application/json | ''                                                      | ''",
        })
        void aBodyThatIsNotTheProvidersJsonIsAMalformedAnswerNotAConnectionFailure(LlmProvider provider, String contentType,
                String body, String parseError) {
            server.stub(com.github.tomakehurst.wiremock.client.WireMock.any(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                            .withHeader("Content-Type", contentType).withBody(body)));

            LlmException failure = failureOf(provider == OPENAI ? openAi() : anthropic());

            assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(failure).hasMessageContaining("answered with a body that is not its JSON")
                    .hasMessageContaining(parseError)
                    .hasMessageNotContaining("connection failed");
        }
    }

    private static LlmException failureOf(ChatModel model) {
        return failureOf(Router.builder().provider(model instanceof OpenAiChatModel ? "openai" : "anthropic", model)
                .retry(r -> r.maxRetries(0)).build());
    }

    private static LlmException failureOf(Router router) {
        LlmException failure = catchThrowableOfType(LlmException.class, () -> router.route(question()));
        assertThat(failure).as("the routed call should fail").isNotNull();
        return failure instanceof LlmException.AllProvidersFailed all ? all.lastFailure() : failure;
    }

    private static ChatModel openAi() {
        return FixtureModels.openAiChat(server, "gpt-4o-mini", builder -> builder.timeout(Duration.ofSeconds(10)));
    }

    private static ChatModel anthropic() {
        return FixtureModels.anthropicChat(server, "claude-haiku-4-5", builder -> builder.timeout(Duration.ofSeconds(10)));
    }
}
