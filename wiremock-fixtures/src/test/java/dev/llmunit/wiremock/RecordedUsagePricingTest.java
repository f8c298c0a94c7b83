package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import org.junit.jupiter.api.Test;

/**
 * The router prices what a recorded response's usage says, from the bundled catalog's own rates:
 * OpenAI's {@code service_tier: "priority"} and Anthropic's one-hour cache writes, which
 * LangChain4j does not expose and llmunit reads from the raw body (test resources {@code vcr-cassettes}).
 */
class RecordedUsagePricingTest {

    @Test
    void anOpenAiAnswerInThePriorityTierCostsThePriorityRates() {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureSet("vcr-cassettes").build().start()) {
            Router router = Router.builder().provider("openai", FixtureModels.openAiChat(server, "gpt-4o-mini")).build();

            // WHEN
            RoutedResponse answer = router.route(ask("Summarise ticket 4411 in five words."));

            // THEN gpt-4o-mini priority: 21 input x $0.25/M + 7 output x $1.00/M (standard would be $0.00000735)
            assertThat(answer.attempts().get(0).usage().serviceTier()).isEqualTo("priority");
            assertThat(answer.cost()).isEqualTo(Usd.usd("0.00001225"));
        }
    }

    @Test
    void anAnthropicAnswerWithOneHourCacheWritesCostsTheOneHourRate() {
        try (FixtureServer server = FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureSet("vcr-cassettes").build().start()) {
            Router router = Router.builder()
                    .provider("anthropic", FixtureModels.anthropicChat(server, "claude-sonnet-4-5", b -> b.maxTokens(100))).build();

            // WHEN
            RoutedResponse answer = router.route(ask("Classify ticket 4411 using the cached policy."));

            // THEN claude-sonnet-4-5-20250929: 12 input x $3/M + 1,000 five-minute writes x $3.75/M
            //      + 2,000 one-hour writes x $6/M + 4 output x $15/M (all writes at $3.75/M would be $0.011346)
            Usage usage = answer.attempts().get(0).usage();
            assertThat(usage.cacheWriteTokens()).isEqualTo(3000);
            assertThat(usage.cacheWrite1hTokens()).isEqualTo(2000);
            assertThat(usage.serviceTier()).isNull(); // "standard"
            assertThat(answer.cost()).isEqualTo(Usd.usd("0.015846"));
        }
    }

    private static ChatRequest ask(String prompt) {
        return ChatRequest.builder().messages(UserMessage.from(prompt)).build();
    }
}
