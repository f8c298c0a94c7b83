package dev.llmunit.wiremock;

import static dev.llmunit.wiremock.LlmProvider.OPENAI;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.Metadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What a fixture tells reports (WireMock stub metadata under {@code llmunit}), how its declared
 * latency plays, and how sequences keep their state.
 */
class FixtureMetadataAndLatencyTest {

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
    class StubMetadata {

        @Test
        void aReplySaysProviderModelAndStreamWithoutLatencyWhenNoneIsDeclared() {
            // WHEN
            StubMapping stub = server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                    .replyText("billing", reply -> reply.model("gpt-4o-2024-08-06")));

            // THEN
            Metadata llmunit = stub.getMetadata().getMetadata("llmunit");
            assertThat(llmunit).containsOnlyKeys("provider", "model", "stream");
            assertThat(llmunit.getString("provider")).isEqualTo("openai");
            assertThat(llmunit.getString("model")).isEqualTo("gpt-4o-2024-08-06");
            assertThat(llmunit.getBoolean("stream")).isFalse();
        }

        @Test
        void aStreamSaysStreamAndTheTotalDeclaredLatency() {
            // WHEN
            StubMapping stub = server.stub(AnthropicFixtures.messages().anyRequest()
                    .withFixedDelay(Duration.ofMillis(50)).withChunkedDribble(4, Duration.ofMillis(100))
                    .replyStream("Billing"));

            // THEN
            Metadata llmunit = stub.getMetadata().getMetadata("llmunit");
            assertThat(llmunit.getString("provider")).isEqualTo("anthropic");
            assertThat(llmunit.getString("model")).isEqualTo(AnthropicFixtures.DEFAULT_MODEL);
            assertThat(llmunit.getBoolean("stream")).isTrue();
            assertThat(FixtureMetadata.from(stub).orElseThrow().latencyMs()).isEqualTo(150L);
        }

        @Test
        void aLogNormalDelayReportsItsMedian() throws Exception {
            // WHEN
            StubMapping stub = server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                    .withLogNormalDelay(Duration.ofMillis(90), 0.1).replyText("billing"));

