package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.http.HttpExchange;
import dev.llmunit.core.http.HttpExchangeCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings made by other tools, in the shapes they really have (test resources
 * {@code wiremock-recorder} and {@code vcr-cassettes}): the providers' real paths, no llmunit
 * metadata, WireMock's own file names and stub names, uuids as names, {@code base64Body} gzip
 * bodies, a {@code Content-Encoding: gzip} header left on a plain body, an upper-case
 * {@code .JSON}. They play through {@link FixtureModels} and the official SDK unchanged.
 */
class RecordingsFromOtherToolsTest {

    /** Recorded by WireMock's recorder: OpenAI at /v1/chat/completions, Anthropic at /v1/messages. */
    private static final String RECORDER = "wiremock-recorder";
    /** VCR cassettes converted to mappings: OpenAI at the root, Anthropic at /v1. */
    private static final String CASSETTES = "vcr-cassettes";

    // The committed recorder set keeps the gzip-header flaw on purpose; its load warning is asserted
    // through loadNotes(), so the build's console stays clean. A strong reference: JUL keeps loggers weakly.
    private static final Logger SERVER_LOG = Logger.getLogger(FixtureServer.class.getName());
    private static Level levelBefore;

    @TempDir
    Path fixtures;

    @BeforeAll
    static void quietLoadWarnings() {
        levelBefore = SERVER_LOG.getLevel();
        SERVER_LOG.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreLoadWarnings() {
        SERVER_LOG.setLevel(levelBefore);
    }

    @Test
    void recordingsAtTheProvidersRealPathsAreReachedThroughFixtureModels() {
        try (FixtureServer server = playback(RECORDER)) {
            // WHEN the models a user builds with FixtureModels ask what was recorded
            ChatResponse openAi = chat(FixtureModels.openAiChat(server, "gpt-4o-mini"), "Is a double charge a billing issue?");
            ChatResponse anthropic = chat(FixtureModels.anthropicChat(server, "claude-3-5-haiku-20241022", b -> b.maxTokens(100)),
                    "Is a double charge a billing issue?");

            // THEN both are served from their real paths, detected from the set
            assertThat(server.pathPrefix(LlmProvider.OPENAI)).isEqualTo("/v1");
            assertThat(server.pathPrefix(LlmProvider.ANTHROPIC)).isEqualTo("/v1");
            assertThat(server.baseUrl(LlmProvider.OPENAI)).endsWith("/v1");
            assertThat(openAi.aiMessage().text()).isEqualTo("Yes: a double charge is a billing issue.");
            assertThat(openAi.tokenUsage().inputTokenCount()).isEqualTo(19);
            assertThat(anthropic.aiMessage().text()).isEqualTo("Yes, that is a billing issue.");
            assertThat(server.missingFixtures()).isEmpty();
        }
    }

    @Test
    void aRecordedStreamAtTheRealPathStreams() {
        try (FixtureServer server = playback(RECORDER)) {
            // WHEN
            ChatResponse streamed = Clients.stream(FixtureModels.openAiStreaming(server, "gpt-4o-mini"), "Which queue takes refunds?");

            // THEN
            assertThat(streamed.aiMessage().text()).isEqualTo("Billing queue.");
            assertThat(streamed.tokenUsage().outputTokenCount()).isEqualTo(3);
        }
    }

    @Test
    void aMappingFileWithAnUpperCaseExtensionIsLoaded() {
        try (FixtureServer server = playback(RECORDER)) {
            assertThat(server.wireMock().getStubMappings()).extracting(stub -> stub.getName())
                    .contains("v1_messages", "v1_chat_completions");
        }
    }

    @Test
    void aGzipHeaderOnAPlainBodyIsDroppedAtLoadWithANoteNamingTheFile() throws Exception {
        try (FixtureServer server = playback(RECORDER)) {
            // WHEN the official SDK, which would try to gunzip a body marked gzip, asks
            OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl(LlmProvider.OPENAI))
                    .apiKey(server.clientApiKey(LlmProvider.OPENAI)).maxRetries(0).build();
            ChatCompletion completion = sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini").addUserMessage("Is a double charge a billing issue?").build());

            // THEN it reads the answer, and the load says what was changed in which file
            assertThat(completion.choices().get(0).message().content()).hasValue("Yes: a double charge is a billing issue.");
            assertThat(server.loadNotes()).hasSize(2).allSatisfy(note -> assertThat(note)
                    .contains("says Content-Encoding: gzip, but its body is not gzip-compressed")
                    .contains("Delete the header from the file"));
            assertThat(server.loadNotes()).anySatisfy(note -> assertThat(note).startsWith("Fixture mapping file"
                    + " classpath:llmunit/fixtures/wiremock-recorder/mappings/v1_chat_completions-5b1f3c9e-2d8a-4c47-9f0e-6a1b7c3d2e91.json says"));
        }
    }

    @Test
    void convertedCassettesWithGzipBase64BodiesPlayAtTheRootAndAtV1() {
        try (FixtureServer server = playback(CASSETTES)) {
            // WHEN
            ChatResponse openAi = chat(FixtureModels.openAiChat(server, "gpt-4o-mini"), "Summarise ticket 4411 in five words.");
            ChatResponse anthropic = chat(FixtureModels.anthropicChat(server, "claude-sonnet-4-5", b -> b.maxTokens(100)),
                    "Classify ticket 4411 using the cached policy.");

            // THEN the gzip bodies were decompressed at load, and each provider plays where it was recorded
            assertThat(server.pathPrefix(LlmProvider.OPENAI)).isEmpty();
            assertThat(server.pathPrefix(LlmProvider.ANTHROPIC)).isEqualTo("/v1");
            assertThat(openAi.aiMessage().text()).isEqualTo("Customer charged twice, wants refund.");
            assertThat(anthropic.aiMessage().text()).isEqualTo("BILLING");
            assertThat(server.loadNotes()).isEmpty(); // a gzip body with its gzip header is consistent: nothing to fix
        }
    }

