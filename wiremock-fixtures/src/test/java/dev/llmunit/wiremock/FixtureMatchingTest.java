package dev.llmunit.wiremock;

import static dev.llmunit.wiremock.LlmProvider.ANTHROPIC;
import static dev.llmunit.wiremock.LlmProvider.OPENAI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Which requests a fixture answers: the provider's path, the body by {@link RequestMatching}
 * (message order significant, volatile fields ignored), and the convenience matchers.
 */
class FixtureMatchingTest {

    private static final String RECORDED_REQUEST = """
            {"model": "gpt-4o-mini", "temperature": 0.0, "user": "ticket-4411", "seed": 7,
             "messages": [
               {"role": "system", "content": "Route support tickets."},
               {"role": "user", "content": "I was charged twice."}
             ]}
            """;

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
    class ByRequestBody {

        @BeforeEach
        void givenAFixtureForTheRecordedRequest() {
            server.stub(OpenAiFixtures.chatCompletion().whenRequestMatches(RECORDED_REQUEST).replyText("billing"));
        }

        @Test
        void answersTheSameRequest() throws Exception {
            assertThat(postOpenAi(RECORDED_REQUEST).statusCode()).isEqualTo(200);
        }

        @Test
        void answersTheSameRequestWithOtherVolatileFields() throws Exception {
            // WHEN user and seed change, and stream_options and metadata appear
            int status = postOpenAi(RECORDED_REQUEST
                    .replace("\"ticket-4411\"", "\"ticket-9999\"")
                    .replace("\"seed\": 7", "\"seed\": 42, \"metadata\": {\"run\": \"2\"}")).statusCode();

            // THEN
            assertThat(status).isEqualTo(200);
        }

        @Test
        void doesNotAnswerTheSameMessagesInAnotherOrder() throws Exception {
            // WHEN
            int status = postOpenAi("""
                    {"model": "gpt-4o-mini", "temperature": 0.0, "user": "ticket-4411", "seed": 7,
                     "messages": [
                       {"role": "user", "content": "I was charged twice."},
                       {"role": "system", "content": "Route support tickets."}
                     ]}
                    """).statusCode();

            // THEN
            assertThat(status).isEqualTo(404);
        }

        @Test
        void doesNotAnswerAnotherModel() throws Exception {
            assertThat(postOpenAi(RECORDED_REQUEST.replace("gpt-4o-mini", "gpt-4o")).statusCode()).isEqualTo(404);
        }

        @Test
        void doesNotAnswerAnotherTemperature() throws Exception {
            assertThat(postOpenAi(RECORDED_REQUEST.replace("0.0", "0.7")).statusCode()).isEqualTo(404);
        }

        @Test
        void doesNotAnswerAnotherProvidersPath() throws Exception {
            assertThat(post(AnthropicFixtures.PATH, RECORDED_REQUEST).statusCode()).isEqualTo(404);
        }

        @Test
        void answersTheSameRequestWithoutItsVolatileFields() throws Exception {
            assertThat(postOpenAi(RECORDED_REQUEST.replace("\"user\": \"ticket-4411\", \"seed\": 7,", "")).statusCode())
                    .isEqualTo(200);
        }

        @Test
        void doesNotAnswerARequestWithAFieldTheFixtureLacks() throws Exception {
            // WHEN the request adds tools, which changes what the model may answer
            int status = postOpenAi(RECORDED_REQUEST.replace("\"seed\": 7,",
                    "\"seed\": 7, \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"refund\"}}],")).statusCode();

            // THEN the old answer is not served
            assertThat(status).isEqualTo(404);
        }
    }

    @Test
    void aRequestWithNullAndDecimalFieldsMatchesItsOwnFixture() throws Exception {
        // GIVEN a fixture recorded from a body with a null and a long decimal
        String body = """
                {"model": "gpt-4o-mini", "tool_choice": null, "top_p": 0.1234567890123456789,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """;
        server.stub(OpenAiFixtures.chatCompletion().whenRequestMatches(body).replyText("hello"));

        // WHEN / THEN the same body is answered
        assertThat(postOpenAi(body).statusCode()).isEqualTo(200);
    }

