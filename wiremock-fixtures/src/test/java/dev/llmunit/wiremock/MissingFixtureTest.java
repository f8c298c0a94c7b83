package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.langchain4j.model.chat.StreamingChatModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Playback of a request nobody recorded fails the test at once, saying what is missing and how to record it. */
@Timeout(20)
class MissingFixtureTest {

    private static final String LONG_QUESTION = "What is the capital of Spain, and which river runs through it on its way"
            + " to the Atlantic, and how long is that river?";

    @TempDir
    Path fixtures;

    @BeforeEach
    void recordOneFixturePerProvider() {
        try (FakeProviders upstream = FakeProviders.start();
                FixtureServer server = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
            Clients.chat(Clients.openAi(server), "What is the capital of France?");
            Clients.chat(Clients.anthropic(server), "What is the capital of France?");
        }
    }

    @Test
    void failsAnOpenAiCallWithProviderModelMessageNearMissAndHowToRecord() {
        try (FixtureServer server = playback()) {
            // WHEN
            long start = System.nanoTime();
            Throwable error = catchThrowable(() -> Clients.chat(Clients.openAi(server), LONG_QUESTION));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // THEN
            assertThat(error).isNotNull();
            assertThat(error.getMessage())
                    .contains("no fixture for openai model gpt-4o-mini")
                    .contains("What is the capital of Spain, and which river runs through it")
                    .doesNotContain("how long is that river")
                    .contains("messages[0].content: expected 'What is the capital of France?' but was 'What is the capital of Spain")
                    .contains("-Dllmunit.mode=auto")
                    .contains("OPENAI_API_KEY")
                    .contains(FixtureServer.FIXTURE_MISSING_CODE);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(server.missingFixtures()).singleElement().satisfies(missing -> {
                assertThat(missing.provider()).isEqualTo(LlmProvider.OPENAI);
                assertThat(missing.model()).isEqualTo("gpt-4o-mini");
                assertThat(missing.lastUserMessage()).startsWith("What is the capital of Spain").endsWith("…");
                assertThat(missing.closestFixture()).matches("openai-gpt-4o-mini-[0-9a-f]{12}"); // its mapping file's name
                assertThat(missing.difference()).contains("messages[0].content");
            });
        }
    }

    @Test
    void showsWhereALongPromptDiffersWhenTheDifferenceIsNearItsEnd() {
        // GIVEN a recorded long prompt
        String recordedPrompt = "Subject: Refund still missing. I cancelled my annual plan on 3 June and was promised a refund"
                + " within ten working days. It is now the end of the month and my card statement shows nothing. Please"
                + " send the refund of $480 to the card I paid with.";
        try (FakeProviders upstream = FakeProviders.start();
                FixtureServer server = upstream.recorder(FixtureMode.AUTO, fixtures).build().start()) {
            Clients.chat(Clients.openAi(server), recordedPrompt);
        }
        try (FixtureServer server = playback()) {
            // WHEN the test sends it with one figure changed near the end
            Throwable error = catchThrowable(() -> Clients.chat(Clients.openAi(server), recordedPrompt.replace("$480", "$450")));

            // THEN the message shows the changed figure on both sides, not two identical beginnings
            assertThat(error).isNotNull();
            assertThat(error.getMessage())
                    .contains("messages[0].content: expected '…")
                    .contains("refund of $480 to the card")
                    .contains("but was '…")
                    .contains("refund of $450 to the card")
                    .contains("characters are the same");
        }
    }

