package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.http.HttpExchangeCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeats play distinct recorded samples: {@code auto} mode records sample {@code n} of a request
 * as its own fixture in the request's WireMock scenario, playback serves run {@code n} sample
 * {@code n} (also under parallel load), a sample that was never recorded is a missing fixture, and
 * the standalone WireMock jar plays the same files as samples 1, 2, 3 in order.
 */
class RepeatSamplesTest {

    private static final String PROMPT = "Flip a coin";
    private static final String[] ANSWERS = {"heads", "tails", "edge"};

    @TempDir
    Path fixtures;

    private FakeProviders upstream;

    @BeforeEach
    void startUpstream() {
        upstream = FakeProviders.start();
        // The fake provider answers the same question differently each time, as a model does.
        String scenario = "coin";
        for (int i = 0; i < ANSWERS.length; i++) {
            upstream.wireMock().stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
                    .withRequestBody(containing(PROMPT))
                    .inScenario(scenario).whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer-" + i).willSetStateTo("answer-" + (i + 1))
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(completion(ANSWERS[i]))));
        }
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void autoModeRecordsEachRunAsItsOwnSampleInOneScenario() throws IOException {
        try (FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            ChatModel model = Clients.openAi(server);

            // WHEN three runs ask for samples 1, 2 and 3, then run 2 asks again
            List<String> answers = List.of(ask(model, 1), ask(model, 2), ask(model, 3));
            String again = ask(model, 2);

            // THEN each run was recorded from its own provider call, and the repeat of run 2 played its recording
            assertThat(answers).containsExactly(ANSWERS);
            assertThat(again).isEqualTo("tails");
            assertThat(upstream.openAiCalls()).isEqualTo(3);
        }
        List<String> mappings = mappingNames();
        assertThat(mappings).hasSize(3);
        String first = mappings.stream().filter(name -> !name.contains("-sample-")).findFirst().orElseThrow();
        String base = first.substring(0, first.length() - ".json".length());
        assertThat(mappings).containsExactlyInAnyOrder(first, base + "-sample-2.json", base + "-sample-3.json");
        String firstMapping = Files.readString(fixtures.resolve("mappings").resolve(first));
        assertThat(firstMapping).contains("\"scenarioName\" : \"llmunit-samples " + base + "\"")
                .contains("\"requiredScenarioState\" : \"Started\"").contains("\"newScenarioState\" : \"sample-2\"");
        assertThat(Files.readString(fixtures.resolve("mappings").resolve(base + "-sample-3.json")))
                .contains("\"requiredScenarioState\" : \"sample-3\"").contains("(sample 3)");
    }

    @Test
    void playbackServesEachRunItsOwnSampleInAnyOrder() {
        record(3);
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            ChatModel model = Clients.openAi(server);

            assertThat(ask(model, 3)).isEqualTo("edge");
            assertThat(ask(model, 1)).isEqualTo("heads");
            assertThat(ask(model, 2)).isEqualTo("tails");
            assertThat(ask(model, 2)).isEqualTo("tails");
            assertThat(Clients.chat(model, PROMPT).aiMessage().text()).as("a test that does not repeat gets sample 1").isEqualTo("heads");
        }
    }

    @Test
    void playbackOfASampleNeverRecordedFailsWithTheSampleAndTheFixInsteadOfReplayingAnEarlierOne() {
        record(2);
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            ChatModel model = Clients.openAi(server);

            assertThatThrownBy(() -> ask(model, 3)).hasMessageContaining("sample 3 of the openai model gpt-4o-mini request")
                    .hasMessageContaining("recording number 3").hasMessageContaining("-Dllmunit.mode=auto");
            assertThat(server.missingFixtures()).singleElement().satisfies(missing -> assertThat(missing.message()).contains("sample 3"));
        }
    }

    @Test
    void aRequestRecordedOnceNoLongerAnswersLaterRunsButRecordsThemAsNewSamples() throws IOException {
        // GIVEN a fixture recorded by a test that did not repeat
        try (FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            assertThat(Clients.chat(Clients.openAi(server), PROMPT).aiMessage().text()).isEqualTo("heads");
        }
        // WHEN a repeated test runs it twice in auto mode
        try (FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            ChatModel model = Clients.openAi(server);
            assertThat(ask(model, 1)).isEqualTo("heads");
            assertThat(ask(model, 2)).as("run 2 gets a recording of its own, not run 1's again").isEqualTo("tails");
        }
        // THEN the provider was called once per sample, and playback serves both
        assertThat(upstream.openAiCalls()).isEqualTo(2);
        assertThat(mappingNames()).hasSize(2);
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            ChatModel model = Clients.openAi(server);
            assertThat(ask(model, 2)).isEqualTo("tails");
            assertThat(ask(model, 1)).isEqualTo("heads");
        }
    }

    @Test
    void parallelRunsAskingForDifferentSamplesOfOneRequestEachGetTheirOwn() throws Exception {
        record(3);
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            ChatModel model = Clients.openAi(server);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    int sample = i % 3 + 1;
                    results.add(pool.submit(() -> ask(model, sample).equals(ANSWERS[sample - 1])));
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theStandaloneWireMockJarPlaysTheSamplesInOrderEachOnce() {
        record(3);
        WireMockServer standalone = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
                .usingFilesUnderDirectory(fixtures.toString()));
        standalone.start();
        try {
            var client = java.net.http.HttpClient.newHttpClient();
            List<Integer> statuses = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            // The exact body the LangChain4j client sent when recording: take it from the mapping.
            String body = recordedRequestBody();
            for (int i = 0; i < 4; i++) {
                var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(standalone.baseUrl()
                                + "/openai/v1/chat/completions")).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                statuses.add(response.statusCode());
                bodies.add(response.body());
            }
            assertThat(statuses).containsExactly(200, 200, 200, 404);
            assertThat(bodies.get(0)).contains("heads");
            assertThat(bodies.get(1)).contains("tails");
            assertThat(bodies.get(2)).contains("edge");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            standalone.stop();
        }
    }

    private String recordedRequestBody() throws IOException {
        String mapping;
        try (Stream<Path> files = Files.list(fixtures.resolve("mappings"))) {
            mapping = Files.readString(files.filter(file -> !file.toString().contains("-sample-")).findFirst().orElseThrow());
        }
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(mapping);
        String pattern = tree.path("request").path("bodyPatterns").get(0).path("equalToJson").asText();
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(pattern);
        for (String field : List.of("metadata", "seed", "stream_options", "user")) {
            body.remove(field);
        }
        return body.toString();
    }

    private void record(int samples) {
        try (FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            ChatModel model = Clients.openAi(server);
            for (int sample = 1; sample <= samples; sample++) {
                ask(model, sample);
            }
        }
    }

    private static String ask(ChatModel model, int sample) {
        HttpExchangeCapture capture = sample == 1 ? new HttpExchangeCapture()
                : new HttpExchangeCapture(Map.of(FixtureServer.SAMPLE_HEADER, Integer.toString(sample)));
        return capture.run(() -> Clients.chat(model, PROMPT).aiMessage().text());
    }

    private List<String> mappingNames() throws IOException {
        try (Stream<Path> files = Files.list(fixtures.resolve("mappings"))) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static String completion(String answer) {
        return """
                {"id":"chatcmpl-coin","object":"chat.completion","created":1751462400,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null,"annotations":[]},
                 "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}""".formatted(answer);
    }
}
