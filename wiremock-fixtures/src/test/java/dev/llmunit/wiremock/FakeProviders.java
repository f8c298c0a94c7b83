package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;

/**
 * A stand-in for the real OpenAI and Anthropic APIs on 127.0.0.1: realistic bodies (JSON and SSE)
 * and the headers real providers send, private ones included, so recordings can be checked for
 * leaks. Answers echo the last user message, so different prompts get different answers.
 */
final class FakeProviders implements AutoCloseable {

    /** A realistic fake OpenAI project key: {@code sk-proj-} and 40 characters. */
    // Key-shaped on purpose, so the tests prove redaction; built at run time so no key-shaped literal sits in the sources.
    static final String OPENAI_KEY = "sk-" + "proj-Q7fXk2LmN9pR4sT6vW8yZ1aB3cD5eF7gH9jK0mN2";
    /** A realistic fake Anthropic key. */
    static final String ANTHROPIC_KEY = "sk-" + "ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA9876";

    static final String OPENAI_ORGANIZATION = "org-Secr3tOrgId0000000000";
    static final String OPENAI_PROJECT = "proj_Secr3tProjectId000000";
    static final String ANTHROPIC_ORGANIZATION = "7c1e9f55-5ec2-4d8e-9c1b-secretorg0001";
    static final String COOKIE = "__cf_bm=SecretCookieValue0123456789";
    static final String CF_RAY = "8f1a2b3c4d5e6f70-FRA";
    static final String REQUEST_ID = "req_9b8a7c6d5e4f3a2b1c0d";

    static final String OPENAI_MODEL = "gpt-4o-mini";
    static final String ANTHROPIC_MODEL = "claude-3-5-haiku-20241022";

    private static final String OPENAI_JSON = """
            {
              "id": "chatcmpl-BxQk2aZr9Lw3yT6uVnPq1sDfGhJk",
              "object": "chat.completion",
              "created": 1753862400,
              "model": "gpt-4o-mini-2024-07-18",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "Echo: {{jsonPath request.body '$.messages[-1].content'}}",
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 14,
                "completion_tokens": 5,
                "total_tokens": 19,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
              },
              "service_tier": "default",
              "system_fingerprint": "fp_34a54ae93c"
            }
            """;

    private static final String OPENAI_CHUNK = "data: {\"id\":\"chatcmpl-CyRl3bAs0Mx4zU7vWoQr2tEgHiKl\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1753862401,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_34a54ae93c\",";

    static final String OPENAI_SSE = OPENAI_CHUNK
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"x9\"}\n\n"
            + OPENAI_CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Streamed\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
            + OPENAI_CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" hello\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
            + OPENAI_CHUNK + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
            + OPENAI_CHUNK + "\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,"
            + "\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n"
            + "data: [DONE]\n\n";

    private static final String ANTHROPIC_JSON = """
            {
              "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
              "type": "message",
              "role": "assistant",
              "model": "claude-3-5-haiku-20241022",
              "content": [{"type": "text", "text": "Echo: {{jsonPath request.body '$.messages[-1].content[0].text'}}"}],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {
                "input_tokens": 18,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": 9,
                "service_tier": "standard"
              }
            }
            """;

    static final String ANTHROPIC_SSE = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01AbCdEfGhIjKlMnOpQrStUv","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Streamed"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" bonjour"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private final WireMockServer server;

    private FakeProviders(WireMockServer server) {
        this.server = server;
    }

    static FakeProviders start() {
        WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));
        server.start();
        FakeProviders fake = new FakeProviders(server);
        fake.stubOpenAi();
        fake.stubAnthropic();
        return fake;
    }

    private void stubOpenAi() {
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(5)
                .willReturn(openAiHeaders(aResponse())
                        .withHeader("Content-Type", "application/json")
                        .withFixedDelay(60)
                        .withBody(OPENAI_JSON)
                        .withTransformers("response-template")));
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(openAiHeaders(aResponse())
                        .withHeader("Content-Type", "text/event-stream; charset=utf-8")
                        .withFixedDelay(30)
                        .withChunkedDribbleDelay(6, 120)
                        .withBody(OPENAI_SSE)));
    }

    private void stubAnthropic() {
        server.stubFor(post(urlPathEqualTo("/v1/messages"))
                .atPriority(5)
                .willReturn(anthropicHeaders(aResponse())
                        .withHeader("Content-Type", "application/json")
                        .withFixedDelay(60)
                        .withBody(ANTHROPIC_JSON)
                        .withTransformers("response-template")));
        server.stubFor(post(urlPathEqualTo("/v1/messages"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(anthropicHeaders(aResponse())
                        .withHeader("Content-Type", "text/event-stream; charset=utf-8")
                        .withFixedDelay(30)
                        .withChunkedDribbleDelay(6, 120)
                        .withBody(ANTHROPIC_SSE)));
    }

    private static ResponseDefinitionBuilder openAiHeaders(ResponseDefinitionBuilder response) {
        return response
                .withHeader("openai-organization", OPENAI_ORGANIZATION)
                .withHeader("openai-project", OPENAI_PROJECT)
                .withHeader("openai-processing-ms", "312")
                .withHeader("openai-version", "2020-10-01")
                .withHeader("x-request-id", REQUEST_ID)
                .withHeader("x-ratelimit-limit-requests", "10000")
                .withHeader("x-ratelimit-remaining-requests", "9999")
                .withHeader("set-cookie", COOKIE + "; path=/; expires=Thu, 31-Jul-25 10:30:00 GMT; domain=.api.openai.com; HttpOnly; Secure")
                .withHeader("cf-ray", CF_RAY)
                .withHeader("cf-cache-status", "DYNAMIC")
                .withHeader("server", "cloudflare")
                .withHeader("date", "Wed, 30 Jul 2025 10:00:00 GMT");
    }

    private static ResponseDefinitionBuilder anthropicHeaders(ResponseDefinitionBuilder response) {
        return response
                .withHeader("anthropic-organization-id", ANTHROPIC_ORGANIZATION)
                .withHeader("request-id", REQUEST_ID)
                .withHeader("x-request-id", REQUEST_ID)
                .withHeader("anthropic-ratelimit-requests-limit", "4000")
                .withHeader("set-cookie", COOKIE + "; path=/; HttpOnly; Secure")
                .withHeader("cf-ray", CF_RAY)
                .withHeader("server", "cloudflare")
                .withHeader("date", "Wed, 30 Jul 2025 10:00:00 GMT");
    }

    URI openAiUpstream() {
        return URI.create(server.baseUrl() + "/v1");
    }

    URI anthropicUpstream() {
        return URI.create(server.baseUrl() + "/v1");
    }

    int openAiCalls() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))).size();
    }

    int anthropicCalls() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/v1/messages"))).size();
    }

    WireMockServer wireMock() {
        return server;
    }

    /** A recording server against this fake, with the fake keys and no environment. */
    FixtureServer.Builder recorder(FixtureMode mode, java.nio.file.Path directory) {
        return FixtureServer.builder()
                .mode(mode)
                .fixtureDirectory(directory)
                .upstream(LlmProvider.OPENAI, openAiUpstream())
                .upstream(LlmProvider.ANTHROPIC, anthropicUpstream())
                .apiKey(LlmProvider.OPENAI, OPENAI_KEY)
                .apiKey(LlmProvider.ANTHROPIC, ANTHROPIC_KEY)
                .environment(name -> null);
    }

    @Override
    public void close() {
        server.stop();
    }
}
