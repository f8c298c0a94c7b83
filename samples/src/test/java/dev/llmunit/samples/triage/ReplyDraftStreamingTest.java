package dev.llmunit.samples.triage;

import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.samples.triage.TriageTickets.DOUBLE_CHARGE;
import static dev.llmunit.samples.triage.TriageTickets.REFUND_MISSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.llmunit.core.stream.MidStreamPolicy;
import dev.llmunit.core.stream.StreamingRouter;
import dev.llmunit.junit.LatencyBudget;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.LlmRouter;
import dev.llmunit.junit.LlmTest;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import dev.llmunit.wiremock.StreamFault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reply drafter streams its draft through a {@code StreamingRouter} that an
 * {@link LlmRouter @LlmRouter} method builds: the recorded stream plays back chunk by chunk, the
 * ledger has its time to first token and rate as recorded, {@code @LatencyBudget(ttft)} judges it,
 * and a stream cut midway is continued without repeating what the agent already sees.
 */
@LlmTest(fixtures = "triage")
class ReplyDraftStreamingTest {

    @LlmRouter
    static StreamingRouter router(FixtureServer fixtures) {
        return StreamingRouter.builder()
                .provider("openai", FixtureModels.openAiStreaming(fixtures, TriageModels.OPENAI_MODEL))
                .provider("anthropic", FixtureModels.anthropicStreaming(fixtures, TriageModels.ANTHROPIC_MODEL))
                // The agent already reads the draft: go on from where a broken stream stopped.
                .midStreamPolicy(MidStreamPolicy.CONTINUE)
                .timeouts(t -> t.firstToken(Duration.ofSeconds(5)).betweenTokens(Duration.ofSeconds(2)))
                .routing(r -> r.retry(retry -> retry.maxRetries(1).initialBackoff(Duration.ofMillis(50)).jitter(0)))
                .build();
    }

    @Test
    @LatencyBudget(ttft = "400ms", perCall = "1.5s")
    void streamsTheDraftIntoTheEditorAsItIsWritten(StreamingChatModel model, LlmCalls calls) throws Exception {
        // GIVEN
        List<String> editor = new CopyOnWriteArrayList<>();

        // WHEN
        String draft = new ReplyDrafter(model).draft(DOUBLE_CHARGE, editor::add).get(10, TimeUnit.SECONDS);

        // THEN the editor got the draft piece by piece, and the pieces make the draft
        assertThat(draft).startsWith("Thank you for letting us know").doesNotContain("$");
        assertThat(editor).hasSizeGreaterThan(30);
        assertThat(String.join("", editor)).isEqualTo(draft);
        LlmCall call = calls.last();
        assertThat(call.provider()).isEqualTo("openai");
        assertThat(call.fixture()).isNotNull(); // the recorded stream, not a live call
        // as recorded: first token after 310 ms, 42 output tokens over the remaining 840 ms
        assertThat(call.timeToFirstToken()).isEqualTo(Duration.ofMillis(310));
        assertThat(call.tokensPerSecond()).isCloseTo(50.0, within(1e-9));
        assertThat(call.judgedLatency()).isEqualTo(Duration.ofMillis(1150));
        // gpt-4o-mini, from the stream's final usage: 97 input x $0.15/M + 42 output x $0.60/M
        assertThat(call.cost()).isEqualTo(usd("0.00003975"));
    }

    @Test
    void aDraftCutMidwayIsContinuedWithoutRepeatingWhatTheAgentSees(StreamingChatModel model, FixtureServer fixtures,
            LlmCalls calls) throws Exception {
        // GIVEN OpenAI's stream breaks after "Thank you for" (the role chunk and three words)
        fixtures.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(REFUND_MISSING.subject())
                .replyStream("Thank you for writing in. Our billing team is looking for your refund and will email you.",
                        reply -> reply.streamFault(StreamFault.cutAfter(4))));
        // and the continuation request (the partial draft, then the router's continue prompt) gets the rest
        fixtures.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Continue it exactly where it stopped")
                .replyStream(" writing in. Our billing team is looking for your refund and will email you.",
                        reply -> reply.usage(140, 16)));
        List<String> editor = new CopyOnWriteArrayList<>();

        // WHEN
        String draft = new ReplyDrafter(model).draft(REFUND_MISSING, editor::add).get(10, TimeUnit.SECONDS);

        // THEN one draft, no piece twice
        assertThat(draft).isEqualTo("Thank you for writing in. Our billing team is looking for your refund and will email you.");
        assertThat(String.join("", editor)).isEqualTo(draft);
        LlmCall call = calls.last();
        assertThat(call.attempts()).hasSize(2);
        assertThat(call.provider()).isEqualTo("openai");
        assertThat(call.streamed()).isTrue();
    }
}
