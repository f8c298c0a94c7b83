package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Record mode adds the real API key to what it relays, so it relays only model calls addressed to
 * this machine, and writes no configured key anywhere (issue 15, points 7 and 8). The upstream is a
 * real WireMock that counts what reaches it.
 */
class RecordModeSafetyTest {

    private static final String CHAT_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String OPENAI_ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"%s\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";

    @TempDir
    Path fixtures;

    private WireMockServer upstream;

    @BeforeEach
    void startUpstream() {
        upstream = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(OPENAI_ANSWER.formatted("Hello"))));
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop();
    }

    @ParameterizedTest
    @EnumSource(value = FixtureMode.class, names = {"RECORD", "AUTO"})
    void aRequestThatIsNotAModelCallIsRefusedLocallyWithoutReachingTheUpstream(FixtureMode mode) throws Exception {
        try (FixtureServer server = recorder(mode).build().start()) {
            String openAi = server.baseUrl(LlmProvider.OPENAI);

            // WHEN a client deletes a file, lists models and uploads through the recorder
            HttpResponse<String> delete = send("DELETE", openAi + "/files/file-abc123", "");
            HttpResponse<String> models = send("GET", openAi + "/models", "");
            HttpResponse<String> upload = send("POST", openAi + "/files", "{}");
            HttpResponse<String> getChat = send("GET", openAi + "/chat/completions", "");
            HttpResponse<String> batches = send("POST", server.baseUrl(LlmProvider.ANTHROPIC) + "/messages/batches", "{}");

            // THEN each is a provider-shaped 403 naming the request and the endpoints that are relayed
            for (HttpResponse<String> refused : List.of(delete, models, upload, getChat, batches)) {
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).contains("llmunit records only model calls", "was not sent to");
            }
            assertThat(delete.body()).contains("DELETE /openai/v1/files/file-abc123 is not one")
                    .contains("POST /openai/v1/chat/completions, /openai/v1/responses or /openai/v1/embeddings");
            assertThat(batches.body()).contains("POST /anthropic/v1/messages/batches is not one", "POST /anthropic/v1/messages;");
            // AND nothing reached the upstream and nothing was written
            assertThat(upstream.getAllServeEvents()).isEmpty();
            assertThat(fixtureFiles()).isEmpty();

            // WHEN a model call follows, it is relayed and recorded as before
            HttpResponse<String> chat = send("POST", openAi + "/chat/completions", CHAT_BODY);
            assertThat(chat.statusCode()).isEqualTo(200);
            assertThat(upstream.getAllServeEvents()).hasSize(1);
        }
    }

    @Test
    void aModelCallAddressedToAnotherHostIsRefusedWithoutReachingTheUpstream() throws Exception {
        try (FixtureServer server = recorder(FixtureMode.RECORD).build().start()) {
            int port = URI.create(server.baseUrl(LlmProvider.OPENAI)).getPort();

            // WHEN a page on a rebinding domain posts to the recorder's port with its own Host
            String rebound = rawPost(port, "attacker.example:" + port, "/openai/v1/chat/completions", CHAT_BODY);
            String noHost = rawPost(port, null, "/openai/v1/chat/completions", CHAT_BODY);

            // THEN both are refused here
            assertThat(rebound).startsWith("HTTP/1.1 403").contains("Host 'attacker.example:" + port + "'")
                    .contains("nothing was sent upstream");
            assertThat(noHost).doesNotStartWith("HTTP/1.1 200"); // 403 here, or Jetty's own 400 for HTTP/1.1 without Host
            assertThat(upstream.getAllServeEvents()).isEmpty();
            assertThat(fixtureFiles()).isEmpty();

            // WHEN the same call names localhost, it is relayed
            assertThat(rawPost(port, "localhost:" + port, "/openai/v1/chat/completions", CHAT_BODY)).startsWith("HTTP/1.1 200");
            assertThat(upstream.getAllServeEvents()).hasSize(1);
        }
    }

    @Test
    void aResponseHeaderOrBodyHoldingAConfiguredKeyIsNeverWritten() throws Exception {
        // GIVEN an upstream (a debugging gateway, say) that echoes the OpenAI key in a header and the Anthropic key in its answer
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-gateway-auth", "Bearer " + FakeProviders.OPENAI_KEY)
                .withHeader("x-ratelimit-remaining-requests", "99")
                .withBody(OPENAI_ANSWER.formatted("your other key is " + FakeProviders.ANTHROPIC_KEY))));

        // WHEN a call is recorded
        HttpResponse<String> answer;
        try (FixtureServer server = recorder(FixtureMode.RECORD).build().start()) {
            answer = send("POST", server.baseUrl(LlmProvider.OPENAI) + "/chat/completions", CHAT_BODY);
        }

        // THEN the client got the upstream's answer, but no file holds either key
        assertThat(answer.statusCode()).isEqualTo(200);
        List<Path> files = fixtureFiles();
        assertThat(files).hasSize(2);
        String written = String.join("\n", files.stream().map(RecordModeSafetyTest::read).toList());
        assertThat(written).doesNotContain(FakeProviders.OPENAI_KEY, FakeProviders.ANTHROPIC_KEY)
                .doesNotContainIgnoringCase("x-gateway-auth")
                .contains("x-ratelimit-remaining-requests", "your other key is [redacted: an API key]");
        assertThat(LeakScanner.scan(fixtures)).isEmpty();
    }

    @Test
    void aRequestHoldingAConfiguredKeyIsNotWrittenAndTheClientIsTold() throws Exception {
        String body = CHAT_BODY.replace("Hi", "my key is " + FakeProviders.OPENAI_KEY);

        HttpResponse<String> answer;
        try (FixtureServer server = recorder(FixtureMode.RECORD).build().start()) {
            answer = send("POST", server.baseUrl(LlmProvider.OPENAI) + "/chat/completions", body);
        }

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).contains("the request holds a configured API key", "was not written")
                .doesNotContain(FakeProviders.OPENAI_KEY);
        assertThat(fixtureFiles()).isEmpty();
    }

    private FixtureServer.Builder recorder(FixtureMode mode) {
        return FixtureServer.builder()
                .mode(mode)
                .fixtureDirectory(fixtures)
                .upstream(LlmProvider.OPENAI, URI.create(upstream.baseUrl() + "/v1"))
                .upstream(LlmProvider.ANTHROPIC, URI.create(upstream.baseUrl() + "/v1"))
                .apiKey(LlmProvider.OPENAI, FakeProviders.OPENAI_KEY)
                .apiKey(LlmProvider.ANTHROPIC, FakeProviders.ANTHROPIC_KEY)
                .environment(name -> null);
    }

    private List<Path> fixtureFiles() throws IOException {
        if (!Files.exists(fixtures)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(fixtures)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An HTTP/1.1 POST with a Host of our choosing (java.net.http sets Host itself), or none at all. */
    private static String rawPost(int port, String host, String path, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                    + "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
