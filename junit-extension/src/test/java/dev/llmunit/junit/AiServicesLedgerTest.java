package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger sees calls made deep inside the code under test: an {@code AiServices} proxy, a
 * service class holding one, and calls on other threads.
 */
class AiServicesLedgerTest {

    @TempDir
    Path reportDir;

    /** The AI service the code under test declares. */
    interface Triage {
        String classify(String ticket);
    }

    /** The code under test: a service that holds the proxy, built over whatever model it is given. */
    static final class TriageService {
        private final Triage triage;

        TriageService(ChatModel model) {
            this.triage = AiServices.create(Triage.class, model);
        }

        String triage(String ticket) {
            return triage.classify(ticket);
        }
    }

    @LlmTest
    static class ThroughAiServices {
        @Test
        void aProxyOverTheInjectedModel(ChatModel model, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<proxy>").withFixedDelay(Duration.ofMillis(30))
                    .replyText("refund"));
            Triage triage = AiServices.create(Triage.class, model);

            String answer = triage.classify("<proxy>");

            assertThat(answer).isEqualTo("refund");
            assertThat(calls.count()).isEqualTo(1);
            assertThat(calls.last().prompt()).isEqualTo("<proxy>");
            assertThat(calls.last().answer()).isEqualTo("refund");
            assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(30));
        }

        @Test
        void aServiceClassHoldingTheProxy(ChatModel model, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<service-1>").replyText("billing"));
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<service-2>").replyText("shipping"));
            TriageService service = new TriageService(model);

            service.triage("<service-1>");
            service.triage("<service-2>");

            assertThat(calls.all()).extracting(LlmCall::sequence, LlmCall::answer)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "billing"), org.assertj.core.groups.Tuple.tuple(2, "shipping"));
        }

        @Test
        void routeAsyncOnTheRoutersThread(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<async>").withFixedDelay(Duration.ofMillis(40))
                    .replyText("later").withName("async fixture"));

            RoutedResponse response = router.routeAsync(ask("<async>")).join();

            assertThat(response.chatResponse().aiMessage().text()).isEqualTo("later");
            assertThat(calls.count()).isEqualTo(1);
            assertThat(calls.last().answer()).isEqualTo("later");
            assertThat(calls.last().fixture()).isEqualTo("async fixture");
            assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(40));
        }

        @Test
        void aServiceCalledFromAnotherThread(ChatModel model, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<other-thread>").replyText("elsewhere"));
            TriageService service = new TriageService(model);

            String answer = CompletableFuture.supplyAsync(() -> service.triage("<other-thread>")).join();

            assertThat(answer).isEqualTo("elsewhere");
            assertThat(calls.all()).extracting(LlmCall::answer).containsExactly("elsewhere");
        }
    }

    @Test
    void recordsCallsMadeThroughAnAiServicesProxy() {
        assertAllSucceeded(InnerRuns.runMethod(reportDir, ThroughAiServices.class, "aProxyOverTheInjectedModel"), 1);
    }

    @Test
    void recordsCallsMadeByAServiceClassHoldingTheProxy() {
        assertAllSucceeded(InnerRuns.runMethod(reportDir, ThroughAiServices.class, "aServiceClassHoldingTheProxy"), 1);
    }

    @Test
    void recordsAnAsyncCallInTheTestsLedgerWithItsFixtureAndRecordedLatency() {
        assertAllSucceeded(InnerRuns.runMethod(reportDir, ThroughAiServices.class, "routeAsyncOnTheRoutersThread"), 1);
    }

    @Test
    void recordsACallMadeOnAnotherThreadInTheTestsLedger() {
        assertAllSucceeded(InnerRuns.runMethod(reportDir, ThroughAiServices.class, "aServiceCalledFromAnotherThread"), 1);
    }

    @Test
    void keepsTheCallsOfEachTestApart() {
        assertAllSucceeded(run(reportDir, ThroughAiServices.class), 4);
    }
}
