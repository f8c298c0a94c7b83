package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.failureOfTest;
import static dev.llmunit.junit.InnerRuns.runMethod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/**
 * Cost, latency and confidence budgets, checked from the ledger after each test and class. Every
 * call here costs $0.00027 (1000 input tokens at $0.15/M, 200 output tokens at $0.60/M), and its
 * latency is its fixture's fixed delay, so every verdict is exact.
 */
class BudgetTest {

    @TempDir
    Path reportDir;

    /** Stubs a priced reply for a prompt and asks it. */
    static void askPriced(Router router, FixtureServer server, String prompt) {
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(prompt).replyText("ok", reply -> reply.usage(1000, 200))
                .withName("priced " + prompt));
        router.route(ask(prompt));
    }

    /** Stubs a reply with a fixed delay for a prompt and asks it. */
    static void askDelayed(Router router, FixtureServer server, String prompt, long millis) {
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(prompt).withFixedDelay(Duration.ofMillis(millis))
                .replyText("ok").withName("delayed " + prompt));
        router.route(ask(prompt));
    }

    private EngineExecutionResults runTest(Class<?> testClass, String method) {
        return runMethod(reportDir, testClass, method);
    }

    // ---- cost -----------------------------------------------------------------------------------------

    @LlmTest
    static class Cost {
        @Test
        @CostBudget(perCall = "0.0003", perTest = "0.0006")
        void withinBudget(Router router, FixtureServer server) {
            askPriced(router, server, "<cost-within-1>");
            askPriced(router, server, "<cost-within-2>");
        }

        @Test
        @CostBudget(perCall = "0.0002")
        void callOverBudget(Router router, FixtureServer server) {
            askPriced(router, server, "<cost-call>");
        }

        @Test
        @CostBudget(perTest = "0.0005")
        void testOverBudget(Router router, FixtureServer server) {
            askPriced(router, server, "<cost-test-1>");
            askPriced(router, server, "<cost-test-2>");
        }
    }

    @Test
    void passesATestWithinItsPerCallAndPerTestCostBudget() {
        assertAllSucceeded(runTest(Cost.class, "withinBudget"), 1);
    }

    @Test
    void failsATestWithACallOverItsPerCallBudgetListingTheCallWithItsCostAndFixture() {
        // WHEN
        Throwable failure = failureOfTest(runTest(Cost.class, "callOverBudget"), "callOverBudget");
        // THEN
        assertThat(failure).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("llmunit budget broken by " + Cost.class.getName() + "#callOverBudget")
                .hasMessageContaining("cost.perCall: $0.00027 against a limit of $0.0002")
                .hasMessageContaining("$0.00027")
                .hasMessageContaining("fixture priced <cost-call>");
    }

    @Test
    void failsATestWhoseCallsTogetherCostMoreThanItsPerTestBudget() {
        // WHEN
        Throwable failure = failureOfTest(runTest(Cost.class, "testOverBudget"), "testOverBudget");
        // THEN
        assertThat(failure).hasMessageContaining("cost.perTest: $0.00054 against a limit of $0.0005")
                .hasMessageContaining("fixture priced <cost-test-1>")
                .hasMessageContaining("fixture priced <cost-test-2>");
    }

    @LlmTest
    @CostBudget(perClass = "0.0005")
    static class ClassOverBudget {
        @Test
        void first(Router router, FixtureServer server) {
            askPriced(router, server, "<class-1>");
        }

        @Test
        void second(Router router, FixtureServer server) {
            askPriced(router, server, "<class-2>");
        }
    }

    @Test
    void failsTheClassThatGoesOverItsPerClassBudgetOnceAtItsEndAndReportsIt() throws Exception {
        // WHEN two tests of 0.00027 each run in a class allowed 0.0005
        EngineExecutionResults results = InnerRuns.run(reportDir, ClassOverBudget.class);

        // THEN both tests pass, and the class fails for its total, listing the class's calls in test order
        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
        assertThat(InnerRuns.failureOfContainer(results))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("llmunit budget broken by " + ClassOverBudget.class.getName() + ":")
                .hasMessageContaining("cost.perClass: $0.00054 against a limit of $0.0005")
                .hasMessageContaining("fixture priced <class-1>")
                .hasMessageContaining("fixture priced <class-2>");
        // AND the report counts the one breach, on the class
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(reportDir.resolve("report.json").toFile());
        assertThat(report.get("totals").get("budgetBreaches").asInt()).isEqualTo(1);
        assertThat(report.get("classBudgets")).singleElement().satisfies(budget -> {
            assertThat(budget.get("class").asText()).isEqualTo(ClassOverBudget.class.getName());
            assertThat(budget.get("actual").asText()).isEqualTo("0.00054");
            assertThat(budget.get("passed").asBoolean()).isFalse();
        });
    }

    @LlmTest
    @CostBudget(perClass = "0.001")
    static class ParallelClassOverBudget {
        @Test
        void first(Router router, FixtureServer server) {
            askPriced(router, server, "<parallel-1>");
        }

        @Test
        void second(Router router, FixtureServer server) {
            askPriced(router, server, "<parallel-2>");
        }

        @Test
        void third(Router router, FixtureServer server) {
            askPriced(router, server, "<parallel-3>");
        }

        @Test
        void fourth(Router router, FixtureServer server) {
            askPriced(router, server, "<parallel-4>");
        }
    }

    @Test
    void judgesAClassBudgetTheSameWayOnEveryParallelRun() throws Exception {
        java.util.Set<String> messages = new java.util.HashSet<>();
        for (int run = 0; run < 5; run++) {
            // WHEN four tests of 0.00027 each run concurrently in a class allowed 0.001
            EngineExecutionResults results = InnerRuns.run(reportDir.resolve("run-" + run), java.util.Map.of(
                    "junit.jupiter.execution.parallel.enabled", "true",
                    "junit.jupiter.execution.parallel.mode.default", "concurrent"), ParallelClassOverBudget.class);

            // THEN no test fails for the class; the class does, for its whole total
            assertThat(results.testEvents().succeeded().count()).isEqualTo(4);
            messages.add(InnerRuns.failureOfContainer(results).getMessage());
        }
        // AND the verdict, its actual and its message are the same on every run
        assertThat(messages).singleElement().asString().contains("cost.perClass: $0.00108 against a limit of $0.001");
    }

    @LlmTest
    @CostBudget(perCall = "0.0001")
    static class MethodOverridesClass {
        @Test
        @CostBudget(perCall = "0.001")
        void overridden(Router router, FixtureServer server) {
            askPriced(router, server, "<override>");
        }

        @Test
        void inherited(Router router, FixtureServer server) {
            askPriced(router, server, "<inherit>");
        }
    }

    @Test
    void letsAMethodsBudgetAttributeOverrideItsClasss() {
        assertAllSucceeded(runTest(MethodOverridesClass.class, "overridden"), 1);
    }

    @Test
    void appliesTheClasssBudgetToATestWithoutItsOwn() {
        assertThat(failureOfTest(runTest(MethodOverridesClass.class, "inherited"), "inherited"))
                .hasMessageContaining("cost.perCall: $0.00027 against a limit of $0.0001");
    }

    @LlmTest(providers = "openai:acme-llm-7b")
    static class UnknownPrice {
        @Test
        @CostBudget(perTest = "1")
        void unpriced(Router router, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("acme-llm-7b").replyText("cheap?"));
            router.route(ask("<unpriced>"));
        }
    }

    @Test
    void failsACostBudgetWhenACallsPriceIsUnknown() {
        assertThat(failureOfTest(runTest(UnknownPrice.class, "unpriced"), "unpriced"))
                .hasMessageContaining("cost.perTest: unknown against a limit of $1")
                .hasMessageContaining("openai/acme-llm-7b, cost unknown")
                .hasMessageContaining("(no price for its model)");
    }

    // ---- latency --------------------------------------------------------------------------------------

    @LlmTest
    static class Latency {
        @Test
        @LatencyBudget(perCall = "150ms", p95 = "150ms")
        void withinBudget(Router router, FixtureServer server) {
            askDelayed(router, server, "<fast-1>", 50);
            askDelayed(router, server, "<fast-2>", 150);
        }

        @Test
        @LatencyBudget(perCall = "100ms")
        void callOverBudget(Router router, FixtureServer server) {
            askDelayed(router, server, "<slow-call-1>", 50);
            askDelayed(router, server, "<slow-call-2>", 120);
        }

        @Test
        @LatencyBudget(p95 = "100ms")
        void percentileOverBudget(Router router, FixtureServer server) {
            askDelayed(router, server, "<p95-1>", 20);
            askDelayed(router, server, "<p95-2>", 40);
            askDelayed(router, server, "<p95-3>", 130);
        }
    }

    @Test
    void passesATestWhoseRecordedLatenciesAreWithinItsBudget() {
        assertAllSucceeded(runTest(Latency.class, "withinBudget"), 1);
    }

    @Test
    void failsATestWithACallSlowerThanItsPerCallBudgetListingThatCall() {
        assertThat(failureOfTest(runTest(Latency.class, "callOverBudget"), "callOverBudget"))
                .hasMessageContaining("latency.perCall: 120 ms against a limit of 100 ms")
                .hasMessageContaining("fixture delayed <slow-call-2>")
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("<slow-call-1>"));
    }

    @Test
    void failsATestWhoseP95LatencyIsOverBudget() {
        assertThat(failureOfTest(runTest(Latency.class, "percentileOverBudget"), "percentileOverBudget"))
                .hasMessageContaining("latency.p95: 130 ms against a limit of 100 ms")
                .hasMessageContaining("fixture delayed <p95-3>");
    }

    // ---- confidence -----------------------------------------------------------------------------------

    @LlmTest(fixtures = "ledger")
    static class Confidence {
        @Test
        @MinConfidence(0.8)
        void confidentEnough(Router router) {
            router.route(ask("How sure are you?")); // confidence exp(-0.2) = 0.819
        }

        @Test
        @MinConfidence(0.9)
        void notConfidentEnough(Router router) {
            router.route(ask("How sure are you?"));
        }

        @Test
        @MinConfidence(0.5)
        void confidenceUnknown(Router router, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<unsure>").replyText("who knows"));
            router.route(ask("<unsure>"));
        }
    }

    @Test
    void passesATestWhoseCallsAreConfidentEnough() {
        assertAllSucceeded(runTest(Confidence.class, "confidentEnough"), 1);
    }

    @Test
    void failsATestWithACallLessConfidentThanItsMinimum() {
        assertThat(failureOfTest(runTest(Confidence.class, "notConfidentEnough"), "notConfidentEnough"))
                .hasMessageContaining("confidence.min: 0.819 against a minimum of 0.900");
    }

    @Test
    void failsAMinimumConfidenceWhenTheConfidenceIsUnknownSayingSo() {
        assertThat(failureOfTest(runTest(Confidence.class, "confidenceUnknown"), "confidenceUnknown"))
                .hasMessageContaining("confidence.min: unknown against a minimum of 0.500")
                .hasMessageContaining("confidence unknown: the response had no log-probabilities");
    }
}
