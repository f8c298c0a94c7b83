package dev.llmunit.core.ensemble;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.llmunit.core.cost.Usd.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmunit.core.http.HttpExchange;
import dev.llmunit.core.http.HttpExchangeCapture;
import dev.llmunit.core.http.LlmHttpClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An ensemble over the real LangChain4j OpenAI and Anthropic clients, through {@link LlmHttpClient},
 * against a real WireMock on loopback: two OpenAI samples (distinct requests, distinct stubs, with
 * token log-probabilities) and one Anthropic member.
 */
class EnsembleEndToEndTest {

    private static final String OPENAI_PATH = "/openai/v1/chat/completions";
    private static final String ANTHROPIC_PATH = "/anthropic/v1/messages";
    private static final String SYSTEM = "Answer with JSON: {\"category\": BILLING | BUG | ACCOUNT | OTHER}";
    private static final ChatRequest TICKET = ChatRequest.builder()
            .messages(SystemMessage.from(SYSTEM), UserMessage.from("I was charged twice for May."))
            .build();

    private static WireMockServer server;

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
    void stubProviders() {
        server.resetAll();
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).withRequestBody(notContaining("Independent sample"))
                .willReturn(json(openAi("chatcmpl-sample1", "{\\\"category\\\": \\\"BILLING\\\"}", Math.log(0.9), 120, 9))
                        .withHeader("x-sample", "1")));
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).withRequestBody(containing("Independent sample 2 of 2."))
                .willReturn(json(openAi("chatcmpl-sample2", "{\\\"category\\\": \\\"BILLING\\\"}", Math.log(0.8), 130, 9))
                        .withHeader("x-sample", "2")));
        server.stubFor(post(urlEqualTo(ANTHROPIC_PATH))
                .willReturn(json(ANTHROPIC_BUG).withHeader("x-sample", "anthropic")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String openAi(String id, String escapedContent, double logprob, int promptTokens, int completionTokens) {
        return """
                {"id": "%s", "object": "chat.completion", "created": 1751462400, "model": "gpt-4o-mini-2024-07-18",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "%s", "refusal": null, "annotations": []},
                   "logprobs": {"content": [{"token": "BILLING", "logprob": %s, "bytes": [66], "top_logprobs": []}], "refusal": null},
                   "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d,
                   "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                   "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0,
                     "rejected_prediction_tokens": 0}},
                 "service_tier": "default", "system_fingerprint": "fp_34a54ae93c"}
                """.formatted(id, escapedContent, logprob, promptTokens, completionTokens, promptTokens + completionTokens);
    }

    private static final String ANTHROPIC_BUG = """
            {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": "claude-haiku-4-5-20251001",
             "content": [{"type": "text", "text": "{\\"category\\": \\"BUG\\"}"}], "stop_reason": "end_turn", "stop_sequence": null,
             "usage": {"input_tokens": 150, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
               "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}, "output_tokens": 10,
               "service_tier": "standard"}}
            """;

    private static ChatModel openAi() {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/openai/v1").apiKey("test-key").modelName("gpt-4o-mini")
                .logprobs(true).maxRetries(0).httpClientBuilder(LlmHttpClient.builder()).build();
    }

    private static ChatModel anthropic() {
        return AnthropicChatModel.builder().baseUrl(server.baseUrl() + "/anthropic/v1").apiKey("test-key").modelName("claude-haiku-4-5")
                .maxRetries(0).httpClientBuilder(LlmHttpClient.builder()).build();
    }

    private static Ensemble triage() {
        return Ensemble.builder()
                .name("triage")
                .member("openai", openAi(), m -> m.samples(2))
                .member("anthropic", anthropic())
                .answerKey(AnswerKey.jsonPointer("/category"))
                .filter(AnswerFilter.validJson())
                .build();
    }

    @Test
    void twoOpenAiSamplesAndAnAnthropicMemberVoteOverRealHttp() {
        EnsembleResult result = triage().run(TICKET);

        assertThat(result.chosenKey()).isEqualTo("BILLING");
        assertThat(result.chosenId()).isEqualTo("openai#1");
        assertThat(result.agreement()).isEqualTo(2.0 / 3);
        // Agreement x the samples' mean token confidence, (0.9 + 0.8) / 2.
        assertThat(result.rawConfidence()).isCloseTo(2.0 / 3 * 0.85, within(1e-9));
        assertThat(result.member("openai#1").orElseThrow().logProbConfidence()).isCloseTo(0.9, within(1e-9));
        assertThat(result.member("anthropic").orElseThrow().logProbConfidence()).isNull();
        assertThat(result.member("anthropic").orElseThrow().key()).isEqualTo("BUG");
        // gpt-4o-mini: (120 + 130) x $0.15/M + 18 x $0.60/M; claude-haiku-4-5: 150 x $1/M + 10 x $5/M
        assertThat(result.member("openai#1").orElseThrow().cost().plus(result.member("openai#2").orElseThrow().cost()))
                .isEqualTo(usd("0.0000483"));
        assertThat(result.member("anthropic").orElseThrow().cost()).isEqualTo(usd("0.0002"));
        assertThat(result.totalCost()).isEqualTo(usd("0.0002483"));
    }

    @Test
    void eachSampleIsADistinctRequestTheProviderSees() {
        triage().run(TICKET);

        server.verify(1, postRequestedFor(urlEqualTo(OPENAI_PATH)).withRequestBody(notContaining("Independent sample")));
        server.verify(1, postRequestedFor(urlEqualTo(OPENAI_PATH)).withRequestBody(containing("Independent sample 2 of 2.")));
        server.verify(1, postRequestedFor(urlEqualTo(ANTHROPIC_PATH)));
    }

    @Test
    void underAnActiveCaptureEachMemberKeepsItsOwnHttpExchanges() {
        EnsembleResult result = new HttpExchangeCapture().run(() -> triage().run(TICKET));

        for (String id : List.of("openai#1", "openai#2", "anthropic")) {
            List<HttpExchange> exchanges = result.member(id).orElseThrow().exchanges();
            assertThat(exchanges).as(id).singleElement().satisfies(exchange -> assertThat(exchange.header("x-sample"))
                    .contains(id.equals("anthropic") ? "anthropic" : id.substring(id.length() - 1)));
        }
    }

    @Test
    void eachMemberSendsTheRequestHeadersOfTheCallersCapture() {
        // A repeated test's run asks the fixture server for its recorded sample this way.
        new HttpExchangeCapture(java.util.Map.of("x-llmunit-sample", "2")).run(() -> triage().run(TICKET));

        server.verify(2, postRequestedFor(urlEqualTo(OPENAI_PATH)).withHeader("x-llmunit-sample",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("2")));
        server.verify(1, postRequestedFor(urlEqualTo(ANTHROPIC_PATH)).withHeader("x-llmunit-sample",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("2")));
    }

    @Test
    void withoutACaptureNoExchangesAreKept() {
        EnsembleResult result = triage().run(TICKET);

        assertThat(result.members()).allSatisfy(member -> assertThat(member.exchanges()).isEmpty());
    }
}
