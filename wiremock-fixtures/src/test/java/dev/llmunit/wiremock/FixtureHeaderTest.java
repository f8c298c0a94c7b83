package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.http.HttpErrorResponse;
import dev.llmunit.core.http.HttpExchange;
import dev.llmunit.core.http.HttpExchangeCapture;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@value FixtureServer#FIXTURE_HEADER} header: every answer from a stub names the fixture (with or
 * without llmunit metadata), and llmunit's own answers (a missing fixture) never claim to be one. Read through {@link HttpExchangeCapture}, as a test's call ledger reads it.
 */
class FixtureHeaderTest {

    private static final String SET = "fixture-server-test";
    private static final String CHAT_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    @TempDir
    Path fixtures;

    @Test
    void aDslFixtureNamesItselfInTheFixtureHeader() {
        try (FixtureServer server = FixtureServer.builder().build().start()) {
            // GIVEN
            StubMapping stub = server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyText("billing"));

            // WHEN
            HttpExchange exchange = captureOne(() -> Clients.chat(Clients.openAi(server), "Ticket #4411: charged twice"));

            // THEN
            assertThat(stub.getName()).isEqualTo("llmunit openai: chat.completion 'billing'");
            assertThat(exchange.header(FixtureServer.FIXTURE_HEADER)).hasValue(stub.getName());
        }
    }

    @Test
    void aDslStreamFixtureNamesItselfInTheFixtureHeader() {
        try (FixtureServer server = FixtureServer.builder().build().start()) {
            // GIVEN
            StubMapping stub = server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyStream("billing"));

            // WHEN
            HttpExchange exchange = captureOne(() -> Clients.stream(Clients.openAiStreaming(server), "Which queue?"));

            // THEN
            assertThat(exchange.header(FixtureServer.FIXTURE_HEADER)).hasValue(stub.getName());
        }
    }

    @Test
    void aDslErrorFixtureNamesItselfInTheFixtureHeader() {
        try (FixtureServer server = FixtureServer.builder().build().start()) {
            // GIVEN
            StubMapping stub = server.stub(OpenAiFixtures.chatCompletion().anyRequest().insufficientQuota());
            HttpExchangeCapture capture = new HttpExchangeCapture();

            // WHEN
            Throwable thrown = catchThrowable(() -> capture.run(() -> Clients.chat(Clients.openAi(server), "Hello")));

            // THEN
            assertThat(thrown).hasRootCauseInstanceOf(HttpErrorResponse.class);
            assertThat(capture.exchanges()).singleElement().satisfies(exchange -> {
                assertThat(exchange.status()).isEqualTo(429);
                assertThat(exchange.header(FixtureServer.FIXTURE_HEADER)).hasValue(stub.getName());
            });
        }
    }

    @Test
    void aFixtureLoadedFromAFixtureSetNamesItselfBesideItsRecordedLatency() {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureSet(SET).build().start()) {
            // WHEN
            HttpExchange exchange = captureOne(() -> Clients.chat(Clients.openAi(server), "Hello"));

            // THEN it is named by its file, mappings/openai-gpt-4o-mini-hello.json, not by its stub name
            assertThat(exchange.header(FixtureServer.FIXTURE_HEADER)).hasValue("openai-gpt-4o-mini-hello");
            assertThat(exchange.header(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("420");
        }
    }

    @Test
    void stubsOfAFileThatHoldsSeveralAreNamedByTheFileAndTheirPlaceInIt() throws Exception {
        // GIVEN one mapping file in a subfolder holding two stubs, each with a stub name of its own
        Path mappings = java.nio.file.Files.createDirectories(fixtures.resolve("mappings").resolve("billing"));
        java.nio.file.Files.writeString(mappings.resolve("refunds.json"), """
                {"mappings": [
                  {"name": "first refund", "request": {"method": "POST", "urlPath": "/openai/v1/chat/completions",
                    "bodyPatterns": [{"contains": "first"}]}, "response": {"status": 200, "jsonBody": {}}},
                  {"name": "second refund", "request": {"method": "POST", "urlPath": "/openai/v1/chat/completions",
                    "bodyPatterns": [{"contains": "second"}]}, "response": {"status": 200, "jsonBody": {}}}
                ]}
                """);
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            // WHEN each is asked
            HttpResponse<String> first = send(server, "/openai/v1/chat/completions", CHAT_BODY.replace("Hello", "first"));
            HttpResponse<String> second = send(server, "/openai/v1/chat/completions", CHAT_BODY.replace("Hello", "second"));

            // THEN each goes by its file below mappings/ and its place in it, which a user finds in the set
            assertThat(first.headers().firstValue(FixtureServer.FIXTURE_HEADER)).hasValue("billing/refunds#1");
            assertThat(second.headers().firstValue(FixtureServer.FIXTURE_HEADER)).hasValue("billing/refunds#2");
        }
    }

    @Test
    void aFixtureWithAFixedDelaySaysTheServerHeldTheResponseBack() {
        try (FixtureServer server = FixtureServer.builder().build().start()) {
            // GIVEN a stub the server delays by 25 ms itself
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().withFixedDelay(java.time.Duration.ofMillis(25)).replyText("billing"));

            // WHEN
            HttpExchange exchange = captureOne(() -> Clients.chat(Clients.openAi(server), "Hello"));

            // THEN the ledger can tell that wait (the stand-in for the provider) from llmunit's own time
            assertThat(exchange.header(FixtureServer.REPLAYED_DELAY_HEADER)).hasValue("25");
            assertThat(exchange.header(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("25");
        }
    }

    @Test
    void aRecordedLatencyPlayedBackInRealTimeIsAReplayedDelayButNotInVirtualTime() {
        try (FixtureServer real = FixtureServer.builder().mode(FixtureMode.PLAYBACK).latency(PlaybackLatency.REAL)
                .fixtureSet(SET).build().start();
                FixtureServer virtual = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureSet(SET).build().start()) {
            // WHEN the same recorded fixture (420 ms) is played back both ways
            HttpExchange delayed = captureOne(() -> Clients.chat(Clients.openAi(real), "Hello"));
            HttpExchange immediate = captureOne(() -> Clients.chat(Clients.openAi(virtual), "Hello"));

            // THEN only the real-time playback says the server waited
            assertThat(delayed.header(FixtureServer.REPLAYED_DELAY_HEADER)).hasValue("420");
            assertThat(immediate.header(FixtureServer.REPLAYED_DELAY_HEADER)).isEmpty();
            assertThat(immediate.header(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("420");
        }
    }

    @Test
    void aRecordedFixturePlayedBackFromItsDirectoryNamesItself() {
        // GIVEN a fixture recorded against a fake OpenAI
        RecordedFixture recorded;
        try (FakeProviders upstream = FakeProviders.start()) {
            try (FixtureServer recorder = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
                Clients.chat(Clients.openAi(recorder), "What is the capital of France?");
                recorded = recorder.recordedFixtures().get(0);
            }
        }

        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            // WHEN
            HttpExchange exchange = captureOne(() -> Clients.chat(Clients.openAi(server), "What is the capital of France?"));

            // THEN it goes by the file it was written to, mappings/<provider>-<model>-<hash>.json, and keeps its stub name
            assertThat(recorded.name()).matches("openai-gpt-4o-mini-[0-9a-f]{12}");
            assertThat(recorded.mappingFile().getFileName()).hasToString(recorded.name() + ".json");
            assertThat(exchange.header(FixtureServer.FIXTURE_HEADER)).hasValue(recorded.name());
            assertThat(server.wireMock().getStubMappings()).extracting(StubMapping::getName)
                    .contains("openai gpt-4o-mini: What is the capital of France?");
        }
    }

    @Test
    void aNameBeyondPrintableAsciiArrivesPercentEncodedAndDecodesToTheName() {
        try (FixtureServer server = FixtureServer.builder().build().start()) {
            // GIVEN a reply whose name carries an accent, an ellipsis, CJK, an emoji, a plus and a percent
            StubMapping stub = server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyText("Café… 東京 ☕ 1+1=100%"));

            // WHEN
            HttpExchange exchange = captureOne(() -> Clients.chat(Clients.openAi(server), "Hello"));

            // THEN
            String value = exchange.header(FixtureServer.FIXTURE_HEADER).orElseThrow();
            assertThat(value).matches("[\\x20-\\x7e]+").startsWith("llmunit openai: chat.completion 'Caf%C3%A9%E2%80%A6 ");
            assertThat(URLDecoder.decode(value, StandardCharsets.UTF_8)).isEqualTo(stub.getName());
        }
    }

    @Test
    void aFixtureWithoutANameIsNamedByItsIdBesideItsLatency() throws Exception {
        try (FixtureServer server = FixtureServer.builder().build().start()) {
            // GIVEN llmunit metadata, no name
            StubMapping stub = server.stub(post(urlPathEqualTo("/openai/v1/chat/completions"))
                    .withMetadata(FixtureMetadata.of(LlmProvider.OPENAI, "gpt-4o-mini").withLatencyMs(300).toMetadata())
                    .willReturn(okJson("{}")));

            // WHEN
            HttpResponse<String> response = send(server, "/openai/v1/chat/completions");

            // THEN
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(FixtureServer.FIXTURE_HEADER)).hasValue(stub.getId().toString());
            assertThat(response.headers().firstValue(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("300");
        }
    }

    @Test
    void aPlainWireMockStubIsAFixtureThatTakesNoTime() throws Exception {
        try (FixtureServer server = FixtureServer.builder().build().start()) {
            // GIVEN a named stub without llmunit metadata, straight on WireMock
            server.wireMock().stubFor(post(urlPathEqualTo("/openai/v1/chat/completions"))
                    .withName("hand-written completion")
                    .willReturn(okJson("{\"id\":\"chatcmpl-1\"}")));

            // WHEN
            HttpResponse<String> response = send(server, "/openai/v1/chat/completions");

            // THEN any stub that answered is a fixture, and without a declared delay it took no time
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(FixtureServer.FIXTURE_HEADER)).hasValue("hand-written completion");
            assertThat(response.headers().firstValue(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("0");
        }
    }

    @Test
    void aPlainWireMockStubWithADelayTakesItsDeclaredDelay() throws Exception {
        try (FixtureServer server = FixtureServer.builder().build().start()) {
            // GIVEN a stub without llmunit metadata that declares a fixed delay and a dribble
            server.wireMock().stubFor(post(urlPathEqualTo("/openai/v1/chat/completions"))
                    .willReturn(okJson("{\"id\":\"chatcmpl-1\"}").withFixedDelay(30).withChunkedDribbleDelay(2, 20)));

            // WHEN
            HttpResponse<String> response = send(server, "/openai/v1/chat/completions");

            // THEN its latency is what it declares, not the wall time the call took
            assertThat(response.headers().firstValue(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("50");
            assertThat(response.headers().firstValue(FixtureServer.REPLAYED_DELAY_HEADER)).hasValue("50");
        }
    }

    @Test
    void theMissingFixture404SendsNoFixtureHeader() throws Exception {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureSet(SET).build().start()) {
            // WHEN a request that no fixture of the set matches
            HttpResponse<String> response = send(server, "/openai/v1/chat/completions",
                    CHAT_BODY.replace("Hello", "Goodbye"));

            // THEN
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains(FixtureServer.FIXTURE_MISSING_CODE);
            assertThat(response.headers().firstValue(FixtureServer.FIXTURE_HEADER)).isEmpty();
            assertThat(server.missingFixtures()).hasSize(1);
        }
    }

    /** Runs one client call inside a capture and returns its single exchange. */
    private static HttpExchange captureOne(Supplier<ChatResponse> call) {
        HttpExchangeCapture capture = new HttpExchangeCapture();
        capture.run(call);
        assertThat(capture.exchanges()).hasSize(1);
        return capture.exchanges().get(0);
    }

    private static HttpResponse<String> send(FixtureServer server, String path) throws IOException, InterruptedException {
        return send(server, path, CHAT_BODY);
    }

    private static HttpResponse<String> send(FixtureServer server, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.wireMock().baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
