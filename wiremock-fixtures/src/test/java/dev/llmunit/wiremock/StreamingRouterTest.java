package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.stream.MidStreamPolicy;
import dev.llmunit.core.stream.RoutedStreamingHandler;
import dev.llmunit.core.stream.StreamedResponse;
import dev.llmunit.core.stream.StreamingRouter;
import dev.llmunit.core.stream.StreamingRouterBuilder;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streaming router over real LangChain4j streaming clients (OpenAI and Anthropic) and
 * {@code LlmHttpClient}, against the fixture server on loopback: transparent retry and fallback
 * before the first token, the mid-stream policies after it, the three timeouts, and cost from the
 * final usage chunk.
 */
class StreamingRouterTest {

    private static final String QUESTION = "Ticket #4411: I was charged twice for my March invoice. Which queue?";
    private static final String ANSWER = "Billing team, queue B, refund today";

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

    // ---- the happy path ------------------------------------------------------------------------------

    @Test
    void streamsEachChunkToTheHandlerAndCostsTheAnswerFromTheFinalUsage() throws Exception {
        // GIVEN an OpenAI stream of five words whose usage chunk reports 812 prompt and 5 completion tokens
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyStream(ANSWER, reply -> reply.usage(812, 5)));
        StreamingRouter router = router(b -> b.provider("openai", openAi()));
        Recorder handler = new Recorder();

        // WHEN
        StreamedResponse done = router.route(request(), handler).get(10, TimeUnit.SECONDS);