            // THEN
            assertThat(FixtureMetadata.from(stub).orElseThrow().latencyMs()).isEqualTo(90L);
            JsonNode delay = new ObjectMapper().readTree(Json.write(stub.getResponse())).get("delayDistribution");
            assertThat(delay.get("type").asText()).isEqualTo("lognormal");
            assertThat(delay.get("median").asDouble()).isEqualTo(90.0);
            assertThat(delay.get("sigma").asDouble()).isEqualTo(0.1);
        }

        @Test
        void anErrorSaysItsStatusAndCodeAndTheMatchedModel() {
            // WHEN
            StubMapping stub = server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o-mini").insufficientQuota());

            // THEN
            Metadata llmunit = stub.getMetadata().getMetadata("llmunit");
            assertThat(llmunit.getString("model")).isEqualTo("gpt-4o-mini");
            assertThat(llmunit.getInt("status")).isEqualTo(429);
            assertThat(llmunit.getString("error")).isEqualTo("insufficient_quota");
            assertThat(llmunit.getBoolean("stream")).isFalse();
        }

        @Test
        void anErrorWithoutAMatchedModelNamesNoModel() {
            // WHEN
            StubMapping stub = server.stub(AnthropicFixtures.messages().anyRequest().overloaded());

            // THEN
            assertThat(stub.getMetadata().getMetadata("llmunit")).doesNotContainKey("model")
                    .containsEntry("error", "overloaded_error");
        }

        @Test
        void aFaultSaysWhichFault() {
            // WHEN
            StubMapping stub = server.stub(AnthropicFixtures.messages().anyRequest().fault(TransportFault.MALFORMED_CHUNK));

            // THEN
            assertThat(stub.getMetadata().getMetadata("llmunit").getString("fault")).isEqualTo("malformed_chunk");
            assertThat(stub.getName()).isEqualTo("llmunit anthropic: fault malformed_chunk");
        }

        @Test
        void eachStepOfASequenceSaysItsScenarioAndPlace() {
            // WHEN
            List<MappingBuilder> steps = OpenAiFixtures.chatCompletion().anyRequest()
                    .sequence(s -> s.serverError().rateLimited().replyText("billing"));

            // THEN
            List<StubMapping> stubs = steps.stream().map(server::stub).toList();
            assertThat(stubs).extracting(stub -> stub.getMetadata().getMetadata("llmunit").getInt("step")).containsExactly(1, 2, 3);
            assertThat(stubs).extracting(stub -> stub.getMetadata().getMetadata("llmunit").getInt("steps")).containsOnly(3);
            assertThat(stubs).extracting(StubMapping::getScenarioName).containsOnly(stubs.get(0).getScenarioName());
            assertThat(stubs).extracting(StubMapping::getName).containsExactly(
                    "llmunit openai: 500 server_error (step 1 of 3)",
                    "llmunit openai: 429 rate_limit_exceeded (step 2 of 3)",
                    "llmunit openai: chat.completion 'billing' (step 3 of 3)");
        }
    }

    @Nested
    class Sequences {

        @Test
        void givesEverySequenceItsOwnScenario() {
            // GIVEN
            OpenAiFixtures.ChatCompletionFixture fixture = OpenAiFixtures.chatCompletion().anyRequest();

            // WHEN
            String first = fixture.sequence(s -> s.serverError()).get(0).build().getScenarioName();
            String second = fixture.sequence(s -> s.serverError()).get(0).build().getScenarioName();

            // THEN
            assertThat(first).startsWith("llmunit openai sequence ").isNotEqualTo(second);
        }

        @Test
        void twoSequencesOnOneServerAdvanceIndependently() throws Exception {
            // GIVEN two tests' sequences on one shared server
            OpenAiFixtures.chatCompletion().whenModelEquals("model-a")
                    .sequence(s -> s.serverError().replyText("a")).forEach(server::stub);
            OpenAiFixtures.chatCompletion().whenModelEquals("model-b")
                    .sequence(s -> s.serverError().replyText("b")).forEach(server::stub);

            // WHEN
            int firstA = post("{\"model\":\"model-a\"}").statusCode();
            int secondA = post("{\"model\":\"model-a\"}").statusCode();
            int firstB = post("{\"model\":\"model-b\"}").statusCode();
            int secondB = post("{\"model\":\"model-b\"}").statusCode();

            // THEN B's first request still gets B's first step
            assertThat(List.of(firstA, secondA, firstB, secondB)).containsExactly(500, 200, 500, 200);
        }
    }

    @Nested
    class Latency {

        @Test
        void aFixedDelayHoldsBackTheWholeResponse() throws Exception {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().withFixedDelay(Duration.ofMillis(200)).replyText("billing"));

            // WHEN
            long start = System.nanoTime();
            int status = post("{}").statusCode();
            long elapsed = millisSince(start);

            // THEN
            assertThat(status).isEqualTo(200);
            assertThat(elapsed).isGreaterThanOrEqualTo(200);
        }

        @Test
        void aChunkedDribbleDelaysTheFirstBytesOfAStreamEvenWhenTheClientAcceptsGzip() throws Exception {
            // GIVEN four slices over 400 ms: the first after 100 ms
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().withChunkedDribble(4, Duration.ofMillis(400))
                    .replyStream("Billing team, queue B"));

            // WHEN
            long start = System.nanoTime();
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url())
                            .header("Accept-Encoding", "gzip")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"stream\": true}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long firstByte;
            String body;
            try (InputStream in = response.body()) {
                int first = in.read();
                firstByte = millisSince(start);
                body = (char) first + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            long end = millisSince(start);

            // THEN
            assertThat(response.headers().firstValue("content-encoding")).isEmpty();
            assertThat(firstByte).isGreaterThanOrEqualTo(100);
            assertThat(end - firstByte).isGreaterThanOrEqualTo(250);
            assertThat(body).isEqualTo(OpenAiFixtures.chatCompletionStream("Billing team, queue B"));
        }

        @Test
        void simulatesTimeToFirstTokenForAStreamingClient() throws Exception {
            // GIVEN 150 ms before the first byte, then the rest over 300 ms
            server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                    .withFixedDelay(Duration.ofMillis(50)).withChunkedDribble(3, Duration.ofMillis(300))
                    .replyStream("Billing team, queue B"));
            AtomicLong firstToken = new AtomicLong();
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            long start = System.nanoTime();

            // WHEN
            OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl(OPENAI)).apiKey("test-key").modelName("gpt-4o-mini").build()
                    .chat("Which queue?", new StreamingChatResponseHandler() {
                        @Override
                        public void onPartialResponse(String partialResponse) {
                            firstToken.compareAndSet(0, millisSince(start));
                        }

                        @Override
                        public void onCompleteResponse(ChatResponse completeResponse) {
                            done.complete(completeResponse);
                        }

                        @Override
                        public void onError(Throwable error) {
                            done.completeExceptionally(error);
                        }
                    });
            ChatResponse response = done.get(10, TimeUnit.SECONDS);
            long end = millisSince(start);

            // THEN
            assertThat(response.aiMessage().text()).isEqualTo("Billing team, queue B");
            assertThat(firstToken.get()).isGreaterThanOrEqualTo(150);
            assertThat(end).isGreaterThanOrEqualTo(350);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static URI url() {
        return URI.create(server.wireMock().baseUrl() + OpenAiFixtures.PATH);
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