    @Test
    void redactsOrDropsThePromptInTheMissingFixtureErrorWhenTheSettingSaysSo() {
        for (String setting : new String[] {"redact", "drop"}) {
            try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures)
                    .configuration(name -> name.equals("llmunit.excerpts") ? java.util.Optional.of(setting) : java.util.Optional.empty())
                    .build().start()) {
                // WHEN a prompt with no fixture is sent
                Throwable error = catchThrowable(() -> Clients.chat(Clients.openAi(server), "My card 4111 1111 1111 1111 was charged twice"));

                // THEN neither the prompt nor the recorded one is in the message, only where they differ
                assertThat(error).isNotNull();
                assertThat(error.getMessage())
                        .as("llmunit.excerpts=%s", setting)
                        .contains("no fixture for openai model gpt-4o-mini")
                        .contains("messages[0].content: differs (values hidden, llmunit.excerpts)")
                        .doesNotContain("4111").doesNotContain("charged twice").doesNotContain("capital of France")
                        .contains("-Dllmunit.mode=auto");
                assertThat(server.missingFixtures()).singleElement().satisfies(missing ->
                        assertThat(missing.lastUserMessage()).isEqualTo(setting.equals("drop") ? "" : "[redacted: 45 characters]"));
            }
        }
    }

    @Test
    void failsAnAnthropicCallTheSameWay() {
        try (FixtureServer server = playback()) {
            // WHEN
            Throwable error = catchThrowable(() -> Clients.chat(Clients.anthropic(server),
                    "What is the capital of Italy?"));

            // THEN
            assertThat(error).isNotNull();
            assertThat(error.getMessage())
                    .contains("no fixture for anthropic model claude-3-5-haiku-20241022")
                    .contains("'What is the capital of Italy?'")
                    .contains("messages[0].content[0].text: expected 'What is the capital of France?' but was 'What is the capital of Italy?'")
                    .contains("-Dllmunit.mode=auto")
                    .contains("ANTHROPIC_API_KEY");
        }
    }

    @Test
    void failsAStreamingCallPromptlyToo() {
        try (FixtureServer server = playback()) {
            // WHEN
            StreamingChatModel model = Clients.openAiStreaming(server);
            Throwable error = catchThrowable(() -> Clients.stream(model, "Never recorded"));

            // THEN
            assertThat(error).isNotNull();
            assertThat(error.getMessage()).contains("no fixture for openai", "'Never recorded'", "-Dllmunit.mode=auto");
        }
    }

    @Test
    void answersWithHttp404AndTheProvidersErrorShape() throws Exception {
        try (FixtureServer server = playback()) {
            // WHEN
            HttpResponse<String> openAi = post(server.baseUrl(LlmProvider.OPENAI) + "/chat/completions",
                    "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            HttpResponse<String> anthropic = post(server.baseUrl(LlmProvider.ANTHROPIC) + "/messages",
                    "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

            // THEN
            assertThat(openAi.statusCode()).isEqualTo(404);
            assertThat(openAi.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(openAi.body()).startsWith("{\"error\":{\"message\":\"llmunit: no fixture for openai model gpt-4o")
                    .contains("\"type\":\"llmunit_fixture_missing\"", "\"code\":\"llmunit_fixture_missing\"");
            assertThat(anthropic.statusCode()).isEqualTo(404);
            assertThat(anthropic.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"llmunit_fixture_missing\",\"message\":\"llmunit:")
                    .contains("model: expected 'claude-3-5-haiku-20241022' but was 'claude-sonnet-4-5'");
            assertThat(server.missingFixtures()).hasSize(2);
            server.clearMissingFixtures();
            assertThat(server.missingFixtures()).isEmpty();
        }
    }

    @Test
    void saysSoWhenAProviderHasNoFixtureAtAll() throws Exception {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).build().start()) {
            // WHEN
            HttpResponse<String> response = post(server.baseUrl(LlmProvider.OPENAI) + "/chat/completions",
                    "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

            // THEN
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("There is no openai fixture to compare with", "this server has no fixture location");
        }
    }

    @Test
    void neverEchoesAQueryKeyInTheMessageOrTheReport() throws Exception {
        String key = "AIza" + "SyD-NotARealKeyButShapedLikeOne000000"; // key-shaped on purpose; built at run time
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).build().start()) {
            // WHEN a Gemini client that sends its key as ?key= has no fixture
            HttpResponse<String> response = post(server.baseUrl(LlmProvider.GEMINI) + "/models/gemini-2.5-flash:generateContent?key="
                    + key + "&alt=json", "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}");

            // THEN neither the answer nor the report holds the key, but the rest of the URL is kept
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).doesNotContain(key);
            assertThat(server.missingFixtures()).singleElement().satisfies(missing -> {
                assertThat(missing.url()).doesNotContain(key).endsWith(":generateContent?alt=json");
                assertThat(missing.message()).doesNotContain(key);
            });
        }
    }

    private FixtureServer playback() {
        return FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start();
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
