package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.standalone.WireMockServerRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recorded fixtures are plain WireMock: the standalone runner serves them with no llmunit code. */
class StandaloneWireMockTest {

    private static final String REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Plain WireMock?\"}],"
            + "\"stream\":false,\"user\":\"someone-else\"}";

    @TempDir
    Path fixtures;

    @Test
    void theStandaloneRunnerServesARecordedFixtureDirectory() throws Exception {
        // GIVEN a recording
        try (FakeProviders upstream = FakeProviders.start();
                FixtureServer server = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
            Clients.chat(Clients.openAi(server), "Plain WireMock?");
        }
        Path bodyFile;
        try (Stream<Path> files = Files.list(fixtures.resolve("__files"))) {
            bodyFile = files.findFirst().orElseThrow();
        }

        // WHEN the standalone runner serves the directory
        WireMockServerRunner runner = new WireMockServerRunner();
        runner.run("--root-dir", fixtures.toString(), "--port", "0", "--bind-address", "127.0.0.1", "--disable-banner");
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.port() + "/openai/v1/chat/completions?key=ignored"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            // THEN it answers with the recorded body, matching by path and body (volatile fields ignored)
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Files.readString(bodyFile)).contains("Echo: Plain WireMock?");
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        } finally {
            runner.stop();
        }
    }
}
