package dev.llmunit.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.llmunit.core.http.HttpErrorResponse;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classifier, row by row: each row is one thing a provider call can throw and the kind it must
 * become. Bodies are the providers' real error JSON (see shared/docs/providers.md).
 */
class ErrorClassifierTest {

    private static final String PROVIDER = "openai";

    // ---- real provider error bodies ----------------------------------------------------------------

    static final String OPENAI_RATE_LIMIT = """
            {
                "error": {
                    "message": "Rate limit reached for gpt-4o-mini in organization org-llmunit on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
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
    static final String OPENAI_CONTEXT_LENGTH = """
            {
                "error": {
                    "message": "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.",
                    "type": "invalid_request_error",
                    "param": "messages",
                    "code": "context_length_exceeded"
                }
            }
            """;
    static final String OPENAI_INVALID_API_KEY = """
            {
                "error": {
                    "message": "Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.",
                    "type": "invalid_request_error",
                    "param": null,
                    "code": "invalid_api_key"
                }
            }
            """;
    static final String OPENAI_CONTENT_POLICY = """
            {
                "error": {
                    "message": "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
                    "type": "invalid_request_error",
                    "param": null,
                    "code": "content_policy_violation"
                }
            }
            """;
    static final String AZURE_CONTENT_FILTER = """
            {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.","type":null,"param":"prompt","code":"content_filter","status":400}}
            """;
    static final String OPENAI_SERVER_ERROR = """
            {
                "error": {
                    "message": "The server had an error while processing your request. Sorry about that!",
                    "type": "server_error",
                    "param": null,
                    "code": null
                }
            }
            """;
    static final String ANTHROPIC_OVERLOADED =
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    static final String ANTHROPIC_RATE_LIMIT =
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"This request would exceed the rate limit for your organization of 50,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fz\"}";
    static final String ANTHROPIC_AUTHENTICATION =
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G0\"}";
    static final String ANTHROPIC_PERMISSION =
            "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"Your API key does not have permission to use the specified resource.\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G1\"}";
    static final String ANTHROPIC_NOT_FOUND =
            "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-nonexistent-1\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G2\"}";
    static final String ANTHROPIC_TOO_LARGE =
            "{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\",\"message\":\"Request exceeds the maximum allowed number of bytes.\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G3\"}";
    static final String ANTHROPIC_PROMPT_TOO_LONG =
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 208310 tokens > 200000 maximum\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G4\"}";
    static final String ANTHROPIC_INVALID_REQUEST =
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages: roles must alternate between \\\"user\\\" and \\\"assistant\\\", but found multiple \\\"user\\\" roles in a row\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G5\"}";
    static final String ANTHROPIC_API_ERROR =
            "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7G6\"}";
    static final String GEMINI_RESOURCE_EXHAUSTED = """
            {
              "error": {
                "code": 429,
                "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
                "status": "RESOURCE_EXHAUSTED",
                "details": [
                  {
                    "@type": "type.googleapis.com/google.rpc.RetryInfo",
                    "retryDelay": "21s"
                  }
                ]
              }
            }
            """;
    static final String GEMINI_TOKEN_LIMIT = """
            {
              "error": {
                "code": 400,
                "message": "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).",
                "status": "INVALID_ARGUMENT"
              }
            }
            """;
    static final String GEMINI_PERMISSION_DENIED = """
            {
              "error": {
                "code": 403,
                "message": "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
                "status": "PERMISSION_DENIED"
              }
            }
            """;
    static final String GEMINI_UNAVAILABLE = """
            {
              "error": {
                "code": 503,
                "message": "The model is overloaded. Please try again later.",
                "status": "UNAVAILABLE"
              }
            }
            """;
    static final String GEMINI_INVALID_API_KEY = """
            {
              "error": {
                "code": 400,
                "message": "API key not valid. Please pass a valid API key.",
                "status": "INVALID_ARGUMENT",
                "details": [
                  {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {
                      "service": "generativelanguage.googleapis.com"
                    }
                  },
                  {
                    "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                    "locale": "en-US",
                    "message": "API key not valid. Please pass a valid API key."
                  }
                ]
              }
            }
            """;

    /** One row: what was thrown, the kind it must become and, for HTTP rows, the status the message must name. */
    record Row(Throwable error, ErrorKind kind, @Nullable Integer status) {}

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();

        // LangChain4j's exception types, as provider models throw them without an HTTP response
        rows.add(row("LangChain4j RateLimitException", new RateLimitException("rate limited"), ErrorKind.RATE_LIMITED));
        rows.add(row("LangChain4j TimeoutException", new TimeoutException("request timed out"), ErrorKind.TIMEOUT));
        rows.add(row("LangChain4j InternalServerException", new InternalServerException("internal error"),
                ErrorKind.PROVIDER_UNAVAILABLE));
        rows.add(row("LangChain4j AuthenticationException", new AuthenticationException("bad key"), ErrorKind.AUTHENTICATION));
        rows.add(row("LangChain4j ModelNotFoundException", new ModelNotFoundException("no such model"), ErrorKind.INVALID_REQUEST));
        rows.add(row("LangChain4j InvalidRequestException", new InvalidRequestException("temperature must be <= 2"),
                ErrorKind.INVALID_REQUEST));
        rows.add(row("LangChain4j InvalidRequestException saying the context is too long",
                new InvalidRequestException("This model's maximum context length is 128000 tokens."), ErrorKind.CONTEXT_LENGTH_EXCEEDED));
        rows.add(row("LangChain4j ContentFilteredException (OpenAI refusal)",
                new ContentFilteredException("I'm sorry, I can't help with that."), ErrorKind.CONTENT_FILTERED));
        rows.add(row("LangChain4j UnresolvedModelServerException", new UnresolvedModelServerException("api.example.invalid"),
                ErrorKind.PROVIDER_UNAVAILABLE));
        rows.add(row("LangChain4j UnresolvedModelServerException with its UnresolvedAddressException",
                new UnresolvedModelServerException(new UnresolvedAddressException()), ErrorKind.PROVIDER_UNAVAILABLE));

        // bare statuses, no parseable body
        rows.add(http("HTTP 400", 400, "Bad Request", ErrorKind.INVALID_REQUEST));
        rows.add(http("HTTP 401", 401, "Unauthorized", ErrorKind.AUTHENTICATION));
        rows.add(http("HTTP 403", 403, "Forbidden", ErrorKind.AUTHENTICATION));
        rows.add(http("HTTP 404", 404, "Not Found", ErrorKind.INVALID_REQUEST));
        rows.add(http("HTTP 408", 408, "Request Timeout", ErrorKind.TIMEOUT));
        rows.add(http("HTTP 413", 413, "Payload Too Large", ErrorKind.INVALID_REQUEST));
        rows.add(http("HTTP 429", 429, "Too Many Requests", ErrorKind.RATE_LIMITED));
        rows.add(http("HTTP 500", 500, "Internal Server Error", ErrorKind.PROVIDER_UNAVAILABLE));
        rows.add(http("HTTP 502 with an HTML proxy page", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>",
                ErrorKind.PROVIDER_UNAVAILABLE));
        rows.add(http("HTTP 503", 503, "Service Unavailable", ErrorKind.PROVIDER_UNAVAILABLE));
        rows.add(http("HTTP 504", 504, "Gateway Timeout", ErrorKind.TIMEOUT));
        rows.add(http("HTTP 529", 529, "", ErrorKind.PROVIDER_UNAVAILABLE));

        // OpenAI error bodies
        rows.add(http("OpenAI 429 rate_limit_exceeded", 429, OPENAI_RATE_LIMIT, ErrorKind.RATE_LIMITED));
        rows.add(http("OpenAI 429 insufficient_quota", 429, OPENAI_INSUFFICIENT_QUOTA, ErrorKind.QUOTA_EXHAUSTED));
        rows.add(http("OpenAI 400 context_length_exceeded", 400, OPENAI_CONTEXT_LENGTH, ErrorKind.CONTEXT_LENGTH_EXCEEDED));
        rows.add(http("OpenAI 401 invalid_api_key", 401, OPENAI_INVALID_API_KEY, ErrorKind.AUTHENTICATION));
        rows.add(http("OpenAI 400 content_policy_violation", 400, OPENAI_CONTENT_POLICY, ErrorKind.CONTENT_FILTERED));
        rows.add(http("Azure OpenAI 400 content_filter", 400, AZURE_CONTENT_FILTER, ErrorKind.CONTENT_FILTERED));
        rows.add(http("OpenAI 500 server_error", 500, OPENAI_SERVER_ERROR, ErrorKind.PROVIDER_UNAVAILABLE));

        // Anthropic error bodies
        rows.add(http("Anthropic 529 overloaded_error", 529, ANTHROPIC_OVERLOADED, ErrorKind.PROVIDER_UNAVAILABLE));
        rows.add(http("Anthropic 429 rate_limit_error", 429, ANTHROPIC_RATE_LIMIT, ErrorKind.RATE_LIMITED));
        rows.add(http("Anthropic 401 authentication_error", 401, ANTHROPIC_AUTHENTICATION, ErrorKind.AUTHENTICATION));
        rows.add(http("Anthropic 403 permission_error", 403, ANTHROPIC_PERMISSION, ErrorKind.AUTHENTICATION));
        rows.add(http("Anthropic 404 not_found_error", 404, ANTHROPIC_NOT_FOUND, ErrorKind.INVALID_REQUEST));
        rows.add(http("Anthropic 413 request_too_large", 413, ANTHROPIC_TOO_LARGE, ErrorKind.INVALID_REQUEST));
        rows.add(http("Anthropic 400 invalid_request_error: prompt is too long", 400, ANTHROPIC_PROMPT_TOO_LONG,
                ErrorKind.CONTEXT_LENGTH_EXCEEDED));
        rows.add(http("Anthropic 400 invalid_request_error: roles must alternate", 400, ANTHROPIC_INVALID_REQUEST,
                ErrorKind.INVALID_REQUEST));
        rows.add(http("Anthropic 500 api_error", 500, ANTHROPIC_API_ERROR, ErrorKind.PROVIDER_UNAVAILABLE));

        // Gemini error bodies
        rows.add(http("Gemini 429 RESOURCE_EXHAUSTED", 429, GEMINI_RESOURCE_EXHAUSTED, ErrorKind.RATE_LIMITED));
        rows.add(http("Gemini 400 INVALID_ARGUMENT: input token count exceeds the maximum", 400, GEMINI_TOKEN_LIMIT,
                ErrorKind.CONTEXT_LENGTH_EXCEEDED));
        rows.add(http("Gemini 403 PERMISSION_DENIED", 403, GEMINI_PERMISSION_DENIED, ErrorKind.AUTHENTICATION));
        rows.add(http("Gemini 503 UNAVAILABLE", 503, GEMINI_UNAVAILABLE, ErrorKind.PROVIDER_UNAVAILABLE));

        // a LangChain4j exception wrapping the HTTP response, as ExceptionMapper builds it in provider models
        rows.add(wrapped("RateLimitException(OpenAI 429 rate_limit_exceeded)",
                new RateLimitException(response(429, OPENAI_RATE_LIMIT, Map.of("retry-after-ms", "150"))), ErrorKind.RATE_LIMITED, 429));
        rows.add(wrapped("RateLimitException(OpenAI 429 insufficient_quota)",
                new RateLimitException(response(429, OPENAI_INSUFFICIENT_QUOTA, Map.of())), ErrorKind.QUOTA_EXHAUSTED, 429));
        rows.add(wrapped("InternalServerException(Anthropic 529 overloaded_error)",
                new InternalServerException(response(529, ANTHROPIC_OVERLOADED, Map.of())), ErrorKind.PROVIDER_UNAVAILABLE, 529));
        rows.add(wrapped("InvalidRequestException(Anthropic 400 prompt is too long)",
                new InvalidRequestException(response(400, ANTHROPIC_PROMPT_TOO_LONG, Map.of())), ErrorKind.CONTEXT_LENGTH_EXCEEDED, 400));
        rows.add(wrapped("AuthenticationException(OpenAI 401 invalid_api_key)",
                new AuthenticationException(response(401, OPENAI_INVALID_API_KEY, Map.of())), ErrorKind.AUTHENTICATION, 401));
        rows.add(wrapped("TimeoutException(HTTP 408)",
                new TimeoutException(response(408, "", Map.of())), ErrorKind.TIMEOUT, 408));
        rows.add(wrapped("RateLimitException(plain LangChain4j HttpException 429)",
                new RateLimitException(new HttpException(429, OPENAI_RATE_LIMIT)), ErrorKind.RATE_LIMITED, 429));

        // timeouts and connection failures
        rows.add(row("java.net.http.HttpTimeoutException", new HttpTimeoutException("request timed out"), ErrorKind.TIMEOUT));
        rows.add(row("LangChain4j TimeoutException(HttpTimeoutException), as LlmHttpClient throws it",
                new TimeoutException(new HttpTimeoutException("request timed out")), ErrorKind.TIMEOUT));
        rows.add(row("java.net.SocketTimeoutException", new SocketTimeoutException("Read timed out"), ErrorKind.TIMEOUT));
        rows.add(row("UncheckedIOException(SocketTimeoutException)",
                new UncheckedIOException(new SocketTimeoutException("Read timed out")), ErrorKind.TIMEOUT));
        rows.add(row("RuntimeException(ConnectException)",
                new RuntimeException(new ConnectException("Connection refused")), ErrorKind.PROVIDER_UNAVAILABLE));

        // refusals and the rest
        rows.add(row("resilience4j CallNotPermittedException",
                CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults(PROVIDER)),
                ErrorKind.PROVIDER_UNAVAILABLE));
        rows.add(row("an unknown RuntimeException", new IllegalStateException("something odd"), ErrorKind.PROVIDER_UNAVAILABLE));
        return rows.stream();
    }

    static Stream<Arguments> httpRows() {
        return rows().filter(arguments -> ((Row) ((Named<?>) arguments.get()[0]).getPayload()).status() != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classifiesIntoItsKind(Row row) {
        // WHEN
        LlmException classified = ErrorClassifier.classify(row.error(), PROVIDER);

        // THEN
        assertThat(classified.kind()).isEqualTo(row.kind());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keepsTheProviderName(Row row) {
        // WHEN
        LlmException classified = ErrorClassifier.classify(row.error(), PROVIDER);

        // THEN
        assertThat(classified.provider()).isEqualTo(PROVIDER);
        assertThat(classified.getMessage()).startsWith(PROVIDER + ": ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keepsTheOriginalErrorAsCause(Row row) {
        // WHEN
        LlmException classified = ErrorClassifier.classify(row.error(), PROVIDER);

        // THEN
        assertThat(classified).cause().isSameAs(row.error());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpRows")
    void namesTheProviderAndTheHttpStatusInTheMessage(Row row) {
        // WHEN
        LlmException classified = ErrorClassifier.classify(row.error(), PROVIDER);

        // THEN
        assertThat(classified.getMessage()).startsWith(PROVIDER + ": HTTP " + row.status());
    }

    @Test
    void namesTheProviderErrorCodeAndMessageInTheMessage() {
        // GIVEN
        HttpErrorResponse overloaded = response(529, ANTHROPIC_OVERLOADED, Map.of());

        // WHEN
        LlmException classified = ErrorClassifier.classify(overloaded, "anthropic");

        // THEN
        assertThat(classified.getMessage()).isEqualTo("anthropic: HTTP 529 overloaded_error: Overloaded");
    }

    @Test
    void returnsAnLlmExceptionUnchanged() {
        // GIVEN
        LlmException already = new LlmException.QuotaExhausted("anthropic", "anthropic: out of credit", null);

        // WHEN
        LlmException classified = ErrorClassifier.classify(already, "openai");

        // THEN
        assertThat(classified).isSameAs(already);
        assertThat(classified.provider()).isEqualTo("anthropic");
    }

    @Test
    void marksAnOpenCircuitBreakerRefusalAsCircuitOpen() {
        // GIVEN
        CallNotPermittedException refused = CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults(PROVIDER));

        // WHEN
        LlmException classified = ErrorClassifier.classify(refused, PROVIDER);

        // THEN
        assertThat(classified).isInstanceOfSatisfying(LlmException.ProviderUnavailable.class,
                unavailable -> assertThat(unavailable.circuitOpen()).isTrue());
    }

    @Test
    void doesNotMarkAConnectionFailureAsCircuitOpen() {
        // GIVEN
        RuntimeException refused = new RuntimeException(new ConnectException("Connection refused"));

        // WHEN
        LlmException classified = ErrorClassifier.classify(refused, PROVIDER);

        // THEN
        assertThat(classified).isInstanceOfSatisfying(LlmException.ProviderUnavailable.class,
                unavailable -> assertThat(unavailable.circuitOpen()).isFalse());
        assertThat(classified.getMessage()).contains("connection failed", "Connection refused");
    }

    @Test
    void carriesTheRetryAfterOfARateLimitWrappedByLangChain4j() {
        // GIVEN
        RateLimitException thrown = new RateLimitException(response(429, OPENAI_RATE_LIMIT, Map.of("retry-after-ms", "150")));

        // WHEN
        LlmException classified = ErrorClassifier.classify(thrown, PROVIDER);

        // THEN
        assertThat(classified).isInstanceOfSatisfying(LlmException.RateLimited.class,
                limited -> assertThat(limited.retryAfter()).hasValue(Duration.ofMillis(150)));
        assertThat(classified.getMessage()).contains("retry after 150 ms");
    }

    @Test
    void carriesTheRetryAfterOfAnAnthropicRateLimit() {
        // GIVEN
        HttpErrorResponse throttled = response(429, ANTHROPIC_RATE_LIMIT, Map.of("retry-after", "7"));

        // WHEN
        LlmException classified = ErrorClassifier.classify(throttled, "anthropic");

        // THEN
        assertThat(classified).isInstanceOfSatisfying(LlmException.RateLimited.class,
                limited -> assertThat(limited.retryAfter()).hasValue(Duration.ofSeconds(7)));
    }

    @Test
    void hasNoRetryAfterForARateLimitWithoutResponseHeaders() {
        // GIVEN
        RateLimitException thrown = new RateLimitException("rate limited");

        // WHEN
        LlmException classified = ErrorClassifier.classify(thrown, PROVIDER);

        // THEN
        assertThat(classified).isInstanceOfSatisfying(LlmException.RateLimited.class,
                limited -> assertThat(limited.retryAfter()).isEmpty());
    }

    @Test
    void saysProviderWhenNoProviderNameIsGiven() {
        // GIVEN
        HttpErrorResponse unavailable = response(503, "Service Unavailable", Map.of());

        // WHEN
        LlmException classified = ErrorClassifier.classify(unavailable, null);

        // THEN
        assertThat(classified.provider()).isNull();
        assertThat(classified.getMessage()).startsWith("provider: HTTP 503");
    }

    @Test
    void shortensAVeryLongErrorBodyInTheMessage() {
        // GIVEN
        HttpErrorResponse huge = response(502, "<html>" + "x".repeat(5_000) + "</html>", Map.of());

        // WHEN
        LlmException classified = ErrorClassifier.classify(huge, PROVIDER);

        // THEN
        assertThat(classified.getMessage()).hasSizeLessThan(400).endsWith("…");
    }

    @Test
    void flattensAnErrorPageToOneLineWithSingleSpaces() {
        // GIVEN a proxy's HTML error page: indentation, CRLF line ends, tabs, runs of spaces
        HttpErrorResponse page = response(502, "<html>\r\n  <body>\r\n\t<h1>502  Bad Gateway</h1>\n \n</body>\r\n</html>\n", Map.of());

        // WHEN
        LlmException classified = ErrorClassifier.classify(page, PROVIDER);

        // THEN
        assertThat(classified.getMessage())
                .isEqualTo(PROVIDER + ": HTTP 502: <html> <body> <h1>502 Bad Gateway</h1> </body> </html>");
    }

    @Test
    void classifiesGeminiInvalidApiKeyAsAuthentication() {
        // GIVEN
        HttpErrorResponse badKey = response(400, GEMINI_INVALID_API_KEY, Map.of());

        // WHEN
        LlmException classified = ErrorClassifier.classify(badKey, "gemini");

        // THEN
        assertThat(classified.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    }

    // ---- retryAfter ----------------------------------------------------------------------------------

    @Test
    void readsRetryAfterMsAsMilliseconds() {
        assertThat(ErrorClassifier.retryAfter(withHeaders(Map.of("retry-after-ms", "120")))).hasValue(Duration.ofMillis(120));
    }

    @Test
    void readsRetryAfterAsSeconds() {
        assertThat(ErrorClassifier.retryAfter(withHeaders(Map.of("retry-after", "2")))).hasValue(Duration.ofSeconds(2));
    }

    @Test
    void readsFractionalRetryAfterSeconds() {
        assertThat(ErrorClassifier.retryAfter(withHeaders(Map.of("retry-after", "1.5")))).hasValue(Duration.ofMillis(1500));
    }

    @Test
    void readsRetryAfterAsAFutureHttpDate() {
        // GIVEN
        String inThirtySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));

        // WHEN
        Optional<Duration> wait = ErrorClassifier.retryAfter(withHeaders(Map.of("retry-after", inThirtySeconds)));

        // THEN the date has whole seconds, so the wait is a little under 30 s
        assertThat(wait).hasValueSatisfying(duration -> assertThat(duration)
                .isGreaterThan(Duration.ofSeconds(25))
                .isLessThanOrEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void readsRetryAfterAsAPastHttpDateAsNoWait() {
        assertThat(ErrorClassifier.retryAfter(withHeaders(Map.of("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"))))
                .hasValue(Duration.ZERO);
    }

    @Test
    void readsNoRetryAfterFromGarbage() {
        assertThat(ErrorClassifier.retryAfter(withHeaders(Map.of("retry-after", "soon, maybe")))).isEmpty();
    }

    @Test
    void readsNoRetryAfterWhenNeitherHeaderIsPresent() {
        assertThat(ErrorClassifier.retryAfter(withHeaders(Map.of("x-request-id", "req_123")))).isEmpty();
    }

    @Test
    void prefersRetryAfterMsOverRetryAfter() {
        // GIVEN
        Map<String, String> both = new LinkedHashMap<>();
        both.put("retry-after", "2");
        both.put("retry-after-ms", "120");

        // WHEN / THEN
        assertThat(ErrorClassifier.retryAfter(withHeaders(both))).hasValue(Duration.ofMillis(120));
    }

    @Test
    void fallsBackToRetryAfterWhenRetryAfterMsIsGarbage() {
        // GIVEN
        Map<String, String> both = new LinkedHashMap<>();
        both.put("retry-after-ms", "soon");
        both.put("retry-after", "3");

        // WHEN / THEN
        assertThat(ErrorClassifier.retryAfter(withHeaders(both))).hasValue(Duration.ofSeconds(3));
    }

    @Test
    void neverReturnsANegativeWait() {
        assertThat(ErrorClassifier.retryAfter(withHeaders(Map.of("retry-after", "-5")))).hasValue(Duration.ZERO);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headerNamesInAnyCase")
    void matchesRetryHeaderNamesInAnyCase(String name, String value, Duration expected) {
        assertThat(ErrorClassifier.retryAfter(withHeaders(Map.of(name, value)))).hasValue(expected);
    }

    static Stream<Arguments> headerNamesInAnyCase() {
        return Stream.of(
                Arguments.of("Retry-After-Ms", "120", Duration.ofMillis(120)),
                Arguments.of("RETRY-AFTER-MS", "120", Duration.ofMillis(120)),
                Arguments.of("Retry-After", "2", Duration.ofSeconds(2)),
                Arguments.of("RETRY-AFTER", "2", Duration.ofSeconds(2)));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static Arguments row(String description, Throwable error, ErrorKind kind) {
        return Arguments.of(named(description, new Row(error, kind, null)));
    }

    private static Arguments http(String description, int status, String body, ErrorKind kind) {
        return Arguments.of(named(description, new Row(response(status, body, Map.of()), kind, status)));
    }

    private static Arguments wrapped(String description, Throwable error, ErrorKind kind, int status) {
        return Arguments.of(named(description, new Row(error, kind, status)));
    }

    private static HttpErrorResponse response(int status, String body, Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        multi.put("content-type", List.of("application/json"));
        headers.forEach((name, value) -> multi.put(name, List.of(value)));
        return new HttpErrorResponse(status, body, multi);
    }

    private static HttpErrorResponse withHeaders(Map<String, String> headers) {
        return response(429, OPENAI_RATE_LIMIT, headers);
    }
}
