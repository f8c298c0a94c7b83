package com.example.tickets;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static dev.llmunit.core.cost.Usd.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.junit.CostBudget;
import dev.llmunit.junit.LatencyBudget;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.LlmTest;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@LlmTest(fixtures = "tagger")
@CostBudget(perTest = "0.001")
class TicketTaggerTest {

    @Test
    @LatencyBudget(perCall = "800ms")
    void tagsADoubleChargeAsBillingFromTheRecordedFixture(ChatModel model, LlmCalls calls) {
        String tag = new TicketTagger(model).tag("I was charged twice for May.");

        assertThat(tag).isEqualTo("BILLING");
        assertThat(calls).hasSize(1).allServedBy("openai").servedFromFixtures();
        // gpt-4o-mini: 31 input x $0.15/M + 1 output x $0.60/M
        assertThat(calls.last().cost()).isEqualTo(usd("0.00000525"));
        assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(420));
    }

    @Test
    void tagsACrashAsABugFromAStub(FixtureServer fixtures, ChatModel model, LlmCalls calls) {
        fixtures.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("crashes")
                .replyText("BUG", reply -> reply.usage(30, 1)));

        assertThat(new TicketTagger(model).tag("The app crashes on start.")).isEqualTo("BUG");
        assertThat(calls.last()).wasServedBy("openai").hasAttempts(1);
    }
}
