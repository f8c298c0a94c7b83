package dev.llmunit.core.route;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.FinishReason;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.http.HttpErrorResponse;
import dev.llmunit.core.http.HttpExchange;
import dev.llmunit.core.http.HttpExchangeCapture;
import dev.llmunit.core.http.LlmHttpClient;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The router over the real LangChain4j OpenAI and Anthropic clients, through {@link LlmHttpClient}, against a real
 * WireMock server on loopback serving the providers' byte-realistic bodies.
 */
class RouterEndToEndTest {

    private static final String OPENAI_PATH = "/openai/v1/chat/completions";
    private static final String ANTHROPIC_PATH = "/anthropic/v1/messages";
    private static final String QUESTION = "Ticket #4411: I was charged twice for my March invoice. Which queue?";
    private static final String OPENAI_ANSWER = "billing";
    private static final String ANTHROPIC_ANSWER = "Billing";

    static final String OPENAI_OK = """
            {
              "id": "chatcmpl-BnQ3xS0vW4Zb1yK2mJ9cP8dR7eF6g",
              "object": "chat.completion",
              "created": 1751462400,
              "model": "gpt-4o-mini-2024-07-18",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "billing",
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 1302,
                "completion_tokens": 2,
                "total_tokens": 1304,
                "prompt_tokens_details": {
                  "cached_tokens": 1280,
                  "audio_tokens": 0
                },
                "completion_tokens_details": {
                  "reasoning_tokens": 0,
                  "audio_tokens": 0,
                  "accepted_prediction_tokens": 0,
                  "rejected_prediction_tokens": 0
                }
              },
              "service_tier": "default",
              "system_fingerprint": "fp_34a54ae93c"
            }
            """;
    static final String OPENAI_RATE_LIMIT = """
            {
                "error": {
                    "message": "Rate limit reached for gpt-4o-mini in organization org-llmunit on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 150ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
                    "type": "requests",
                    "param": null,
                    "code": "rate_limit_exceeded"
                }
            }
            """;
    static final String OPENAI_INSUFFICIENT_QUOTA = """
            {
                "error": {
                    "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
                    "type": "insufficient_quota",
                    "param": null,
                    "code": "insufficient_quota"
                }
            }
            """;
    static final String OPENAI_INVALID_API_KEY = """
            {
                "error": {
                    "message": "Incorrect API key provided: test-key. You can find your API key at https://platform.openai.com/account/api-keys.",
                    "type": "invalid_request_error",
                    "param": null,
                    "code": "invalid_api_key"
                }
            }
            """;
    static final String OPENAI_CONTEXT_LENGTH = """
            {
                "error": {
                    "message": "This model's maximum context length is 128000 tokens. However, your messages resulted in 150214 tokens. Please reduce the length of the messages.",
                    "type": "invalid_request_error",
                    "param": "messages",
                    "code": "context_length_exceeded"
                }
            }
            """;
    static final String ANTHROPIC_OK = """
            {
              "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
              "type": "message",
              "role": "assistant",
              "model": "claude-haiku-4-5-20251001",
              "content": [
                {
                  "type": "text",
                  "text": "Billing"
                }
              ],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {
                "input_tokens": 3,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 1111,
                "cache_creation": {
                  "ephemeral_5m_input_tokens": 0,
                  "ephemeral_1h_input_tokens": 0
                },
                "output_tokens": 4,
                "service_tier": "standard"
              }
            }
            """;
    static final String ANTHROPIC_API_ERROR =
            "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    static final String ANTHROPIC_OVERLOADED =
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fz\"}";
    static final String ANTHROPIC_RATE_LIMIT =
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"This request would exceed the rate limit for your organization of 50,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G0\"}";
    static final String ANTHROPIC_PROMPT_TOO_LONG =
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 208310 tokens > 200000 maximum\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G1\"}";

    private static WireMockServer server;
    private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void resetServer() {
        server.resetAll();
        retries.clear();
    }

