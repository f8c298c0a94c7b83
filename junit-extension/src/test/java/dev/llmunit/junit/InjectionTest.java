package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.AnthropicFixtures;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** What {@code @LlmTest} injects, and that each injected object belongs to the right test. */
class InjectionTest {

    @TempDir
    Path reportDir;

    // ---- Router and ChatModel -------------------------------------------------------------------------

    @LlmTest(providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
    static class RouterParameter {
        @Test
        void routesThroughTheConfiguredProviders(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<router-param>").replyText("routed"));

            var response = router.route(ask("<router-param>"));

            assertThat(router.providers()).containsExactly("openai", "anthropic");
            assertThat(response.provider()).isEqualTo("openai");
            assertThat(calls.count()).isEqualTo(1);
            assertThat(calls.last().source()).isEqualTo("router");
        }
    }

    @Test
    void injectsARouterOverTheConfiguredProvidersThatRecordsIntoTheLedger() {
        // WHEN
        EngineExecutionResults results = run(reportDir, RouterParameter.class);
        // THEN
        assertAllSucceeded(results, 1);
    }

    @LlmTest
    static class ChatModelParameter {
        @Test
        void isTheRouter(ChatModel model, Router router) {
            assertThat(model).isSameAs(router);
        }
    }

    @Test
    void injectsTheTestsRouterForAPlainChatModelParameter() {
        assertAllSucceeded(run(reportDir, ChatModelParameter.class), 1);
    }

    // ---- @LlmModel ------------------------------------------------------------------------------------

    @LlmTest(providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
    static class SingleProvider {
        @Test
        void answersFromThatProviderAloneAndRecordsUnderItsName(@LlmModel("anthropic") ChatModel claude, FixtureServer server,
                LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<single-ok>").replyText("from gpt"));
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("<single-ok>").replyText("from claude"));

            String answer = claude.chat(ask("<single-ok>")).aiMessage().text();

            assertThat(answer).isEqualTo("from claude");
            assertThat(calls.count()).isEqualTo(1);
            assertThat(calls.last().source()).isEqualTo("anthropic");
            assertThat(calls.last().provider()).isEqualTo("anthropic");
        }

        @Test
        void neitherRetriesNorFallsBack(@LlmModel("anthropic") ChatModel claude, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<single-down>").replyText("from gpt"));
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("<single-down>").serverError());

            assertThatThrownBy(() -> claude.chat(ask("<single-down>"))).isInstanceOf(LlmException.class);

            LlmCall call = calls.last();
            assertThat(call.succeeded()).isFalse();
            assertThat(call.source()).isEqualTo("anthropic");
            assertThat(call.attempts()).extracting(CallAttempt::provider).containsExactly("anthropic");
        }
    }

    @Test
    void injectsOneProviderAloneForLlmModel() {
        assertAllSucceeded(run(reportDir, SingleProvider.class), 2);
    }

    // ---- FixtureServer --------------------------------------------------------------------------------

    static final List<FixtureServer> SERVERS = new CopyOnWriteArrayList<>();

    @LlmTest
    static class NoSetFirst {
        @Test
        void keepsServer(FixtureServer server) {
            SERVERS.add(server);
        }
    }

    @LlmTest
    static class NoSetSecond {
        @Test
        void keepsServer(FixtureServer server) {
            SERVERS.add(server);
        }
    }

    @LlmTest(fixtures = "other")
    static class OtherSet {
        @Test
        void keepsServer(FixtureServer server) {
            SERVERS.add(server);
        }
    }

    @Test
    void sharesOneFixtureServerAmongClassesWithTheSameFixtureSet() {
        // GIVEN
        SERVERS.clear();
        // WHEN
        EngineExecutionResults results = run(reportDir, NoSetFirst.class, NoSetSecond.class);
        // THEN
        assertAllSucceeded(results, 2);
        assertThat(SERVERS).hasSize(2);
        assertThat(SERVERS.get(0)).isSameAs(SERVERS.get(1));
    }

    @Test
    void startsAnotherFixtureServerForAnotherFixtureSet() {
        // GIVEN
        SERVERS.clear();
        // WHEN
        EngineExecutionResults results = run(reportDir, NoSetFirst.class, OtherSet.class);
        // THEN
        assertAllSucceeded(results, 2);
        assertThat(SERVERS).hasSize(2);
        assertThat(SERVERS.get(0)).isNotSameAs(SERVERS.get(1));
        assertThat(SERVERS.get(1).fixtureLocation()).hasValueSatisfying(location -> assertThat(location).endsWith("other"));
    }

    // ---- @BeforeEach ----------------------------------------------------------------------------------

    @LlmTest
    static class BeforeEachInjection {
        private Router routerBefore;
        private LlmCalls callsBefore;

        @BeforeEach
        void warmUp(Router router, LlmCalls calls, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<before-each>").replyText("warm"));
            router.route(ask("<before-each>"));
            routerBefore = router;
            callsBefore = calls;
        }

        @Test
        void getsTheTestsRouterAndLedger(Router router, LlmCalls calls) {
            assertThat(router).isSameAs(routerBefore);
            assertThat(calls).isSameAs(callsBefore);
            assertThat(calls.all()).extracting(LlmCall::prompt).containsExactly("<before-each>");
        }
    }

    @Test
    void givesBeforeEachTheSameRouterAndLedgerAsTheTest() {
        assertAllSucceeded(run(reportDir, BeforeEachInjection.class), 1);
    }

    // ---- class-level injection ------------------------------------------------------------------------

    @LlmTest
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class ConstructorInjection {
        private final Router router;

        ConstructorInjection(Router router) {
            this.router = router;
        }

        @Test
        void recordsTheFirstTestsCallInItsLedger(FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<ctor-1>").replyText("one"));

            router.route(ask("<ctor-1>"));

            assertThat(calls.all()).extracting(LlmCall::answer).containsExactly("one");
        }

        @Test
        void recordsTheSecondTestsCallInItsLedger(FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<ctor-2>").replyText("two"));

            router.route(ask("<ctor-2>"));

            assertThat(calls.all()).extracting(LlmCall::answer).containsExactly("two");
        }
    }

    @Test
    void recordsCallsOfAConstructorInjectedRouterInTheLedgerOfTheTestMakingThem() {
        assertAllSucceeded(run(reportDir, ConstructorInjection.class), 2);
    }

    @LlmTest
    static class BeforeAllInjection {
        static String answer;

        @BeforeAll
        static void askOnce(Router router, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<before-all>").replyText("set up"));
            answer = router.route(ask("<before-all>")).chatResponse().aiMessage().text();
        }

        @Test
        void sawTheAnswer() {
            assertThat(answer).isEqualTo("set up");
        }
    }

    @Test
    void injectsARouterIntoAStaticBeforeAllMethod() {
        assertAllSucceeded(run(reportDir, BeforeAllInjection.class), 1);
    }
}
