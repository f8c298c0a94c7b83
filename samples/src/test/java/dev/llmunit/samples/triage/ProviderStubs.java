package dev.llmunit.samples.triage;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Hand-made stand-ins for the OpenAI and Anthropic APIs, served by one WireMock server on
 * 127.0.0.1 with a free port. Replies are described once, provider-neutrally ({@link Reply}), and
 * rendered here in each provider's wire format: status, headers and JSON as the real APIs send
 * them, so the LangChain4j clients parse them unchanged (see {@code shared/docs/providers.md}).
 *
 * <pre>{@code
 * ProviderStubs stubs = ProviderStubs.start();
 * stubs.openAiReplies(Reply.rateLimited(Duration.ofMillis(20)), Reply.unavailable()); // the last reply repeats
 * stubs.anthropicReplies(Reply.answer("{\"category\":\"BILLING\", ...}"));
 * }</pre>
 *
 * <p>Temporary: later issues replace this class with llmunit's recorded fixtures. Each test owns
 * its own instance, so tests never share stub state (the static {@code WireMock.stubFor} DSL is
 * never used).
 */
public final class ProviderStubs implements AutoCloseable {

    /** The OpenAI key the stubs' endpoint carries; fake, so it may appear in tests. */
    public static final String OPENAI_KEY = "sk-test-triage-0000000000000000";
    /** The Anthropic key the stubs' endpoint carries; fake. */
    public static final String ANTHROPIC_KEY = "sk-ant-test-triage-00000000000000";

    private static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    private static final String MESSAGES = "/v1/messages";

    private final WireMockServer server;

    private ProviderStubs(WireMockServer server) {
        this.server = server;
    }

    /**
     * Starts a server on 127.0.0.1 with a free port and no stubs: until a reply is set, every call
     * gets WireMock's 404, which the router classifies as an invalid request.
     *
     * @return the running stubs; close them after the test
     */
    public static ProviderStubs start() {
        WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return new ProviderStubs(server);
    }

    /**
     * Where the OpenAI client should send its calls.
     *
     * @return the stub's {@code /v1} root and {@link #OPENAI_KEY}
     */
    public TriageModels.Endpoint openAiEndpoint() {
        return new TriageModels.Endpoint(server.baseUrl() + "/v1", OPENAI_KEY);
    }

    /**
     * Where the Anthropic client should send its calls.
     *
     * @return the stub's {@code /v1} root and {@link #ANTHROPIC_KEY}
     */
    public TriageModels.Endpoint anthropicEndpoint() {
        return new TriageModels.Endpoint(server.baseUrl() + "/v1", ANTHROPIC_KEY);
    }

    /**
     * Sets what {@code POST /v1/chat/completions} answers, call by call; the last reply repeats.
     *
     * @param replies at least one reply, in call order
     */
    public void openAiReplies(Reply... replies) {
        stub(CHAT_COMPLETIONS, "openai", replies, ProviderStubs::openAi);
    }

    /**
     * Sets what {@code POST /v1/messages} answers, call by call; the last reply repeats.
     *
     * @param replies at least one reply, in call order
     */
    public void anthropicReplies(Reply... replies) {
        stub(MESSAGES, "anthropic", replies, ProviderStubs::anthropic);
    }