    @Test
    void everyStubThatAnswersIsAFixtureWithZeroLatencyWhenItDeclaresNone() {
        try (FixtureServer server = playback(CASSETTES)) {
            // WHEN
            HttpExchangeCapture capture = new HttpExchangeCapture();
            capture.run(() -> chat(FixtureModels.openAiChat(server, "gpt-4o-mini"), "Summarise ticket 4411 in five words."));

            // THEN the stub, named by its file (mappings/3f6b9d2e-….json), says so, and its latency is zero on every run
            HttpExchange exchange = capture.exchanges().get(0);
            assertThat(exchange.header(FixtureServer.FIXTURE_HEADER)).hasValue("3f6b9d2e-0a47-4c81-b5e3-9d1c7a2f6e08");
            assertThat(exchange.header(FixtureServer.RECORDED_LATENCY_HEADER)).hasValue("0");
        }
    }

    @Test
    void aDslStubFollowsTheProviderToTheSetsPrefix() {
        try (FixtureServer server = playback(RECORDER)) {
            // GIVEN a test's own stub, written by the DSL for llmunit's default path
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("rate limit me").replyText("limited"));

            // WHEN / THEN the client at /v1 reaches it too
            assertThat(chat(FixtureModels.openAiChat(server, "gpt-4o-mini"), "please rate limit me").aiMessage().text())
                    .isEqualTo("limited");
        }
    }

    @Test
    void aMissAmongRecordingsOfOtherToolsNamesTheClosestOfThem() {
        try (FixtureServer server = playback(RECORDER)) {
            // WHEN a prompt nothing recorded
            assertThatThrownBy(() -> chat(FixtureModels.openAiChat(server, "gpt-4o-mini"), "Is a double refund a billing issue?"))
                    .isNotNull();

            // THEN the closest fixture is the recording without llmunit metadata, and it says what differs
            assertThat(server.missingFixtures()).singleElement().satisfies(missing -> {
                assertThat(missing.closestFixture()).isEqualTo("v1_chat_completions-5b1f3c9e-2d8a-4c47-9f0e-6a1b7c3d2e91"); // its file
                assertThat(missing.difference()).contains("Is a double charge a billing issue?");
            });
        }
    }

    @Test
    void theClosestFixtureSearchLooksAtStubsOnEveryPath() {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).build().start()) {
            // GIVEN a recording at the real path, added to a server that plays OpenAI at llmunit's default path
            server.wireMock().stubFor(post(urlPathEqualTo("/v1/chat/completions")).withName("recorded elsewhere")
                    .willReturn(okJson("{}")));

            // WHEN
            assertThatThrownBy(() -> chat(FixtureModels.openAiChat(server, "gpt-4o-mini"), "Hello")).isNotNull();

            // THEN the miss names it and says the path differs, instead of "no fixture to compare with"
            assertThat(server.missingFixtures()).singleElement().satisfies(missing -> {
                assertThat(missing.closestFixture()).isEqualTo("recorded elsewhere");
                assertThat(missing.difference()).contains("URL: expected /v1/chat/completions but was /openai/v1/chat/completions");
            });
        }
    }

    @Test
    void aDeclaredPrefixWinsAndTheRootIsAPrefix() {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).pathPrefix(LlmProvider.OPENAI, "/")
                .build().start()) {
            server.wireMock().stubFor(post(urlPathEqualTo("/chat/completions"))
                    .willReturn(okJson(OpenAiFixturesBodies.TEXT_COMPLETION)));

            assertThat(server.baseUrl(LlmProvider.OPENAI)).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(chat(FixtureModels.openAiChat(server, "gpt-4o-mini"), "Hello").aiMessage().text()).isEqualTo("root");
        }
    }

    @Test
    void aProviderRecordedUnderTwoPrefixesFailsAtLoadNamingBoth() throws IOException {
        // GIVEN one OpenAI recording at /v1 and one at llmunit's /openai/v1
        Path mappings = Files.createDirectories(fixtures.resolve("mappings"));
        Files.writeString(mappings.resolve("a.json"),
                "{\"request\":{\"method\":\"POST\",\"url\":\"/v1/chat/completions\"},\"response\":{\"status\":200}}");
        Files.writeString(mappings.resolve("b.json"),
                "{\"request\":{\"method\":\"POST\",\"urlPath\":\"/openai/v1/chat/completions\"},\"response\":{\"status\":200}}");

        // WHEN / THEN
        assertThatThrownBy(() -> FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start())
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("The openai fixtures of this set sit under 2 path prefixes: '/v1' (a.json),"
                        + " '/openai/v1' (b.json)")
                .hasMessageContaining("FixtureServer.builder().pathPrefix(LlmProvider.OPENAI, \"/v1\")");
    }

    @Test
    void theRecordingsOfOtherToolsHoldNoSecrets() {
        LeakScanner.assertNoLeaks(Path.of("src/test/resources/llmunit/fixtures", RECORDER));
        LeakScanner.assertNoLeaks(Path.of("src/test/resources/llmunit/fixtures", CASSETTES));
    }

    private static FixtureServer playback(String set) {
        return FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureSet(set).build().start();
    }

    private static ChatResponse chat(ChatModel model, String prompt) {
        return model.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).build());
    }

    /** A minimal completion whose answer is "root". */
    private static final class OpenAiFixturesBodies {
        static final String TEXT_COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1741570283,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"root\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
                + "\"total_tokens\":2}}";
    }
}
