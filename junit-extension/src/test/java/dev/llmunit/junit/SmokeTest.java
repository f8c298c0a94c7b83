package dev.llmunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

class SmokeTest {

    @LlmTest
    @CostBudget(perTest = "0.01")
    static class Inner {
        @Test
        void one(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("smoke-1").withFixedDelay(Duration.ofMillis(50)).replyText("hello"));
            router.route(ChatRequest.builder().messages(UserMessage.from("smoke-1")).build());
            System.out.println("LEDGER " + calls);
            assertThat(calls.count()).isEqualTo(1);
            assertThat(calls.last().fixture()).isNotNull();
            assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void runs(@TempDir Path dir) {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Inner.class))
                .configurationParameter("llmunit.report.dir", dir.toString()).execute();
        results.allEvents().failed().stream().forEach(e -> System.out.println("FAILED " + e));
        results.testEvents().assertStatistics(s -> s.succeeded(1));
    }
}