        // THEN the handler saw the words one by one, then the whole answer
        assertThat(handler.partials).containsExactly("Billing", " team,", " queue", " B,", " refund", " today");
        assertThat(handler.completed.get(1, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(ANSWER);
        assertThat(done.provider()).isEqualTo("openai");
        // gpt-4o-mini: 812 x $0.00000015 + 5 x $0.0000006
        assertThat(done.cost()).isEqualTo(Usd.of(new BigDecimal("0.0001248")));
        assertThat(done.timing().outputTokens()).isEqualTo(5);
        assertThat(done.timing().chunks()).isEqualTo(6);
        assertThat(done.trace().stream()).isEqualTo(done.timing());
        assertThat(done.timing().timeToFirstToken()).isLessThanOrEqualTo(done.trace().totalTime());
    }

    @Test
    void recordsTheFirstTokenAndTheRateInTheProvidersMeters() throws Exception {
        // GIVEN a stream dribbled over about 200 ms
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(3, Duration.ofMillis(100)))));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        StreamingRouter router = router(b -> b.provider("openai", openAi()).routing(r -> r.meterRegistry(registry)));

        // WHEN
        router.route(request(), new Recorder()).get(10, TimeUnit.SECONDS);

        // THEN
        assertThat(registry.get("llmunit.stream.first.token").tag("llmunit.provider", "openai").timer().count()).isEqualTo(1);
        assertThat(registry.get("llmunit.stream.tokens.per.second").tag("llmunit.provider", "openai").summary().max()).isPositive();
    }

    @Test
    void anthropicStreamsThroughTheSameRouterWithItsCumulativeUsage() throws Exception {
        // GIVEN
        server.stub(AnthropicFixtures.messages().anyRequest().replyStream(ANSWER, reply -> reply.usage(640, 9)));
        StreamingRouter router = router(b -> b.provider("anthropic", anthropic()));
        Recorder handler = new Recorder();

        // WHEN
        StreamedResponse done = router.route(request(), handler).get(10, TimeUnit.SECONDS);

        // THEN
        assertThat(String.join("", handler.partials)).isEqualTo(ANSWER);
        assertThat(done.chatResponse().metadata().tokenUsage().outputTokenCount()).isEqualTo(9);
        assertThat(done.timing().outputTokens()).isEqualTo(9);
        assertThat(done.cost().isGreaterThan(Usd.ZERO)).isTrue();
    }

    // ---- before the first token: transparent -----------------------------------------------------------

    @Test
    void fallsBackUnseenWhenTheFirstProviderFailsBeforeItsFirstToken() throws Exception {
        // GIVEN OpenAI overloaded, then its stream cut before any text (the role chunk only); Anthropic answers
        OpenAiFixtures.chatCompletion().anyRequest().sequence(steps -> steps
                .overloaded()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(1)))).forEach(server::stub);
        server.stub(AnthropicFixtures.messages().anyRequest().replyStream("Queue B"));
        StreamingRouter router = router(b -> b.provider("openai", openAi()).provider("anthropic", anthropic())
                .routing(r -> r.retry(retry -> retry.maxRetries(1).initialBackoff(Duration.ofMillis(1)).jitter(0))));
        Recorder handler = new Recorder();

        // WHEN
        StreamedResponse done = router.route(request(), handler).get(10, TimeUnit.SECONDS);

        // THEN the handler heard only Anthropic's answer and no error
        assertThat(handler.partials).containsExactly("Queue", " B");
        assertThat(handler.errors).isEmpty();
        assertThat(done.provider()).isEqualTo("anthropic");
        assertThat(done.trace().attempts()).extracting(Attempt::provider, Attempt::outcome, Attempt::errorKind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("openai", Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                org.assertj.core.groups.Tuple.tuple("openai", Outcome.FAILED, ErrorKind.PROVIDER_UNAVAILABLE),
                org.assertj.core.groups.Tuple.tuple("anthropic", Outcome.SUCCEEDED, null));
        assertThat(done.timing().timeToFirstToken()).isGreaterThan(done.trace().attempts().get(0).duration());
    }

    @Test
    void fallsBackToAProviderWithoutStreamingWhichAnswersInOneChunk() throws Exception {
        // GIVEN the streaming provider is down; a plain chat model is the fallback
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().overloaded());
        server.stub(AnthropicFixtures.messages().anyRequest().replyText("Queue B"));
        StreamingRouter router = router(b -> b.provider("openai", openAi())
                .routing(r -> r.provider("anthropic", FixtureModels.anthropicChat(server, "claude-haiku-4-5"))
                        .retry(retry -> retry.maxRetries(0))));
        Recorder handler = new Recorder();

        // WHEN
        StreamedResponse done = router.route(request(), handler).get(10, TimeUnit.SECONDS);

        // THEN
        assertThat(done.provider()).isEqualTo("anthropic");
        assertThat(handler.partials).containsExactly("Queue B");
        assertThat(done.timing().chunks()).isEqualTo(1);
        assertThat(done.timing().tokensPerSecond()).isEmpty();
    }

    @Test
    void aSlowFirstTokenTimesOutAndFallsBack() throws Exception {
        // GIVEN OpenAI's first chunk takes ten seconds; the first-token timeout is 1.5 s (wide, so a busy machine
        // still gets Anthropic's first token in time)
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(0, Duration.ofSeconds(10)))));
        server.stub(AnthropicFixtures.messages().anyRequest().replyStream("Queue B"));
        StreamingRouter router = router(b -> b.provider("openai", openAi()).provider("anthropic", anthropic())
                .timeouts(t -> t.firstToken(Duration.ofMillis(1500)))
                .routing(r -> r.retry(retry -> retry.maxRetries(0))));
        Recorder handler = new Recorder();

        // WHEN
        StreamedResponse done = router.route(request(), handler).get(30, TimeUnit.SECONDS);

        // THEN
        assertThat(done.provider()).isEqualTo("anthropic");
        assertThat(handler.partials).containsExactly("Queue", " B");
        Attempt timedOut = done.trace().attempts().get(0);
        assertThat(timedOut.errorKind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(timedOut.error()).hasMessageContaining("no first token within 1500 ms");
        assertThat(timedOut.duration()).isLessThan(Duration.ofSeconds(10));
    }

    // ---- after the first token: the policy -------------------------------------------------------------

    @Test
    void aStreamCutMidwayFailsWithThePartialTextUnderTheFailPolicy() throws Exception {
        // GIVEN the stream is cut after the role chunk and two words; Anthropic could serve, but must not be asked
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(3))));
        server.stub(AnthropicFixtures.messages().anyRequest().replyStream("Queue B"));
        StreamingRouter router = router(b -> b.provider("openai", openAi()).provider("anthropic", anthropic()));
        Recorder handler = new Recorder();

        // WHEN
        CompletableFuture<StreamedResponse> call = router.route(request(), handler);

        // THEN
        LlmException.StreamInterrupted failure = interruption(call);
        assertThat(failure.partialText()).isEqualTo("Billing team,");
        assertThat(failure.restartable()).isFalse();
        assertThat(failure.kind()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
        assertThat(failure.provider()).isEqualTo("openai");
        assertThat(failure.attempts()).hasSize(1);
        assertThat(handler.partials).containsExactly("Billing", " team,");
        assertThat(handler.errors).containsExactly(failure);
        assertThat(handler.completed).isNotDone();
        assertThat(server.wireMock().findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(AnthropicFixtures.PATH)))).isEmpty();
    }

    @Test
    void aMalformedChunkIsAMidStreamFailure() throws Exception {
        // GIVEN the fourth chunk (after "Billing" and " team,") is not JSON
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.malformedChunk(4))));
        StreamingRouter router = router(b -> b.provider("openai", openAi()));
        Recorder handler = new Recorder();

        // WHEN
        LlmException.StreamInterrupted failure = interruption(router.route(request(), handler));

        // THEN the chunks after the bad one are not delivered: the answer ended with the failure
        assertThat(failure.partialText()).isEqualTo("Billing team,");
        assertThat(handler.partials).containsExactly("Billing", " team,");
        Thread.sleep(100);
        assertThat(handler.partials).hasSize(2);
    }

    @Test
    void restartAsksAgainAndTellsTheHandlerToDropWhatItShowed() throws Exception {
        // GIVEN the first stream is cut after two words, the second is whole
        OpenAiFixtures.chatCompletion().anyRequest().sequence(steps -> steps
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(3)))
                .replyStream(ANSWER, reply -> reply.usage(812, 6))).forEach(server::stub);
        StreamingRouter router = router(b -> b.provider("openai", openAi()).midStreamPolicy(MidStreamPolicy.RESTART)
                .routing(r -> r.retry(retry -> retry.initialBackoff(Duration.ofMillis(1)).jitter(0))));
        Recorder handler = new Recorder();

        // WHEN
        StreamedResponse done = router.route(request(), handler).get(10, TimeUnit.SECONDS);

        // THEN
        assertThat(handler.restarts).extracting(LlmException.StreamInterrupted::partialText).containsExactly("Billing team,");
        assertThat(handler.partialsSinceRestart()).isEqualTo(ANSWER);
        assertThat(done.chatResponse().aiMessage().text()).isEqualTo(ANSWER);
        assertThat(done.trace().attempts()).extracting(Attempt::outcome).containsExactly(Outcome.FAILED, Outcome.SUCCEEDED);
        assertThat(done.trace().attempts().get(0).error()).isInstanceOf(LlmException.StreamInterrupted.class);
        assertThat(done.trace().attempts().get(1).retry()).isEqualTo(1);
        assertThat(handler.errors).isEmpty();
    }

    @Test
    void restartsStopAtTheirLimitAndTheLastInterruptionIsReported() throws Exception {
        // GIVEN every stream is cut; one restart allowed, three retries configured
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(2))));
        StreamingRouter router = router(b -> b.provider("openai", openAi()).midStreamPolicy(MidStreamPolicy.RESTART).maxRestarts(1)
                .routing(r -> r.retry(retry -> retry.maxRetries(3).initialBackoff(Duration.ofMillis(1)).jitter(0))));
        Recorder handler = new Recorder();

        // WHEN
        LlmException.StreamInterrupted failure = interruption(router.route(request(), handler));

        // THEN two attempts: the first restarted, the second's interruption is final
        assertThat(failure.restartable()).isFalse();
        assertThat(failure.partialText()).isEqualTo("Billing");
        assertThat(failure.attempts()).hasSize(2);
        assertThat(handler.restarts).hasSize(1);
    }

    @Test
    void continueAsksForTheRestAndTheCallerSeesOneAnswerWithoutRepeats() throws Exception {
        // GIVEN the first stream is cut after "Billing team,"; the continuation request gets the rest
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Ticket #4411")
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(3))));
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Continue it exactly where it stopped")
                .replyStream(" queue B, refund today", reply -> reply.usage(830, 4)));
        StreamingRouter router = router(b -> b.provider("openai", openAi()).midStreamPolicy(MidStreamPolicy.CONTINUE)
                .routing(r -> r.retry(retry -> retry.initialBackoff(Duration.ofMillis(1)).jitter(0))));
        Recorder handler = new Recorder();

        // WHEN
        StreamedResponse done = router.route(request(), handler).get(10, TimeUnit.SECONDS);

        // THEN
        assertThat(String.join("", handler.partials)).isEqualTo(ANSWER);
        assertThat(handler.restarts).isEmpty();
        assertThat(done.chatResponse().aiMessage().text()).isEqualTo(ANSWER);
        assertThat(done.timing().outputTokens()).isEqualTo(4);
        // only the continuation reported usage: 830 x $0.00000015 + 4 x $0.0000006
        assertThat(done.cost()).isEqualTo(Usd.of(new BigDecimal("0.0001269")));
        com.fasterxml.jackson.databind.JsonNode continuation = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(server.wireMock().getAllServeEvents().get(0).getRequest().getBodyAsString()).path("messages");
        assertThat(continuation).hasSize(3);
        assertThat(continuation.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(continuation.get(1).path("content").asText()).isEqualTo("Billing team,");
        assertThat(continuation.get(2).path("content").asText()).isEqualTo(StreamingRouterBuilder.DEFAULT_CONTINUE_PROMPT);
    }

    // ---- timeouts ----------------------------------------------------------------------------------------

    @Test
    void aStallBetweenTokensIsAMidStreamTimeout() throws Exception {
        // GIVEN the stream goes silent for two seconds after "Billing team,"; 300 ms allowed between tokens
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(3, Duration.ofSeconds(2)))));
        StreamingRouter router = router(b -> b.provider("openai", openAi()).timeouts(t -> t.betweenTokens(Duration.ofMillis(300))));
        Recorder handler = new Recorder();

        // WHEN
        long start = System.nanoTime();
        LlmException.StreamInterrupted failure = interruption(router.route(request(), handler));

        // THEN
        assertThat(failure.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(failure.partialText()).isEqualTo("Billing team,");
        assertThat(failure.failure()).hasMessageContaining("between-tokens timeout 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theTotalTimeoutEndsTheCallEvenWhenRestartsAreAllowed() throws Exception {
        // GIVEN a stall of two seconds and a total of 500 ms under RESTART
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(3, Duration.ofSeconds(2)))));
        StreamingRouter router = router(b -> b.provider("openai", openAi()).midStreamPolicy(MidStreamPolicy.RESTART)
                .timeouts(t -> t.total(Duration.ofMillis(500))));
        Recorder handler = new Recorder();

        // WHEN
        LlmException.StreamInterrupted failure = interruption(router.route(request(), handler));

        // THEN
        assertThat(failure.restartable()).isFalse();
        assertThat(failure.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(failure.failure()).hasMessageContaining("total timeout of 500 ms");
        assertThat(failure.attempts()).hasSize(1);
        assertThat(handler.restarts).isEmpty();
    }

    @Test
    void aStallShorterThanTheTimeoutOnlySlowsTheStream() throws Exception {
        // GIVEN a 200 ms stall and 1 s allowed between tokens
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(2, Duration.ofMillis(200)))));
        StreamingRouter router = router(b -> b.provider("openai", openAi()).timeouts(t -> t.betweenTokens(Duration.ofSeconds(1))));

        // WHEN
        StreamedResponse done = router.route(request(), new Recorder()).get(10, TimeUnit.SECONDS);

        // THEN
        assertThat(done.chatResponse().aiMessage().text()).isEqualTo(ANSWER);
        assertThat(done.timing().generationTime()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(done.timing().tokensPerSecond()).isPresent();
    }

    // ---- Anthropic mid-stream ------------------------------------------------------------------------------

    @Test
    void anAnthropicStreamCutAfterItsFirstDeltaCarriesThePartialText() throws Exception {
        // GIVEN message_start, content_block_start, ping, then one text delta, then the cut
        server.stub(AnthropicFixtures.messages().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.cutAfter(4))));
        StreamingRouter router = router(b -> b.provider("anthropic", anthropic()));
        Recorder handler = new Recorder();

        // WHEN
        LlmException.StreamInterrupted failure = interruption(router.route(request(), handler));

        // THEN
        assertThat(failure.partialText()).isEqualTo("Billing");
        assertThat(handler.partials).containsExactly("Billing");
    }

    // ---- the LangChain4j entry point, cancellation, parallel calls ----------------------------------------------

    @Test
    void worksAsAPlainLangChain4jStreamingChatModel() throws Exception {
        // GIVEN
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyStream(ANSWER));
        StreamingChatModel model = router(b -> b.provider("openai", openAi()));
        Recorder handler = new Recorder();

        // WHEN
        model.chat(QUESTION, handler);

        // THEN
        assertThat(handler.completed.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(ANSWER);
    }

    @Test
    void theHandlerCanCancelTheStreamThroughItsContext() throws Exception {
        // GIVEN a slow stream
        server.stub(OpenAiFixtures.chatCompletion().anyRequest()
                .replyStream(ANSWER, reply -> reply.streamFault(StreamFault.stallAfter(2, Duration.ofSeconds(1)))));
        StreamingRouter router = router(b -> b.provider("openai", openAi()));
        List<String> seen = new CopyOnWriteArrayList<>();
        Recorder handler = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                seen.add(partial.text());
                context.streamingHandle().cancel();
            }
        };

        // WHEN
        CompletableFuture<StreamedResponse> call = router.route(request(), handler);

        // THEN
        assertThat(call).failsWithin(Duration.ofSeconds(5));
        assertThat(call).isCancelled();
        Thread.sleep(1200);
        assertThat(seen).containsExactly("Billing");
        assertThat(handler.errors).isEmpty();
        assertThat(handler.completed).isNotDone();
    }

    @Test
    void parallelStreamsThroughOneRouterKeepTheirOwnTokens() throws Exception {
        // GIVEN eight tickets, each with its own streamed answer
        for (int i = 0; i < 8; i++) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("ticket " + i + ".")
                    .replyStream("Answer " + i + " for ticket " + i));
        }
        StreamingRouter router = router(b -> b.provider("openai", openAi()));
        List<Recorder> handlers = new ArrayList<>();
        List<CompletableFuture<StreamedResponse>> calls = new ArrayList<>();

        // WHEN
        for (int i = 0; i < 8; i++) {
            Recorder handler = new Recorder();
            handlers.add(handler);
            calls.add(router.route(ChatRequest.builder().messages(UserMessage.from("Route ticket " + i + ".")).build(), handler));
        }

        // THEN
        for (int i = 0; i < 8; i++) {
            assertThat(calls.get(i).get(10, TimeUnit.SECONDS).chatResponse().aiMessage().text()).isEqualTo("Answer " + i + " for ticket " + i);
            assertThat(String.join("", handlers.get(i).partials)).isEqualTo("Answer " + i + " for ticket " + i);
        }
    }

    @Test
    void aBudgetRefusesTheStreamBeforeAnyCall() {
        // GIVEN a per-request limit far below the pre-flight estimate
        server.stub(OpenAiFixtures.chatCompletion().anyRequest().replyStream(ANSWER));
        StreamingRouter router = router(b -> b.provider("openai", openAi(), p -> p.modelName("gpt-4o-mini"))
                .routing(r -> r.maxCostPerRequest(Usd.of(new BigDecimal("0.0000001")))));
        Recorder handler = new Recorder();

        // WHEN
        CompletableFuture<StreamedResponse> call = router.route(request(), handler);

        // THEN
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(LlmException.BudgetExceeded.class);
        assertThat(server.wireMock().getAllServeEvents()).isEmpty();
        assertThat(handler.partials).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static StreamingRouter router(Consumer<StreamingRouterBuilder> configure) {
        StreamingRouterBuilder builder = StreamingRouter.builder();
        configure.accept(builder);
        return builder.build();
    }

    private static StreamingChatModel openAi() {
        return FixtureModels.openAiStreaming(server, "gpt-4o-mini");
    }

    private static StreamingChatModel anthropic() {
        return FixtureModels.anthropicStreaming(server, "claude-haiku-4-5", b -> b.maxTokens(256));
    }

    private static ChatRequest request() {
        return ChatRequest.builder().messages(UserMessage.from(QUESTION)).build();
    }

    private static LlmException.StreamInterrupted interruption(CompletableFuture<StreamedResponse> call) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(LlmException.StreamInterrupted.class);
        return (LlmException.StreamInterrupted) failure.getCause();
    }

    /** Records what a caller's handler hears. */
    static class Recorder implements RoutedStreamingHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final List<LlmException.StreamInterrupted> restarts = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> completed = new CompletableFuture<>();
        private volatile int restartedAt;

        @Override
        public void onPartialResponse(String partial) {
            partials.add(partial);
        }

        @Override
        public void onRestart(LlmException.StreamInterrupted interruption) {
            restarts.add(interruption);
            restartedAt = partials.size();
        }

        String partialsSinceRestart() {
            return String.join("", partials.subList(restartedAt, partials.size()));
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            completed.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            errors.add(error);
        }
    }
}
