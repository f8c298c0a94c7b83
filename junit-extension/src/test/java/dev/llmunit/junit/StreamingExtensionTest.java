package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.configurationError;
import static dev.llmunit.junit.InnerRuns.failureOfTest;
import static dev.llmunit.junit.InnerRuns.runMethod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.stream.StreamedResponse;
import dev.llmunit.core.stream.StreamingRouter;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import dev.llmunit.wiremock.StreamFault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/**
 * A {@code StreamingRouter} from an {@link LlmRouter} method: injected as {@code StreamingRouter}
 * and {@code StreamingChatModel}, each streamed call in the ledger with its time to first token
 * and tokens per second (from the fixture's recorded timing in playback), judged by
 * {@link LatencyBudget#ttft()}.
 */
class StreamingExtensionTest {

    @TempDir
    Path reportDir;

    /**
     * Stubs a streamed reply whose fixture recorded 900 ms in all and 250 ms to the first token,
     * with 13 output tokens: 13 tokens over the remaining 650 ms is 20 tokens per second.
     */
    static void stubRecorded(FixtureServer server, String prompt) {
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(prompt)
                .replyStream("Billing team, queue B", reply -> reply.usage(812, 13))
                .withName("streamed " + prompt)
                .withMetadata(Map.of("llmunit", Map.of("provider", "openai", "model", "gpt-4o-mini-2024-07-18", "stream", true,
                        "latencyMs", 900, "timeToFirstTokenMs", 250))));
    }

    /** Streams a prompt and waits for the handler's last callback. */
    static ChatResponse stream(StreamingChatModel model, String prompt, List<String> chunks) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                chunks.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private EngineExecutionResults runTest(Class<?> testClass, String method) {
        return runMethod(reportDir, testClass, method);
    }

    @LlmTest
    static class Streamed {

        @LlmRouter
        static StreamingRouter router(FixtureServer server) {
            return StreamingRouter.builder().provider("openai", FixtureModels.openAiStreaming(server, "gpt-4o-mini")).build();
        }

        @Test
        void recordsTheFirstTokenAndRateFromTheFixture(StreamingChatModel model, FixtureServer server, LlmCalls calls)
                throws Exception {
            stubRecorded(server, "<ledger>");
            List<String> chunks = new CopyOnWriteArrayList<>();

            ChatResponse response = stream(model, "<ledger>", chunks);

            // the handler's last callback comes after the call is in the ledger
            assertThat(calls.count()).isEqualTo(1);
            LlmCall call = calls.last();
            assertThat(response.aiMessage().text()).isEqualTo("Billing team, queue B");
            assertThat(chunks).containsExactly("Billing", " team,", " queue", " B");
            assertThat(call.streamed()).isTrue();
            assertThat(call.timeToFirstToken()).isEqualTo(Duration.ofMillis(250));
            assertThat(call.tokensPerSecond()).isCloseTo(20.0, within(1e-9));
            assertThat(call.judgedLatency()).isEqualTo(Duration.ofMillis(900));
            assertThat(call.fixture()).isEqualTo("streamed <ledger>");
            assertThat(call.toString()).contains("first token 250 ms");
        }

        @Test
        @LatencyBudget(ttft = "300ms")
        void firstTokenWithinBudget(StreamingRouter router, FixtureServer server) throws Exception {
            stubRecorded(server, "<ttft-within>");
            StreamedResponse done = router.route(ChatRequest.builder().messages(UserMessage.from("<ttft-within>")).build(),
                    new StreamingChatResponseHandler() {
                        @Override
                        public void onCompleteResponse(ChatResponse response) {}

                        @Override
                        public void onError(Throwable error) {}
                    }).get(10, TimeUnit.SECONDS);
            assertThat(done.timing().outputTokens()).isEqualTo(13);
        }

        @Test
        @LatencyBudget(ttft = "200ms")
        void firstTokenOverBudget(StreamingChatModel model, FixtureServer server) throws Exception {
            stubRecorded(server, "<ttft-over>");
            stream(model, "<ttft-over>", new CopyOnWriteArrayList<>());
        }

        @Test
        void aMidStreamFailureIsRecordedAsAFailedCall(StreamingChatModel model, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<cut>")
                    .replyStream("Billing team, queue B", reply -> reply.streamFault(StreamFault.cutAfter(3))));

            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> stream(model, "<cut>", new CopyOnWriteArrayList<>()));

            assertThat(failure).hasCauseInstanceOf(LlmException.StreamInterrupted.class);
            assertThat(calls.count()).isEqualTo(1);
            assertThat(calls.last().succeeded()).isFalse();
            assertThat(calls.last().timeToFirstToken()).isNull();
        }
    }

    @LlmTest
    static class NotStreaming {
        @Test
        void asksForAStreamingRouter(StreamingRouter router) {}
    }

    @LlmTest
    static class StreamingAskedAsRouter {
        @LlmRouter
        static StreamingRouter router(FixtureServer server) {
            return StreamingRouter.builder().provider("openai", FixtureModels.openAiStreaming(server, "gpt-4o-mini")).build();
        }

        @Test
        void asksForAPlainRouter(dev.llmunit.core.route.Router router) {}
    }

    @LlmTest
    static class BadTtft {
        @Test
        @LatencyBudget(ttft = "fast")
        void typo() {}
    }

    @Test
    void recordsEachStreamedCallWithItsRecordedFirstTokenAndRate() {
        assertAllSucceeded(runTest(Streamed.class, "recordsTheFirstTokenAndRateFromTheFixture"), 1);
    }

    @Test
    void passesAStreamedCallWhoseRecordedFirstTokenIsWithinTheTtftBudget() {
        assertAllSucceeded(runTest(Streamed.class, "firstTokenWithinBudget"), 1);
    }

    @Test
    void failsAStreamedCallWhoseRecordedFirstTokenIsOverTheTtftBudgetNamingTheCall() {
        Throwable failure = failureOfTest(runTest(Streamed.class, "firstTokenOverBudget"), "firstTokenOverBudget");
        assertThat(failure).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("latency.ttft: 250 ms against a limit of 200 ms")
                .hasMessageContaining("first token 250 ms")
                .hasMessageContaining("fixture streamed <ttft-over>");
    }

    @Test
    void recordsAStreamBrokenMidwayAsAFailedCall() {
        assertAllSucceeded(runTest(Streamed.class, "aMidStreamFailureIsRecordedAsAFailedCall"), 1);
    }

    @Test
    void aStreamingRouterParameterWithoutAStreamingFactoryNamesTheFix() {
        Throwable failure = failureOfTest(runTest(NotStreaming.class, "asksForAStreamingRouter"), "asksForAStreamingRouter");
        assertThat(configurationError(failure)).hasMessageContaining("llmunit has no StreamingRouter to inject")
                .hasMessageContaining("StreamingRouter.builder()");
    }

    @Test
    void aRouterParameterInAStreamingClassNamesTheFix() {
        Throwable failure = failureOfTest(runTest(StreamingAskedAsRouter.class, "asksForAPlainRouter"), "asksForAPlainRouter");
        assertThat(configurationError(failure)).hasMessageContaining("returns a StreamingRouter, but parameter")
                .hasMessageContaining("declare it as StreamingRouter or StreamingChatModel");
    }

    @Test
    void aTtftBudgetThatIsNoDurationFailsBeforeTheTestRuns() {
        Throwable failure = failureOfTest(runTest(BadTtft.class, "typo"), "typo");
        assertThat(failure).hasMessageContaining("@LatencyBudget(ttft)").hasMessageContaining("fast");
    }
}
