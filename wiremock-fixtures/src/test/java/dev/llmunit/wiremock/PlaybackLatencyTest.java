package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recorded latency played back virtually (headers) or for real (delays); only lower bounds are asserted. */
class PlaybackLatencyTest {

    private static final long LATENCY_MS = 300;
    private static final long TTFT_MS = 150;

    @TempDir
    Path fixtures;

    @BeforeEach
    void writeFixtures() throws IOException {
        Files.createDirectories(fixtures.resolve("mappings"));
        Files.createDirectories(fixtures.resolve("__files"));
        Files.writeString(fixtures.resolve("mappings/slow.json"), """
                {
                  "request": {"method": "POST", "urlPath": "/openai/v1/chat/completions",
                              "bodyPatterns": [{"matchesJsonPath": {"expression": "$['stream']", "equalTo": "false"}}]},
                  "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": "{\\"ok\\":true}"},
                  "metadata": {"llmunit": {"provider": "openai", "model": "gpt-4o-mini", "stream": false,
                                           "latencyMs": %d, "timeToFirstTokenMs": %d, "recordedAt": "2025-06-01"}}
                }
                """.formatted(LATENCY_MS, LATENCY_MS));
        Files.writeString(fixtures.resolve("mappings/slow-stream.json"), """
                {
                  "request": {"method": "POST", "urlPath": "/openai/v1/chat/completions",
                              "bodyPatterns": [{"matchesJsonPath": {"expression": "$['stream']", "equalTo": "true"}}]},
                  "response": {"status": 200, "headers": {"Content-Type": "text/event-stream"}, "bodyFileName": "slow-stream.txt"},
                  "metadata": {"llmunit": {"provider": "openai", "model": "gpt-4o-mini", "stream": true,
                                           "latencyMs": %d, "timeToFirstTokenMs": %d}}
                }
                """.formatted(LATENCY_MS, TTFT_MS));
        Files.writeString(fixtures.resolve("__files/slow-stream.txt"), FakeProviders.OPENAI_SSE);
        Files.writeString(fixtures.resolve("mappings/hand-written.json"), """
                {"request": {"method": "GET", "urlPath": "/openai/v1/models"},
                 "response": {"status": 200, "body": "{\\"data\\":[]}"}}
                """);
    }

    @Test
    void virtualLatencyAnswersWithTheRecordedLatencyInHeaders() throws Exception {
        try (FixtureServer server = server(PlaybackLatency.VIRTUAL)) {
            // WHEN
            HttpResponse<String> response = post(server, "{\"stream\":false}");

            // THEN
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("300");
            assertThat(response.headers().firstValue(FixtureServer.RECORDED_TTFT_HEADER)).hasValue("300");
            assertThat(response.body()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void virtualLatencyGivesAFixtureWithoutRecordedLatencyZero() throws Exception {
        try (FixtureServer server = server(PlaybackLatency.VIRTUAL)) {
            // WHEN
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl(LlmProvider.OPENAI) + "/models")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // THEN it declares no delay, so its latency is zero on every run
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("0");
        }
    }

    @Test
    void realLatencyWaitsAtLeastTheRecordedLatency() throws Exception {
        try (FixtureServer server = server(PlaybackLatency.REAL)) {
            post(server, "{\"stream\":false}"); // warm up the connection and JIT

            // WHEN
            long start = System.nanoTime();
            HttpResponse<String> response = post(server, "{\"stream\":false}");
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            // THEN
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(tookMs).isGreaterThanOrEqualTo(LATENCY_MS * 8 / 10);
            assertThat(response.headers().firstValue(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("300");
        }
    }

    @Test
    void realLatencyDelaysAStreamsFirstByteByTheTimeToFirstTokenAndDribblesTheRest() throws Exception {
        try (FixtureServer server = server(PlaybackLatency.REAL)) {
            // WHEN
            long start = System.nanoTime();
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request(server, "{\"stream\":true}"),
                    HttpResponse.BodyHandlers.ofInputStream());
            String body;
            long firstByteMs;
            try (InputStream in = response.body()) {
                int first = in.read();
                firstByteMs = (System.nanoTime() - start) / 1_000_000;
                body = (char) first + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            long totalMs = (System.nanoTime() - start) / 1_000_000;

            // THEN
            assertThat(firstByteMs).isGreaterThanOrEqualTo(TTFT_MS * 8 / 10);
            assertThat(totalMs).isGreaterThanOrEqualTo(LATENCY_MS * 8 / 10);
            assertThat(body).isEqualTo(FakeProviders.OPENAI_SSE);
        }
    }

    @Test
    void latencyIsASettingWithAClearErrorForUnknownValues() {
        assertThat(PlaybackLatency.resolve(name -> Optional.ofNullable(Map.of(PlaybackLatency.PROPERTY, " Real ").get(name))))
                .isEqualTo(PlaybackLatency.REAL);
        assertThat(FixtureServer.builder().configuration(name -> Optional.empty()).build().latency()).isEqualTo(PlaybackLatency.VIRTUAL);
        assertThatThrownBy(() -> FixtureServer.builder()
                        .configuration(name -> name.equals(PlaybackLatency.PROPERTY) ? Optional.of("slow") : Optional.empty())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("configuration parameter llmunit.latency is 'slow', which is not a playback latency; use one of virtual, real");
    }

    private FixtureServer server(PlaybackLatency latency) {
        return FixtureServer.builder().mode(FixtureMode.PLAYBACK).latency(latency).fixtureDirectory(fixtures).build().start();
    }

    private static HttpRequest request(FixtureServer server, String body) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl(LlmProvider.OPENAI) + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpResponse<String> post(FixtureServer server, String body) throws Exception {
        return HttpClient.newHttpClient().send(request(server, body), HttpResponse.BodyHandlers.ofString());
    }
}
