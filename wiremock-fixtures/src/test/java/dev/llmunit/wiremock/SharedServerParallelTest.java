package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.langchain4j.model.chat.ChatModel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One fixture server shared by 100 tests running in parallel, each with its own fixture and answer. */
@Execution(ExecutionMode.CONCURRENT)
class SharedServerParallelTest {

    private static FixtureServer server;
    private static ChatModel model;
    private static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startServer() {
        server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).build().start();
        model = Clients.openAi(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
        // THEN, over all 100: no request went without its fixture, and the tests really overlapped
        assertThat(server.missingFixtures()).isEmpty();
        assertThat(THREADS).hasSizeGreaterThan(1);
    }

    static IntStream prompts() {
        return IntStream.range(0, 100);
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void eachTestGetsTheAnswerOfItsOwnFixture(int number) {
        // GIVEN
        String prompt = "What is " + number + " squared?";
        MappingBuilder fixture = post(urlPathEqualTo("/openai/v1/chat/completions")).willReturn(okJson(answer(number * number)));
        server.stub(RequestMatching.matchingBody(fixture,
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}],\"stream\":false}",
                RequestMatching.DEFAULT_VOLATILE_FIELDS));
        THREADS.add(Thread.currentThread().getName());

        // WHEN
        String text = Clients.chat(model, prompt).aiMessage().text();

        // THEN
        assertThat(text).isEqualTo(Integer.toString(number * number));
    }

    private static String answer(int value) {
        return """
                {"id":"chatcmpl-%1$d","object":"chat.completion","created":1753862400,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%1$d","refusal":null,"annotations":[]},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}
                """.formatted(value);
    }
}