    /**
     * The chat-completion calls received, in order.
     *
     * @return the logged requests
     */
    public List<LoggedRequest> openAiRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo(CHAT_COMPLETIONS)));
    }

    /**
     * The messages calls received, in order.
     *
     * @return the logged requests
     */
    public List<LoggedRequest> anthropicRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo(MESSAGES)));
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop();
    }

    /**
     * One provider reply, described without a wire format.
     *
     * @param kind what happens
     * @param text the model's answer, for {@link Kind#ANSWER}; empty otherwise
     * @param retryAfter the wait a rate limit asks for, for {@link Kind#RATE_LIMITED}; zero otherwise
     */
    public record Reply(Kind kind, String text, Duration retryAfter) {

        /** Checks every field is present. */
        public Reply {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        /**
         * A successful completion whose assistant message is {@code text}.
         *
         * @param text the model's answer, here the JSON the triage prompt asks for
         * @return the reply
         */
        public static Reply answer(String text) {
            return new Reply(Kind.ANSWER, text, Duration.ZERO);
        }

        /**
         * HTTP 429, the retryable kind, asking the client to wait.
         *
         * @param retryAfter sent as {@code retry-after-ms} (OpenAI) or {@code retry-after} seconds (Anthropic)
         * @return the reply
         */
        public static Reply rateLimited(Duration retryAfter) {
            return new Reply(Kind.RATE_LIMITED, "", retryAfter);
        }

        /**
         * HTTP 500.
         *
         * @return the reply
         */
        public static Reply serverError() {
            return new Reply(Kind.SERVER_ERROR, "", Duration.ZERO);
        }

        /**
         * The provider is overloaded: OpenAI's 503, Anthropic's 529.
         *
         * @return the reply
         */
        public static Reply unavailable() {
            return new Reply(Kind.UNAVAILABLE, "", Duration.ZERO);
        }

        /**
         * HTTP 401: the API key was refused.
         *
         * @return the reply
         */
        public static Reply unauthorized() {
            return new Reply(Kind.UNAUTHORIZED, "", Duration.ZERO);
        }
    }

    /** What a {@link Reply} does. */
    public enum Kind {
        /** 200 with an assistant message. */
        ANSWER,
        /** 429 with a retry hint. */
        RATE_LIMITED,
        /** 500. */
        SERVER_ERROR,
        /** 503 (OpenAI) or 529 (Anthropic). */
        UNAVAILABLE,
        /** 401. */
        UNAUTHORIZED
    }

    /**
     * Chains the replies as a WireMock scenario: reply i moves the scenario to reply i + 1, and the
     * last one leaves it there, so it repeats for any further call.
     */
    private void stub(String path, String scenario, Reply[] replies,
            Function<Reply, ResponseDefinitionBuilder> render) {
        if (replies.length == 0) {
            throw new IllegalArgumentException("give at least one reply for " + path);
        }
        if (replies.length == 1) {
            server.stubFor(post(urlPathEqualTo(path)).willReturn(render.apply(replies[0])));
            return;
        }
        for (int i = 0; i < replies.length; i++) {
            ScenarioMappingBuilder mapping = post(urlPathEqualTo(path))
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "reply " + i);
            if (i < replies.length - 1) {
                mapping = mapping.willSetStateTo("reply " + (i + 1));
            }
            server.stubFor(mapping.willReturn(render.apply(replies[i])));
        }
    }

    // --- OpenAI: pretty-printed JSON, errors as {"error": {message, type, param, code}} -----------

    private static ResponseDefinitionBuilder openAi(Reply reply) {
        return switch (reply.kind()) {
            case ANSWER -> openAiJson(200, """
                    {
                      "id": "chatcmpl-BvT3kq8Zr2mXf1sQpLw7nYcH0aDeE",
                      "object": "chat.completion",
                      "created": 1753200000,
                      "model": "gpt-4o-mini-2024-07-18",
                      "choices": [
                        {
                          "index": 0,
                          "message": {
                            "role": "assistant",
                            "content": %s,
                            "refusal": null,
                            "annotations": []
                          },
                          "logprobs": null,
                          "finish_reason": "stop"
                        }
                      ],
                      "usage": {
                        "prompt_tokens": 312,
                        "completion_tokens": 34,
                        "total_tokens": 346,
                        "prompt_tokens_details": {
                          "cached_tokens": 0,
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
                    """.formatted(jsonString(reply.text())))
                    .withHeader("openai-processing-ms", "388")
                    .withHeader("x-ratelimit-limit-requests", "30000")
                    .withHeader("x-ratelimit-remaining-requests", "29999")
                    .withHeader("x-ratelimit-reset-requests", "2ms")
                    .withHeader("x-ratelimit-limit-tokens", "150000000")
                    .withHeader("x-ratelimit-remaining-tokens", "149999650")
                    .withHeader("x-ratelimit-reset-tokens", "0s");
            case RATE_LIMITED -> openAiJson(429, openAiError(
                    "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 500, Used 500, Requested 1. "
                            + "Please try again in " + reply.retryAfter().toMillis() + "ms. "
                            + "Visit https://platform.openai.com/account/rate-limits to learn more.",
                    "requests", "\"rate_limit_exceeded\""))
                    .withHeader("retry-after-ms", Long.toString(reply.retryAfter().toMillis()))
                    .withHeader("x-ratelimit-limit-requests", "500")
                    .withHeader("x-ratelimit-remaining-requests", "0")
                    .withHeader("x-ratelimit-reset-requests", reply.retryAfter().toMillis() + "ms");
            case SERVER_ERROR -> openAiJson(500, openAiError(
                    "The server had an error while processing your request. Sorry about that!", "server_error", "null"));
            case UNAVAILABLE -> openAiJson(503, openAiError(
                    "The engine is currently overloaded, please try again later.", "server_error", "null"));
            case UNAUTHORIZED -> openAiJson(401, openAiError(
                    "Incorrect API key provided: sk-test-****0000. You can find your API key at "
                            + "https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", "\"invalid_api_key\""));
        };
    }

    private static String openAiError(String message, String type, String codeJson) {
        return """
                {
                    "error": {
                        "message": %s,
                        "type": "%s",
                        "param": null,
                        "code": %s
                    }
                }
                """.formatted(jsonString(message), type, codeJson);
    }

    private static ResponseDefinitionBuilder openAiJson(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("openai-version", "2020-10-01")
                .withHeader("x-request-id", "req_5c0e8f3b9a2d4e71b6f0c1d2e3f4a5b6")
                .withBody(body);
    }

    // --- Anthropic: compact JSON, errors as {"type":"error","error":{type, message},"request_id"} --

    private static ResponseDefinitionBuilder anthropic(Reply reply) {
        return switch (reply.kind()) {
            case ANSWER -> anthropicJson(200, "{\"id\":\"msg_01HCx7bXkP4mQ2vZr9LwT3aY\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"claude-haiku-4-5-20251001\",\"content\":[{\"type\":\"text\",\"text\":" + jsonString(reply.text()) + "}],"
                    + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":341,"
                    + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
                    + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},"
                    + "\"output_tokens\":38,\"service_tier\":\"standard\"}}")
                    .withHeader("anthropic-ratelimit-requests-limit", "4000")
                    .withHeader("anthropic-ratelimit-requests-remaining", "3999")
                    .withHeader("anthropic-ratelimit-requests-reset", "2025-10-22T09:00:01Z");
            case RATE_LIMITED -> anthropicJson(429, anthropicError("rate_limit_error",
                    "This request would exceed the rate limit for your organization of 50 requests per minute. "
                            + "For details, refer to: https://docs.claude.com/en/api/rate-limits."))
                    .withHeader("retry-after", Long.toString(Math.max(1, reply.retryAfter().toSeconds())))
                    .withHeader("x-should-retry", "true");
            case SERVER_ERROR -> anthropicJson(500, anthropicError("api_error", "Internal server error"))
                    .withHeader("x-should-retry", "true");
            case UNAVAILABLE -> anthropicJson(529, anthropicError("overloaded_error", "Overloaded"))
                    .withHeader("x-should-retry", "true");
            case UNAUTHORIZED -> anthropicJson(401, anthropicError("authentication_error", "invalid x-api-key"));
        };
    }

    private static String anthropicError(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + jsonString(message)
                + "},\"request_id\":\"req_011CUNnGQm7bYq3tV8xK2wPz\"}";
    }

    private static ResponseDefinitionBuilder anthropicJson(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("request-id", "req_011CUNnGQm7bYq3tV8xK2wPz")
                .withBody(body);
    }

    /** A JSON string literal of {@code text}: the model's answer is itself JSON, nested as a string. */
    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder(text.length() + 16).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