    /**
     * Scenario A: Anthropic goes first and fails with 500 on its try and its retry; OpenAI then answers 429 with
     * {@code retry-after-ms: 150} once, and 200 after it.
     */
    @Nested
    class AnthropicFailsThenOpenAiIsThrottledOnce {

        @BeforeEach
        void givenAnthropicFailsAndOpenAiThrottlesOnce() {
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicError(500, ANTHROPIC_API_ERROR)));
            server.stubFor(post(urlEqualTo(OPENAI_PATH))
                    .inScenario("openai throttled once")
                    .whenScenarioStateIs(Scenario.STARTED)
                    .willSetStateTo("recovered")
                    .willReturn(openAiError(429, OPENAI_RATE_LIMIT)
                            .withHeader("retry-after-ms", "150")
                            .withHeader("x-ratelimit-limit-requests", "500")
                            .withHeader("x-ratelimit-remaining-requests", "0")
                            .withHeader("x-ratelimit-reset-requests", "150ms")));
            server.stubFor(post(urlEqualTo(OPENAI_PATH))
                    .inScenario("openai throttled once")
                    .whenScenarioStateIs("recovered")
                    .willReturn(openAiOk()));
        }

        private RoutedResponse route() {
            return router(builder -> builder
                    .provider("anthropic", anthropic(), p -> p.priority(0))
                    .provider("openai", openAi(), p -> p.priority(1)))
                    .route(question());
        }

        @Test
        void isServedByOpenAiAfterFallingBackFromAnthropic() {
            // WHEN
            RoutedResponse response = route();

            // THEN
            assertThat(response.provider()).isEqualTo("openai");
            assertThat(response.fallbacks()).containsExactly("anthropic");
        }

        @Test
        void recordsEveryAttemptInOrderWithItsOutcomeAndKind() {
            // WHEN
            RoutedResponse response = route();

            // THEN
            assertThat(response.attempts())
                    .extracting(Attempt::provider, Attempt::model, Attempt::retry, Attempt::outcome, Attempt::errorKind)
                    .containsExactly(
                            tuple("anthropic", "claude-haiku-4-5", 0, Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                            tuple("anthropic", "claude-haiku-4-5", 1, Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                            tuple("openai", "gpt-4o-mini", 0, Outcome.FAILED, ErrorKind.RATE_LIMITED),
                            // the success is priced by the dated model name OpenAI returned
                            tuple("openai", "gpt-4o-mini-2024-07-18", 1, Outcome.SUCCEEDED, null));
            assertThat(response.retries()).isEqualTo(2);
        }

        @Test
        void costsTheServedCallFromItsReportedUsageWithCachedTokensAtTheCacheRate() {
            // WHEN
            RoutedResponse response = route();

            // THEN 22 uncached x $0.00000015 + 1,280 cached x $0.000000075 + 2 output x $0.0000006
            Attempt served = response.attempts().get(3);
            assertThat(served.usage()).isEqualTo(new Usage(1302, 2, 1280, 0, 0));
            assertThat(served.cost().usd()).isEqualTo(Usd.usd("0.0001005"));
            assertThat(response.cost()).isEqualTo(Usd.usd("0.0001005"));
            assertThat(response.trace().unpricedAttempts()).isZero();
        }

        @Test
        void keepsTheHttpErrorResponseInTheCauseChainOfEachFailure() {
            // WHEN
            RoutedResponse response = route();

            // THEN
            LlmException anthropicFailure = response.attempts().get(0).error();
            assertThat(anthropicFailure).hasMessageStartingWith("anthropic: HTTP 500 api_error: Internal server error")
                    .cause().isInstanceOf(InternalServerException.class)
                    .cause().isInstanceOfSatisfying(HttpErrorResponse.class,
                            http -> assertThat(http.statusCode()).isEqualTo(500));
        }

        @Test
        void returnsOpenAisAnswerUnchanged() {
            // WHEN
            RoutedResponse response = route();

            // THEN
            assertThat(response.chatResponse().aiMessage().text()).isEqualTo(OPENAI_ANSWER);
            assertThat(response.chatResponse().metadata().modelName()).isEqualTo("gpt-4o-mini-2024-07-18");
            assertThat(response.chatResponse().metadata().id()).isEqualTo("chatcmpl-BnQ3xS0vW4Zb1yK2mJ9cP8dR7eF6g");
            assertThat(response.chatResponse().metadata().finishReason()).isEqualTo(FinishReason.STOP);
        }

        @Test
        void keepsOpenAisTokenUsageWithItsDetails() {
            // WHEN
            RoutedResponse response = route();

            // THEN
            assertThat(response.chatResponse().metadata().tokenUsage()).isInstanceOfSatisfying(OpenAiTokenUsage.class, usage -> {
                assertThat(usage.inputTokenCount()).isEqualTo(1302);
                assertThat(usage.outputTokenCount()).isEqualTo(2);
                assertThat(usage.totalTokenCount()).isEqualTo(1304);
                assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(1280);
                assertThat(usage.outputTokensDetails().reasoningTokens()).isZero();
            });
        }

        @Test
        void waitsExactlyTheRetryAfterMsOpenAiAskedFor() {
            // WHEN
            RoutedResponse response = route();

            // THEN the retry chose the provider's wait, not the 10 ms backoff
            assertThat(retries).filteredOn(event -> event.provider().equals("openai")).singleElement().satisfies(event -> {
                assertThat(event.retry()).isEqualTo(1);
                assertThat(event.waitDuration()).isEqualTo(Duration.ofMillis(150));
                assertThat(event.cause()).isInstanceOfSatisfying(LlmException.RateLimited.class,
                        limited -> assertThat(limited.retryAfter()).hasValue(Duration.ofMillis(150)));
            });
            // and really waited that long before the next try
            assertThat(response.attempts().get(3).waitBefore()).isEqualTo(Duration.ofMillis(150));
        }

        @Test
        void backsOffAnthropicByTheConfiguredBackoff() {
            // WHEN
            route();

            // THEN with jitter 0 the backoff is exactly the initial backoff
            assertThat(retries).filteredOn(event -> event.provider().equals("anthropic")).singleElement().satisfies(event -> {
                assertThat(event.retry()).isEqualTo(1);
                assertThat(event.waitDuration()).isEqualTo(Duration.ofMillis(10));
                assertThat(event.cause().kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            });
        }

        @Test
        void callsEachProviderOncePerAttempt() {
            // WHEN
            route();

            // THEN
            server.verify(2, postRequestedFor(urlEqualTo(ANTHROPIC_PATH)));
            server.verify(2, postRequestedFor(urlEqualTo(OPENAI_PATH)));
            assertThat(server.getAllServeEvents()).hasSize(4);
        }

        @Test
        void stopsAtTheAttemptCap() {
            // GIVEN
            Router router = router(builder -> builder
                    .provider("anthropic", anthropic(), p -> p.priority(0))
                    .provider("openai", openAi(), p -> p.priority(1))
                    .maxAttempts(3));

            // WHEN
            LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class,
                    () -> router.route(question()));

            // THEN
            assertThat(failure.attempts()).extracting(Attempt::provider, Attempt::errorKind).containsExactly(
                    tuple("anthropic", ErrorKind.PROVIDER_UNAVAILABLE),
                    tuple("anthropic", ErrorKind.PROVIDER_UNAVAILABLE),
                    tuple("openai", ErrorKind.RATE_LIMITED));
            assertThat(failure.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
            server.verify(1, postRequestedFor(urlEqualTo(OPENAI_PATH)));
        }

        @Test
        void countsTheFailuresPerProviderAndKind() {
            // GIVEN
            Router router = router(builder -> builder
                    .provider("anthropic", anthropic(), p -> p.priority(0))
                    .provider("openai", openAi(), p -> p.priority(1)));

            // WHEN
            router.route(question());

            // THEN
            assertThat(router.errors().count("anthropic", ErrorKind.PROVIDER_UNAVAILABLE)).isEqualTo(2);
            assertThat(router.errors().count("openai", ErrorKind.RATE_LIMITED)).isEqualTo(1);
            assertThat(router.errors().total("openai")).isEqualTo(1);
        }
    }

    /** Scenario B: OpenAI goes first and refuses the key. */
    @Nested
    class OpenAiRefusesTheKey {

        @BeforeEach
        void givenOpenAiAnswers401() {
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiError(401, OPENAI_INVALID_API_KEY)));
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicOk()));
        }

        private RoutedResponse route() {
            return router(builder -> builder
                    .provider("openai", openAi())
                    .provider("anthropic", anthropic()))
                    .route(question());
        }

        @Test
        void doesNotRetryAnAuthenticationFailure() {
            // WHEN
            route();

            // THEN
            server.verify(1, postRequestedFor(urlEqualTo(OPENAI_PATH)));
            assertThat(retries).isEmpty();
        }

        @Test
        void fallsBackToAnthropicWhichAnswers() {
            // WHEN
            RoutedResponse response = route();

            // THEN
            assertThat(response.provider()).isEqualTo("anthropic");
            assertThat(response.attempts())
                    .extracting(Attempt::provider, Attempt::outcome, Attempt::errorKind)
                    .containsExactly(
                            tuple("openai", Outcome.FAILED, ErrorKind.AUTHENTICATION),
                            tuple("anthropic", Outcome.SUCCEEDED, null));
            assertThat(response.chatResponse().aiMessage().text()).isEqualTo(ANTHROPIC_ANSWER);
        }

        @Test
        void keepsAnthropicsTokenUsageWithCacheReads() {
            // WHEN
            RoutedResponse response = route();

            // THEN input_tokens excludes the cache read, as Anthropic reports it
            assertThat(response.chatResponse().metadata().tokenUsage()).isInstanceOfSatisfying(AnthropicTokenUsage.class, usage -> {
                assertThat(usage.inputTokenCount()).isEqualTo(3);
                assertThat(usage.outputTokenCount()).isEqualTo(4);
                assertThat(usage.cacheReadInputTokens()).isEqualTo(1111);
                assertThat(usage.cacheCreationInputTokens()).isZero();
            });
        }
    }

    /** Scenario C: Anthropic answers 529 overloaded_error. */
    @Nested
    class AnthropicIsOverloaded {

        @BeforeEach
        void givenAnthropicAnswers529() {
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicError(529, ANTHROPIC_OVERLOADED)));
        }

        @Test
        void classifiesTheOverloadAsProviderUnavailable() {
            // GIVEN
            Router router = router(builder -> builder.provider("anthropic", anthropic()).retry(r -> r.maxRetries(0)));

            // WHEN
            LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class,
                    () -> router.route(question()));

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(failure.lastFailure())
                    .isInstanceOf(LlmException.ProviderUnavailable.class)
                    .hasMessage("anthropic: HTTP 529 overloaded_error: Overloaded");
            assertThat(failure.lastFailure()).hasRootCauseInstanceOf(HttpErrorResponse.class);
        }

        @Test
        void retriesTheOverloadBeforeGivingUp() {
            // GIVEN
            Router router = router(builder -> builder.provider("anthropic", anthropic()));

            // WHEN
            LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class,
                    () -> router.route(question()));

            // THEN
            assertThat(failure.attempts()).extracting(Attempt::retry).containsExactly(0, 1);
            server.verify(2, postRequestedFor(urlEqualTo(ANTHROPIC_PATH)));
        }
    }

    /** Scenario D: what the real clients put on the wire. */
    @Nested
    class RequestsOnTheWire {

        @Test
        void openAiClientSendsTheUserMessageModelAndKey() {
            // GIVEN
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));

            // WHEN
            router(builder -> builder.provider("openai", openAi())).route(question());

            // THEN
            server.verify(1, postRequestedFor(urlEqualTo(OPENAI_PATH))
                    .withHeader("Authorization", equalTo("Bearer test-key"))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
                    .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("user")))
                    .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo(QUESTION)))
                    .withRequestBody(matchingJsonPath("$.stream", equalTo("false"))));
        }

        @Test
        void anthropicClientSendsTheUserMessageModelKeyAndVersion() {
            // GIVEN
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicOk()));

            // WHEN
            router(builder -> builder.provider("anthropic", anthropic())).route(question());

            // THEN
            server.verify(1, postRequestedFor(urlEqualTo(ANTHROPIC_PATH))
                    .withHeader("x-api-key", equalTo("test-key"))
                    .withHeader("anthropic-version", equalTo("2023-06-01"))
                    .withHeader("Authorization", absent())
                    .withRequestBody(matchingJsonPath("$.model", equalTo("claude-haiku-4-5")))
                    .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("user")))
                    .withRequestBody(matchingJsonPath("$.messages[0].content[0].text", equalTo(QUESTION)))
                    .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("1024"))));
        }
    }

    /** Scenario E: the asynchronous path through the real clients. */
    @Nested
    class RoutingAsynchronously {

        @Test
        void completesWithTheServingProvidersAnswer() throws Exception {
            // GIVEN
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicError(500, ANTHROPIC_API_ERROR)));
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));
            Router router = router(builder -> builder
                    .provider("anthropic", anthropic())
                    .provider("openai", openAi())
                    .retry(r -> r.maxRetries(0)));

            // WHEN
            CompletableFuture<RoutedResponse> future = router.routeAsync(question());

            // THEN
            RoutedResponse response = future.get(10, TimeUnit.SECONDS);
            assertThat(response.provider()).isEqualTo("openai");
            assertThat(response.chatResponse().aiMessage().text()).isEqualTo(OPENAI_ANSWER);
        }

        @Test
        void completesExceptionallyWhenEveryProviderFails() {
            // GIVEN
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiError(401, OPENAI_INVALID_API_KEY)));
            Router router = router(builder -> builder.provider("openai", openAi()));

            // WHEN
            CompletableFuture<RoutedResponse> future = router.routeAsync(question());

            // THEN
            assertThat(future).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(LlmException.AllProvidersFailed.class,
                            failure -> assertThat(failure.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
        }
    }

    /** More failures through the real clients. */
    @Nested
    class OtherFailures {

        @Test
        void fallsBackAtOnceOnInsufficientQuota() {
            // GIVEN
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiError(429, OPENAI_INSUFFICIENT_QUOTA)));
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicOk()));

            // WHEN
            RoutedResponse response = router(builder -> builder.provider("openai", openAi()).provider("anthropic", anthropic()))
                    .route(question());

            // THEN
            assertThat(response.attempts()).extracting(Attempt::provider, Attempt::errorKind)
                    .containsExactly(tuple("openai", ErrorKind.QUOTA_EXHAUSTED), tuple("anthropic", null));
            server.verify(1, postRequestedFor(urlEqualTo(OPENAI_PATH)));
        }

        @Test
        void fallsBackAtOnceWhenRetryAfterExceedsTheCap() {
            // GIVEN Anthropic asks for a minute, more than the default 30 s cap
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicError(429, ANTHROPIC_RATE_LIMIT)
                    .withHeader("retry-after", "60")));
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));

            // WHEN
            RoutedResponse response = router(builder -> builder.provider("anthropic", anthropic()).provider("openai", openAi()))
                    .route(question());

            // THEN
            assertThat(response.provider()).isEqualTo("openai");
            assertThat(response.attempts().get(0).error()).isInstanceOfSatisfying(LlmException.RateLimited.class,
                    limited -> assertThat(limited.retryAfter()).hasValue(Duration.ofSeconds(60)));
            server.verify(1, postRequestedFor(urlEqualTo(ANTHROPIC_PATH)));
            assertThat(retries).isEmpty();
        }

        @Test
        void fallsBackWhenOpenAiAnswersTooLate() {
            // GIVEN
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk().withFixedDelay(1_000)));
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicOk()));
            ChatModel slowOpenAi = openAiBuilder().timeout(Duration.ofMillis(200)).build();

            // WHEN
            RoutedResponse response = router(builder -> builder
                    .provider("openai", slowOpenAi)
                    .provider("anthropic", anthropic())
                    .retry(r -> r.maxRetries(0)))
                    .route(question());

            // THEN
            assertThat(response.attempts()).extracting(Attempt::provider, Attempt::errorKind)
                    .containsExactly(tuple("openai", ErrorKind.TIMEOUT), tuple("anthropic", null));
        }

        @Test
        void fallsBackWhenNothingListensForOpenAi() throws Exception {
            // GIVEN a loopback port that was free a moment ago
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicOk()));
            ChatModel unreachable = openAiBuilder().baseUrl("http://127.0.0.1:" + port + "/openai/v1").build();

            // WHEN
            RoutedResponse response = router(builder -> builder
                    .provider("openai", unreachable)
                    .provider("anthropic", anthropic())
                    .retry(r -> r.maxRetries(0)))
                    .route(question());

            // THEN
            assertThat(response.attempts()).extracting(Attempt::provider, Attempt::errorKind)
                    .containsExactly(tuple("openai", ErrorKind.PROVIDER_UNAVAILABLE), tuple("anthropic", null));
            assertThat(response.attempts().get(0).error()).hasMessageContaining("connection failed");
        }

        @Test
        void skipsAProviderWhoseCircuitIsOpenWithoutCallingIt() {
            // GIVEN a breaker that opens after two failures in two calls
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicError(500, ANTHROPIC_API_ERROR)));
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));
            Router router = router(builder -> builder
                    .provider("anthropic", anthropic())
                    .provider("openai", openAi())
                    .retry(r -> r.maxRetries(0))
                    .circuitBreaker(breaker -> breaker.slidingWindowSize(2).minimumNumberOfCalls(2)));
            router.route(question());
            router.route(question());

            // WHEN
            RoutedResponse response = router.route(question());

            // THEN
            assertThat(response.attempts()).extracting(Attempt::provider, Attempt::outcome, Attempt::errorKind).containsExactly(
                    tuple("anthropic", Outcome.REJECTED, ErrorKind.PROVIDER_UNAVAILABLE),
                    tuple("openai", Outcome.SUCCEEDED, null));
            assertThat(response.attempts().get(0).error()).isInstanceOfSatisfying(LlmException.ProviderUnavailable.class,
                    unavailable -> assertThat(unavailable.circuitOpen()).isTrue());
            server.verify(2, postRequestedFor(urlEqualTo(ANTHROPIC_PATH)));
        }

        @Test
        void fallsBackToALargerWindowAfterContextLengthExceeded() {
            // GIVEN gpt-4o-mini (128k) goes first, claude-haiku-4-5 (200k) second
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiError(400, OPENAI_CONTEXT_LENGTH)));
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicOk()));

            // WHEN
            RoutedResponse response = router(builder -> builder.provider("openai", openAi()).provider("anthropic", anthropic()))
                    .route(question());

            // THEN
            assertThat(response.provider()).isEqualTo("anthropic");
            assertThat(response.attempts().get(0).errorKind()).isEqualTo(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
            server.verify(1, postRequestedFor(urlEqualTo(OPENAI_PATH)));
        }

        @Test
        void doesNotFallBackToASmallerWindowAfterContextLengthExceeded() {
            // GIVEN claude-haiku-4-5 (200k) goes first, gpt-4o-mini (128k) second
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicError(400, ANTHROPIC_PROMPT_TOO_LONG)));
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));
            Router router = router(builder -> builder.provider("anthropic", anthropic()).provider("openai", openAi()));

            // WHEN
            LlmException.AllProvidersFailed failure = catchThrowableOfType(LlmException.AllProvidersFailed.class,
                    () -> router.route(question()));

            // THEN
            assertThat(failure.kind()).isEqualTo(ErrorKind.CONTEXT_LENGTH_EXCEEDED);
            assertThat(failure.attempts()).extracting(Attempt::provider).containsExactly("anthropic");
            server.verify(0, postRequestedFor(urlEqualTo(OPENAI_PATH)));
        }
    }

    /** Scenario F: a test harness's capture sees each HTTP exchange of a routed call, inside its attempt. */
    @Nested
    class CapturingExchanges {

        @Test
        void recordsTheFailedAndTheServingExchangeInOrderEachInsideItsAttempt() {
            // GIVEN Anthropic answers 500, OpenAI serves
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicError(500, ANTHROPIC_API_ERROR)));
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));
            Router router = router(builder -> builder
                    .provider("anthropic", anthropic())
                    .provider("openai", openAi())
                    .retry(r -> r.maxRetries(0)));
            HttpExchangeCapture capture = new HttpExchangeCapture();

            // WHEN
            RoutedResponse response = capture.run(() -> router.route(question()));

            // THEN
            List<HttpExchange> exchanges = capture.exchanges();
            assertThat(exchanges).extracting(HttpExchange::url, HttpExchange::status).containsExactly(
                    tuple(server.baseUrl() + ANTHROPIC_PATH, 500),
                    tuple(server.baseUrl() + OPENAI_PATH, 200));
            assertThat(exchanges.get(1).header("X-Request-Id")).hasValue("req_7c1a9f0e2b3d4c5e6f708192a3b4c5d6");
            assertThat(response.attempts()).extracting(Attempt::provider).containsExactly("anthropic", "openai");
            for (int i = 0; i < exchanges.size(); i++) {
                assertLiesInside(exchanges.get(i), response.attempts().get(i));
            }
        }

        @Test
        void recordsARetriedProvidersExchangesEachInsideItsOwnAttempt() {
            // GIVEN Anthropic answers 500 to its try and its retry, OpenAI serves
            server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(anthropicError(500, ANTHROPIC_API_ERROR)));
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));
            Router router = router(builder -> builder.provider("anthropic", anthropic()).provider("openai", openAi()));
            HttpExchangeCapture capture = new HttpExchangeCapture();

            // WHEN
            RoutedResponse response = capture.run(() -> router.route(question()));

            // THEN
            List<HttpExchange> exchanges = capture.exchanges();
            assertThat(exchanges).extracting(HttpExchange::status).containsExactly(500, 500, 200);
            assertThat(response.attempts()).extracting(Attempt::provider, Attempt::retry)
                    .containsExactly(tuple("anthropic", 0), tuple("anthropic", 1), tuple("openai", 0));
            for (int i = 0; i < exchanges.size(); i++) {
                assertLiesInside(exchanges.get(i), response.attempts().get(i));
            }
        }

        @Test
        void routeAsyncRecordsTheExchangeMadeOnTheRoutersThreadInTheCallersCapture() throws Exception {
            // GIVEN a router whose executor notes the thread each route runs on
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));
            ExecutorService executor = Executors.newSingleThreadExecutor(task -> new Thread(task, "router-under-test"));
            List<String> routingThreads = new CopyOnWriteArrayList<>();
            Router router = router(builder -> builder.provider("openai", openAi()).executor(task -> executor.execute(() -> {
                routingThreads.add(Thread.currentThread().getName());
                task.run();
            })));
            HttpExchangeCapture capture = new HttpExchangeCapture();
            try {
                // WHEN
                RoutedResponse response = capture.run(() -> router.routeAsync(question())).get(10, TimeUnit.SECONDS);

                // THEN
                assertThat(routingThreads).containsExactly("router-under-test");
                assertThat(capture.exchanges()).singleElement().satisfies(exchange -> {
                    assertThat(exchange.url()).isEqualTo(server.baseUrl() + OPENAI_PATH);
                    assertThat(exchange.status()).isEqualTo(200);
                    assertLiesInside(exchange, response.attempts().get(0));
                });
            } finally {
                executor.shutdownNow();
            }
        }

        @Test
        void routeAsyncLeavesNoCaptureBehindOnTheRoutersThread() throws Exception {
            // GIVEN one pooled thread that has already run a route inside a capture
            server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(openAiOk()));
            ExecutorService executor = Executors.newSingleThreadExecutor();
            Router router = router(builder -> builder.provider("openai", openAi()).executor(executor));
            HttpExchangeCapture capture = new HttpExchangeCapture();
            try {
                capture.run(() -> router.routeAsync(question())).get(10, TimeUnit.SECONDS);

                // WHEN the same thread routes for a caller without a capture
                router.routeAsync(question()).get(10, TimeUnit.SECONDS);

                // THEN
                assertThat(capture.exchanges()).hasSize(1);
                server.verify(2, postRequestedFor(urlEqualTo(OPENAI_PATH)));
            } finally {
                executor.shutdownNow();
            }
        }

        private static void assertLiesInside(HttpExchange exchange, Attempt attempt) {
            assertThat(exchange.startNanos())
                    .as("start of %s within %s", exchange.url(), attempt)
                    .isBetween(attempt.startNanos(), attempt.endNanos());
            assertThat(exchange.endNanos())
                    .as("end of %s within %s", exchange.url(), attempt)
                    .isBetween(exchange.startNanos(), attempt.endNanos());
        }
    }

    // ---- fixtures ------------------------------------------------------------------------------------

    private Router router(Consumer<RouterBuilder> configure) {
        RouterBuilder builder = Router.builder()
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(10)).jitter(0.0).maxBackoff(Duration.ofMillis(10)))
                .onRetry(retries::add);
        configure.accept(builder);
        return builder.build();
    }

    private static ChatRequest question() {
        return ChatRequest.builder().messages(UserMessage.from(QUESTION)).build();
    }

    private static OpenAiChatModel.OpenAiChatModelBuilder openAiBuilder() {
        return OpenAiChatModel.builder()
                .baseUrl(server.baseUrl() + "/openai/v1")
                .apiKey("test-key")
                .modelName("gpt-4o-mini")
                .maxRetries(0)
                .httpClientBuilder(LlmHttpClient.builder());
    }

    private static ChatModel openAi() {
        return openAiBuilder().build();
    }

    private static ChatModel anthropic() {
        return AnthropicChatModel.builder()
                .baseUrl(server.baseUrl() + "/anthropic/v1")
                .apiKey("test-key")
                .modelName("claude-haiku-4-5")
                .maxRetries(0)
                .httpClientBuilder(LlmHttpClient.builder())
                .build();
    }

    private static ResponseDefinitionBuilder openAiOk() {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("openai-processing-ms", "412")
                .withHeader("openai-version", "2020-10-01")
                .withHeader("x-ratelimit-limit-requests", "500")
                .withHeader("x-ratelimit-remaining-requests", "499")
                .withHeader("x-ratelimit-reset-requests", "120ms")
                .withHeader("x-request-id", "req_7c1a9f0e2b3d4c5e6f708192a3b4c5d6")
                .withBody(OPENAI_OK);
    }

    private static ResponseDefinitionBuilder openAiError(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-request-id", "req_0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7")
                .withBody(body);
    }

    private static ResponseDefinitionBuilder anthropicOk() {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fx")
                .withHeader("anthropic-ratelimit-requests-limit", "50")
                .withHeader("anthropic-ratelimit-requests-remaining", "49")
                .withBody(ANTHROPIC_OK);
    }

    private static ResponseDefinitionBuilder anthropicError(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fw")
                .withHeader("x-should-retry", "true")
                .withBody(body);
    }
}
