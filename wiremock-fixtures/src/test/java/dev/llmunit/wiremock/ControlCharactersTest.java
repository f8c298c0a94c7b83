package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control characters in prompts and answers (issue 15.1): a prompt with NUL, ESC, CR and LF is
 * recorded under a stub name without them (WireMock echoes the name in {@code Matched-Stub-Name},
 * which the client would refuse as a header; they are written as {@code \}{@code uXXXX}), and a
 * recorded answer containing NUL plays back
 * through the real LangChain4j clients and the router as one successful attempt.
 */
class ControlCharactersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** NUL, an ANSI colour sequence (ESC), CR LF with a would-be header, DEL and a C1 control. */
    private static final String PROMPT = "Ticket\u0000 #77: \u001b[31mURGENT\u001b[0m\r\nX-Injected: yes\u007f\u0085 Which queue?";

    /** An answer with a NUL and an ANSI sequence, as a model may echo them back. */
    private static final String ANSWER = "Billing\u0000 queue \u001b[1m(urgent)\u001b[0m";

    @TempDir
    Path fixtures;

    private FakeProviders upstream;

    @BeforeEach
    void startUpstream() {
        upstream = FakeProviders.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void recordsAPromptWithControlCharactersUnderASafeNameAndPlaysItsAnswerBack() throws IOException {
        // GIVEN the prompt recorded through both providers, whose answers hold a NUL and an ESC
        upstream.wireMock().stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
                .willReturn(okJson(OpenAiFixtures.chatCompletionJson(ANSWER))));
        upstream.wireMock().stubFor(post(urlPathEqualTo("/v1/messages")).atPriority(1)
                .willReturn(okJson(AnthropicFixtures.messageJson(ANSWER))));
        try (FixtureServer server = upstream.recorder(FixtureMode.RECORD, fixtures).build().start()) {
            assertThat(Clients.chat(Clients.openAi(server), PROMPT).aiMessage().text()).isEqualTo(ANSWER);
            assertThat(Clients.chat(Clients.anthropic(server), PROMPT).aiMessage().text()).isEqualTo(ANSWER);
        }
        upstream.close();

        // THEN no stub name holds a control character
        List<String> names = stubNames();
        assertThat(names).hasSize(2).allSatisfy(name -> {
            assertThat(name.chars()).noneMatch(Character::isISOControl);
            assertThat(name).contains("Ticket", "URGENT", "Which queue?");
        });

        // WHEN both are played back, through the router as a user's test would
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build().start()) {
            Router router = Router.builder()
                    .provider("openai", Clients.openAi(server))
                    .provider("anthropic", Clients.anthropic(server))
                    .build();
            RoutedResponse openAi = router.route(ChatRequest.builder().messages(UserMessage.from(PROMPT)).build());
            String anthropic = Clients.chat(Clients.anthropic(server), PROMPT).aiMessage().text();

            // THEN the answers, NUL included, arrive in one successful attempt each
            assertThat(openAi.chatResponse().aiMessage().text()).isEqualTo(ANSWER).contains("\u0000");
            assertThat(openAi.attempts()).extracting(Attempt::provider, Attempt::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("openai", Outcome.SUCCEEDED));
            assertThat(anthropic).isEqualTo(ANSWER);
            assertThat(server.missingFixtures()).isEmpty();
        }
    }

    @Test
    void aHandWrittenStubWhoseNameHasControlCharactersStillServes() {
        // GIVEN a stub added in code, named with NUL, ESC and CR LF
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).build().start()) {
            server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyText("Billing\u0000queue")
                    .withName("triage\u0000 \u001b[1mbold\r\nX-Evil: 1"));

            // WHEN / THEN the real client gets the answer with its NUL
            assertThat(Clients.chat(Clients.openAi(server), "Which queue?").aiMessage().text()).isEqualTo("Billing\u0000queue");
        }
    }

    private List<String> stubNames() throws IOException {
        try (Stream<Path> files = Files.walk(fixtures)) {
            return files.filter(file -> file.toString().endsWith(".json") && file.getParent().getFileName().toString().equals("mappings"))
                    .map(file -> {
                        try {
                            JsonNode stub = JSON.readTree(file.toFile());
                            return stub.path("name").asText();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }
}