    @Test
    void ignoresOnlyTheVolatileFieldsGiven() throws Exception {
        // GIVEN temperature is volatile, user is not
        server.stub(OpenAiFixtures.chatCompletion().whenRequestMatches(RECORDED_REQUEST, Set.of("temperature")).replyText("billing"));

        // WHEN / THEN
        assertThat(postOpenAi(RECORDED_REQUEST.replace("0.0", "0.7")).statusCode()).isEqualTo(200);
        assertThat(postOpenAi(RECORDED_REQUEST.replace("ticket-4411", "ticket-9999")).statusCode()).isEqualTo(404);
    }

    @Test
    void anyRequestAnswersAnyBodyOnTheProvidersPath() throws Exception {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyText("billing"));

        // WHEN / THEN
        assertThat(postOpenAi("{}").statusCode()).isEqualTo(200);
        assertThat(postOpenAi(RECORDED_REQUEST).statusCode()).isEqualTo(200);
        assertThat(post("/openai/v1/embeddings", "{}").statusCode()).isEqualTo(404);
    }

    @Nested
    class ByModel {

        @Test
        void answersOnlyRequestsForTheModel() throws Exception {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o-mini").replyText("billing"));

            // WHEN / THEN
            assertThat(postOpenAi(RECORDED_REQUEST).statusCode()).isEqualTo(200);
            assertThat(postOpenAi(RECORDED_REQUEST.replace("gpt-4o-mini", "gpt-4o")).statusCode()).isEqualTo(404);
        }

        @Test
        void servesEachModelItsOwnFixture() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o-mini").replyText("mini"));
            server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o").replyText("large"));

            // WHEN / THEN
            assertThat(openAi("gpt-4o").chat("hello")).isEqualTo("large");
            assertThat(openAi("gpt-4o-mini").chat("hello")).isEqualTo("mini");
        }

        @Test
        void repliesNameTheMatchedModelUnlessTheySetTheirOwn() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o").replyText("large"));

            // WHEN / THEN
            assertThat(openAi("gpt-4o").chat(UserMessage.from("hello")).metadata().modelName()).isEqualTo("gpt-4o");
        }
    }

    @Nested
    class ByLastUserMessage {

        @Test
        void answersLangChain4jOpenAiWhoseLastUserMessageContainsTheText() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("charged twice").replyText("billing"));
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("password").replyText("account"));

            // WHEN / THEN
            assertThat(openAi("gpt-4o-mini").chat("Ticket: I was charged twice in March.")).isEqualTo("billing");
            assertThat(openAi("gpt-4o-mini").chat("Ticket: I forgot my password.")).isEqualTo("account");
        }

        @Test
        void answersLangChain4jAnthropicWhichSendsTextBlocks() {
            // GIVEN
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("charged twice").replyText("Billing"));

            // WHEN
            String answer = AnthropicChatModel.builder().baseUrl(server.baseUrl(ANTHROPIC)).apiKey("test-key")
                    .modelName("claude-haiku-4-5").maxRetries(0).build()
                    .chat("Ticket: I was charged twice in March.");

            // THEN
            assertThat(answer).isEqualTo("Billing");
        }

        @Test
        void answersTheOfficialSdksWhichSendPlainStrings() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("charged twice").replyText("billing"));
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("charged twice").replyText("Billing"));

            // WHEN
            String openAi = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl(OPENAI)).apiKey("test-key").maxRetries(0).build()
                    .chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                            .addUserMessage("I was charged twice.").build())
                    .choices().get(0).message().content().orElseThrow();
            String anthropic = AnthropicOkHttpClient.builder().baseUrl(server.wireMock().baseUrl() + "/anthropic").apiKey("test-key")
                    .maxRetries(0).build()
                    .messages().create(MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(64)
                            .addUserMessage("I was charged twice.").build())
                    .content().get(0).asText().text();

            // THEN
            assertThat(openAi).isEqualTo("billing");
            assertThat(anthropic).isEqualTo("Billing");
        }

        @Test
        void doesNotAnswerWhenOnlyAnEarlierMessageContainsTheText() throws Exception {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("charged twice").replyText("billing"));

            // WHEN
            int status = postOpenAi("""
                    {"model": "gpt-4o-mini", "messages": [
                      {"role": "user", "content": "I was charged twice."},
                      {"role": "assistant", "content": "Sorry to hear that."},
                      {"role": "user", "content": "Any news?"}]}
                    """).statusCode();

            // THEN
            assertThat(status).isEqualTo(404);
        }

        @Test
        void doesNotAnswerWhenTheLastMessageIsNotTheUsers() throws Exception {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("charged twice").replyText("billing"));

            // WHEN
            int status = postOpenAi("""
                    {"model": "gpt-4o-mini", "messages": [
                      {"role": "assistant", "content": "You were charged twice?"}]}
                    """).statusCode();

            // THEN
            assertThat(status).isEqualTo(404);
        }

        @Test
        void doesNotMistakeTheKeysOfATextBlockForItsText() throws Exception {
            // GIVEN
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("type").replyText("Billing"));

            // WHEN
            int status = post(AnthropicFixtures.PATH, """
                    {"model": "claude-haiku-4-5", "max_tokens": 64, "messages": [
                      {"role": "user", "content": [{"type": "text", "text": "I was charged twice."}]}]}
                    """).statusCode();

            // THEN
            assertThat(status).isEqualTo(404);
        }

        @Test
        void combinesWithTheModelMatcher() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o").whenLastUserMessageContains("charged twice")
                    .replyText("large billing"));
            server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o-mini").whenLastUserMessageContains("charged twice")
                    .replyText("mini billing"));

            // WHEN / THEN
            assertThat(openAi("gpt-4o").chat("I was charged twice.")).isEqualTo("large billing");
            assertThat(openAi("gpt-4o-mini").chat("I was charged twice.")).isEqualTo("mini billing");
        }

        @Test
        void matchesAConversationByItsLastTurn() {
            // GIVEN
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Any news?").replyText("still billing"));

            // WHEN
            String answer = openAi("gpt-4o-mini").chat(SystemMessage.from("Route tickets."), UserMessage.from("Charged twice."),
                    AiMessage.from("billing"), UserMessage.from("Any news?")).aiMessage().text();

            // THEN
            assertThat(answer).isEqualTo("still billing");
        }
    }

    @Nested
    class ByStreaming {

        @Test
        void servesTheStreamToStreamingClientsAndTheJsonToTheOthers() throws Exception {
            // GIVEN both kinds of reply for the same prompt
            OpenAiFixtures.ChatCompletionFixture ticket = OpenAiFixtures.chatCompletion().whenLastUserMessageContains("charged twice");
            server.stub(ticket.replyText("billing (json)"));
            server.stub(ticket.replyStream("billing (stream)"));

            // WHEN
            String json = openAi("gpt-4o-mini").chat("I was charged twice.");
            String streamed = OpenAiFixturesWireFidelityTest.stream(OpenAiStreamingChatModel.builder()
                    .baseUrl(server.baseUrl(OPENAI)).apiKey("test-key").modelName("gpt-4o-mini").build(), new ArrayList<>())
                    .aiMessage().text();

            // THEN
            assertThat(json).isEqualTo("billing (json)");
            assertThat(streamed).isEqualTo("billing (stream)");
        }

        @Test
        void errorsAnswerStreamingAndNonStreamingRequestsAlike() throws Exception {
            // GIVEN
            server.stub(AnthropicFixtures.messages().anyRequest().overloaded());

            // WHEN / THEN
            assertThat(post(AnthropicFixtures.PATH, "{\"stream\": true}").statusCode()).isEqualTo(529);
            assertThat(post(AnthropicFixtures.PATH, "{\"stream\": false}").statusCode()).isEqualTo(529);
            assertThat(post(AnthropicFixtures.PATH, "{}").statusCode()).isEqualTo(529);
        }

        @Test
        void refusesAJsonReplyToARecordedStreamingRequest() {
            // GIVEN
            OpenAiFixtures.ChatCompletionFixture streaming = OpenAiFixtures.chatCompletion()
                    .whenRequestMatches(RECORDED_REQUEST.replace("\"seed\": 7", "\"seed\": 7, \"stream\": true"));

            // WHEN / THEN
            assertThatThrownBy(() -> streaming.replyText("billing"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"stream\": true, so it must reply with replyStream(..)");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static OpenAiChatModel openAi(String model) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl(OPENAI)).apiKey("test-key").modelName(model).maxRetries(0)
                .timeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> postOpenAi(String body) throws IOException, InterruptedException {
        return post(OpenAiFixtures.PATH, body);
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.wireMock().baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
