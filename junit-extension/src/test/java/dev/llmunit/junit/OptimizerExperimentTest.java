package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.failureOfTest;
import static dev.llmunit.junit.InnerRuns.run;
import static dev.llmunit.junit.InnerRuns.runMethod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.optimize.QualityScorer;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.optimize.TaskType;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @OptimizerExperiment}: each test runs as arm A (no optimizer) and arm B (the optimizer's
 * rewrite), on fixtures of their own, and the report shows the paired effects.
 */
class OptimizerExperimentTest {

    @TempDir
    Path reportDir;

    /** A ticket with a greeting, the ticket quoted again and a sign-off: compression has work. */
    static ChatRequest ticket(String id) {
        String body = "Ticket " + id + ": the CSV export fails with error 500 since Tuesday for reports over 10 MB.";
        return ChatRequest.builder().messages(SystemMessage.from("Classify the ticket as BUG, BILLING or QUESTION."),
                UserMessage.from("Hi team,\n" + body + "\n> " + body + "\nThanks in advance!")).build();
    }

    /**
     * Arm A's request (it still has the sign-off) costs 500 input tokens; arm B's compressed request
     * matches only the older stub, 300 tokens. WireMock tries the newest stub first.
     */
    static void stubBothArms(FixtureServer server, String id, String answerA, String answerB) {
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Ticket " + id + ":")
                .replyText(answerB, reply -> reply.usage(300, 2)).withName(id + " arm B"));
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Ticket " + id + ":")
                .whenLastUserMessageContains("Thanks in advance").replyText(answerA, reply -> reply.usage(500, 2)).withName(id + " arm A"));
    }

    @LlmTest
    @OptimizerExperiment(optimizer = "compressing")
    static class Compressing {
        static QueryOptimizer compressing() {
            return QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression")
                    .scorer(QualityScorer.assertion(answer -> answer.equals("BUG"))).build();
        }

        @org.junit.jupiter.api.Test
        void first(Router router, FixtureServer server, LlmCalls calls) {
            stubBothArms(server, "T1", "BUG", "BUG");
            RoutedResponse response = router.route(ticket("T1"));
            assertThat(response.chatResponse().aiMessage().text()).isEqualTo("BUG");
            assertThat(calls.count()).as("each arm sees its own calls").isEqualTo(1);
        }

        @org.junit.jupiter.api.Test
        void second(Router router, FixtureServer server) {
            stubBothArms(server, "T2", "BUG", "BUG");
            assertThat(router.route(ticket("T2")).chatResponse().aiMessage().text()).isEqualTo("BUG");
        }

        @org.junit.jupiter.api.Test
        void third(Router router, FixtureServer server) {
            stubBothArms(server, "T3", "BUG", "BUG");
            assertThat(router.route(ticket("T3")).chatResponse().aiMessage().text()).isEqualTo("BUG");
        }
    }

    @Test
    void reportsThePairedEffectsWithIntervalsAndAVerdict() throws IOException {
        EngineExecutionResults results = run(reportDir, Compressing.class);

        assertThat(InnerRuns.failures(results)).isEmpty();
        JsonNode effects = new ObjectMapper().readTree(Files.readString(reportDir.resolve("report.json"))).path("optimizerEffects");
        JsonNode total = effects.path("total");
        assertThat(total.path("tests").asInt()).isEqualTo(3);
        // 502 tokens per call without, 302 with: 40 % fewer tokens and 39 % less cost ($0.0000462 against $0.0000762), the
        // same in every test, so the interval is a point
        assertThat(total.path("tokensRelative").path("estimate").asDouble()).isEqualTo(-0.3984);
        assertThat(total.path("costRelative").path("estimate").asDouble()).isNegative();
        assertThat(total.path("costRelative").path("high").asDouble()).isNegative();
        assertThat(total.path("quality").path("estimate").asDouble()).isZero();
        assertThat(total.path("verdict").asText()).startsWith("B is cheaper by 39 % [39, 39], no quality change detected; both arms"
                + " pass 3 of 3 tests.");
        JsonNode first = effects.path("tests").get(0);
        assertThat(first.path("a").path("tokens").asLong()).isEqualTo(502);
        assertThat(first.path("b").path("tokens").asLong()).isEqualTo(302);
        assertThat(first.path("delta").path("tokens").asLong()).isEqualTo(-200);
        assertThat(first.path("b").path("quality").asDouble()).isEqualTo(1.0);
        assertThat(Files.readString(reportDir.resolve("report.html"))).contains("<h2>Optimizer effects</h2>")
                .contains("B is cheaper by 39 %");
        JsonNode tests = new ObjectMapper().readTree(Files.readString(reportDir.resolve("report.json"))).path("tests");
        assertThat(tests.get(0).path("calls")).as("the report and gate see arm B's calls").hasSize(1);
        assertThat(tests.get(0).path("calls").get(0).path("fixture").asText()).endsWith("arm B");
    }

    @LlmTest
    @OptimizerExperiment(optimizer = "compressing")
    static class OnlyArmARecorded {
        static QueryOptimizer compressing() {
            return Compressing.compressing();
        }

        @org.junit.jupiter.api.Test
        void unrecorded(Router router, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Thanks in advance")
                    .replyText("BUG", reply -> reply.usage(500, 2)).withName("arm A only"));
            router.route(ticket("T9"));
        }
    }

    @Test
    void aRequestArmBHasNoRecordingForIsAMissingFixtureNamingTheArm() {
        Throwable failure = failureOfTest(runMethod(reportDir, OnlyArmARecorded.class, "unrecorded"), "unrecorded");

        assertThat(failure).hasMessageContaining("optimizer experiment " + OnlyArmARecorded.class.getName() + "#unrecorded: arm B (with "
                + "the optimizer) has no recorded fixture for 1 request")
                .hasMessageContaining("-Dllmunit.mode=auto")
                .hasMessageContaining("Ticket T9");
    }

    @LlmTest
    @OptimizerExperiment(optimizer = "compressing")
    static class ArmBAnswersWrong {
        static QueryOptimizer compressing() {
            return Compressing.compressing();
        }

        @org.junit.jupiter.api.Test
        void gatedOnB(Router router, FixtureServer server) {
            stubBothArms(server, "T4", "BUG", "QUESTION");
            assertThat(router.route(ticket("T4")).chatResponse().aiMessage().text()).isEqualTo("BUG");
        }

        @org.junit.jupiter.api.Test
        @OptimizerExperiment(optimizer = "compressing", gate = "A")
        void gatedOnA(Router router, FixtureServer server) {
            stubBothArms(server, "T5", "BUG", "QUESTION");
            assertThat(router.route(ticket("T5")).chatResponse().aiMessage().text()).isEqualTo("BUG");
        }
    }

    @Test
    void theTestPassesOrFailsByItsGatedArm() throws IOException {
        EngineExecutionResults results = run(reportDir, ArmBAnswersWrong.class);

        assertThat(failureOfTest(results, "gatedOnB")).hasMessageContaining("QUESTION");
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
        JsonNode total = new ObjectMapper().readTree(Files.readString(reportDir.resolve("report.json")))
                .path("optimizerEffects").path("total");
        assertThat(total.path("passedA").asInt()).isEqualTo(2);
        assertThat(total.path("passedB").asInt()).isZero();
        assertThat(total.path("quality").path("estimate").asDouble()).isEqualTo(-1.0);
        assertThat(total.path("verdict").asText()).contains("quality lower by 1 [1, 1]").contains("B passes 0 of 2 tests, A 2");
    }

    @LlmTest
    static class Configured {
        @org.junit.jupiter.api.Test
        void everyTestIsAnExperiment(Router router, FixtureServer server, LlmCalls calls) {
            stubBothArms(server, "T6", "BUG", "BUG");
            router.route(ticket("T6"));
        }
    }

    @Test
    void theConfigurationParameterMakesEveryTestAnExperimentWithTheStandardOptimizer() throws IOException {
        EngineExecutionResults results = run(reportDir, Map.of("llmunit.optimizer", "compare"), Configured.class);

        assertThat(InnerRuns.failures(results)).isEmpty();
        JsonNode effects = new ObjectMapper().readTree(Files.readString(reportDir.resolve("report.json"))).path("optimizerEffects");
        assertThat(effects.path("tests")).hasSize(1);
        assertThat(effects.path("total").path("verdict").asText()).contains("(one test: no interval)");
    }

    @Test
    void aBadConfigurationValueNamesTheSetting() {
        EngineExecutionResults results = run(reportDir, Map.of("llmunit.optimizer", "yes"), Configured.class);

        assertThat(failureOfTest(results, "everyTestIsAnExperiment")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("llmunit.optimizer is 'yes'; use 'compare' to run every test with and without the optimizer, or 'off'");
    }

    @LlmTest
    @OptimizerExperiment(optimizer = "nowhere")
    static class MissingFactory {
        @org.junit.jupiter.api.Test
        void test(Router router) {}
    }

    @Test
    void aMissingOptimizerMethodIsAConfigurationErrorWithTheFix() {
        Throwable failure = failureOfTest(runMethod(reportDir, MissingFactory.class, "test"), "test");

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@OptimizerExperiment(optimizer = \"nowhere\"): MissingFactory has no method nowhere(); declare 'static "
                        + "QueryOptimizer nowhere()' in MissingFactory");
    }
}
