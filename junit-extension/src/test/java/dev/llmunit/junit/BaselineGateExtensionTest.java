package dev.llmunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The run-level part of the extension end to end: a real run writes {@code report.json} in the
 * contract's shape, {@code -Dllmunit.baseline=update} writes the baseline, a seeded regression
 * fails the regressed test itself listing before and after, and the run passes again once the
 * baseline is updated.
 */
class BaselineGateExtensionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHEAP = BaselineGateExtensionTest.class.getName() + "$Triage#cheap";

    @LlmTest(providers = "openai:gpt-4o-mini")
    static class Triage {

        @BeforeAll
        static void stub(FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("gate-cheap")
                    .withFixedDelay(Duration.ofMillis(40)).replyText("billing"));
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("gate-twice")
                    .withFixedDelay(Duration.ofMillis(60)).replyText("technical"));
        }

        @Test
        void cheap(Router router) {
            router.route(ChatRequest.builder().messages(UserMessage.from("gate-cheap")).build());
        }

        @Test
        void twice(Router router) {
            router.route(ChatRequest.builder().messages(UserMessage.from("gate-twice")).build());
            router.route(ChatRequest.builder().messages(UserMessage.from("gate-twice")).build());
        }
    }

    @org.junit.jupiter.params.ParameterizedClass
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gate-cheap", "gate-twice"})
    @LlmTest(providers = "openai:gpt-4o-mini")
    static class PerPrompt {

        @org.junit.jupiter.params.Parameter
        String prompt;

        @BeforeAll
        static void stub(FixtureServer server) {
            Triage.stub(server);
        }

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
        void asks(int times, Router router) {
            for (int i = 0; i < times; i++) {
                router.route(ChatRequest.builder().messages(UserMessage.from(prompt)).build());
            }
        }
    }

    @Test
    void givesEachInvocationOfAParameterizedClassAndTestItsOwnId(@TempDir Path dir) throws IOException {
        // WHEN a parameterized class runs a parameterized test: 2 x 2 invocations
        InnerRuns.assertAllSucceeded(InnerRuns.run(dir, Map.of("llmunit.baseline", "off"), PerPrompt.class), 4);

        // THEN each is its own test in the report (and so in the baseline), outer index first
        JsonNode tests = JSON.readTree(dir.resolve("report.json").toFile()).get("tests");
        String asks = PerPrompt.class.getName() + "#asks";
        assertThat(tests.findValuesAsText("id")).containsExactly(asks + "[1][1]", asks + "[1][2]", asks + "[2][1]", asks + "[2][2]");
        assertThat(tests.get(3).get("calls")).hasSize(2);
    }

    @Test
    void writesTheReportInTheContractsShape(@TempDir Path dir) throws IOException {
        // WHEN a run of two tests with three calls finishes
        EngineExecutionResults results = InnerRuns.run(dir, Map.of("llmunit.baseline", "off"), Triage.class);

        // THEN report.json has the contract's fields, exact decimal-string costs and stable order
        InnerRuns.assertAllSucceeded(results, 2);
        JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("tests")).hasSize(2);
        JsonNode cheap = report.get("tests").get(0);
        assertThat(cheap.get("id").asText()).isEqualTo(CHEAP);
        assertThat(cheap.get("status").asText()).isEqualTo("passed");
        assertThat(cheap.get("costUsd").isTextual()).isTrue();
        JsonNode call = cheap.get("calls").get(0);
        assertThat(call.fieldNames()).toIterable().contains("provider", "model", "inputTokens", "outputTokens", "cachedTokens",
                "reasoningTokens", "costUsd", "latencyMs", "attempts", "fixture");
        assertThat(call.get("provider").asText()).isEqualTo("openai");
        assertThat(call.get("costUsd").isTextual()).isTrue();
        assertThat(new BigDecimal(call.get("costUsd").asText())).isEqualByComparingTo(cheap.get("costUsd").asText());
        assertThat(call.get("latencyMs").asLong()).isEqualTo(40);
        assertThat(call.get("attempts").asInt()).isEqualTo(1);
        assertThat(call.get("fixture").asText()).startsWith("llmunit openai");
        assertThat(report.get("tests").get(1).get("calls")).hasSize(2);
        JsonNode totals = report.get("totals");
        assertThat(totals.get("tests").asInt()).isEqualTo(2);
        assertThat(totals.get("calls").asInt()).isEqualTo(3);
        assertThat(totals.get("costUsd").isTextual()).isTrue();
        assertThat(totals.get("latencyP50Ms").asLong()).isEqualTo(60);
        assertThat(totals.get("latencyP95Ms").asLong()).isEqualTo(60);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<div class=\"chart\"").doesNotContain("https://");
    }

    @Test
    void failsTheRunOnASeededRegressionAndPassesAfterUpdate(@TempDir Path dir) throws IOException {
        // GIVEN a baseline written by an update run
        Path baseline = dir.resolve("llmunit-baseline.json");
        Map<String, String> update = Map.of("llmunit.baseline", "update", "llmunit.baseline.file", baseline.toString());
        Map<String, String> check = Map.of("llmunit.baseline.file", baseline.toString());
        InnerRuns.assertAllSucceeded(InnerRuns.run(dir.resolve("update"), update, Triage.class), 2);
        assertThat(baseline).exists();
        InnerRuns.assertAllSucceeded(InnerRuns.run(dir.resolve("same"), check, Triage.class), 2);

        // WHEN the baseline says the cheap test used to cost half as much (a seeded +100 % regression)
        ObjectNode file = (ObjectNode) JSON.readTree(baseline.toFile());
        ObjectNode entry = (ObjectNode) file.get("tests").get(CHEAP);
        BigDecimal cost = new BigDecimal(entry.get("costUsd").asText());
        entry.put("costUsd", cost.divide(BigDecimal.valueOf(2)).toPlainString());
        JSON.writerWithDefaultPrettyPrinter().writeValue(baseline.toFile(), file);
        EngineExecutionResults regressed = InnerRuns.run(dir.resolve("regressed"), check, Triage.class);

        // THEN the regressed test itself fails (so a build counts it under its own name, not as an extra
        // test named after the engine), with its cost before and after and how to accept it
        assertThat(regressed.testEvents().succeeded().count()).isEqualTo(1);
        assertThat(regressed.containerEvents().failed().count()).as("failed containers (the engine, the class)").isZero();
        assertThat(InnerRuns.failures(regressed)).singleElement().asString()
                .startsWith("cheap(Router)")
                .contains(CHEAP).contains("cost").contains(cost.divide(BigDecimal.valueOf(2)).toPlainString())
                .contains("-Dllmunit.baseline=update");
        // AND the report says so too
        JsonNode report = JSON.readTree(dir.resolve("regressed").resolve("report.json").toFile());
        assertThat(report.get("totals").get("failed").asInt()).isEqualTo(1);

        // AND after updating, the same run passes again
        InnerRuns.assertAllSucceeded(InnerRuns.run(dir.resolve("update-again"), update, Triage.class), 2);
        InnerRuns.assertAllSucceeded(InnerRuns.run(dir.resolve("accepted"), check, Triage.class), 2);
    }

    @Test
    void aCorruptBaselineFailsEachTestNamingTheFileAndTheFixAndThisRunsReportIsStillWritten(@TempDir Path dir)
            throws IOException {
        // GIVEN a baseline cut off mid-file, and an old report from an earlier run in the report directory
        Path baseline = dir.resolve("llmunit-baseline.json");
        Files.writeString(baseline, "{\"version\": 1, \"tests\": {\"x#y\": {\"costUsd\": ");
        Path reports = Files.createDirectories(dir.resolve("report"));
        Files.writeString(reports.resolve("report.json"), "{\"stale\": true}");

        // WHEN
        EngineExecutionResults results = InnerRuns.run(reports, Map.of("llmunit.baseline.file", baseline.toString()), Triage.class);

        // THEN each test fails under its own name, saying which file is broken, where, and how to fix it
        assertThat(results.containerEvents().failed().count()).as("failed containers (the engine, the class)").isZero();
        assertThat(InnerRuns.failures(results)).hasSize(2).allSatisfy(failure -> assertThat(failure)
                .contains("cannot hold").contains(baseline.toString()).contains("is not valid JSON at line 1")
                .contains("-Dllmunit.baseline=update")
                .doesNotContain("Failed to close extension context"));
        // AND report.json is this run's, not the stale one
        JsonNode report = JSON.readTree(reports.resolve("report.json").toFile());
        assertThat(report.has("stale")).isFalse();
        assertThat(report.get("totals").get("tests").asInt()).isEqualTo(2);
    }

    @Test
    void keepsRedactsOrDropsPromptsAndAnswersInTheReportAsTheSettingSays(@TempDir Path dir) throws IOException {
        for (String setting : new String[] {"keep", "redact", "drop"}) {
            // WHEN
            InnerRuns.assertAllSucceeded(InnerRuns.run(dir.resolve(setting), Map.of("llmunit.baseline", "off",
                    "llmunit.excerpts", setting), Triage.class), 2);

            // THEN the cheap test's call keeps its prompt and answer only when told to
            JsonNode call = JSON.readTree(dir.resolve(setting).resolve("report.json").toFile()).get("tests").get(0).get("calls").get(0);
            String html = Files.readString(dir.resolve(setting).resolve("report.html"));
            switch (setting) {
                case "keep" -> {
                    assertThat(call.get("prompt").asText()).isEqualTo("gate-cheap");
                    assertThat(call.get("answer").asText()).isEqualTo("billing");
                }
                case "redact" -> {
                    assertThat(call.get("prompt").asText()).isEqualTo("[redacted: 10 characters]");
                    assertThat(call.get("answer").asText()).isEqualTo("[redacted: 7 characters]");
                    assertThat(html).doesNotContain("gate-cheap");
                }
                default -> {
                    assertThat(call.get("prompt").asText()).isEmpty();
                    assertThat(call.get("answer").asText()).isEmpty();
                    assertThat(html).doesNotContain("gate-cheap");
                }
            }
        }
    }

    @Test
    void failsTheRunWhenTheSuiteCostBudgetIsBroken(@TempDir Path dir) {
        // WHEN the suite may spend less than its three calls cost
        EngineExecutionResults results = InnerRuns.run(dir, Map.of("llmunit.baseline", "off", "llmunit.budget.suite.cost",
                "0.0000001"), Triage.class);

        // THEN the tests passed and the run failed on the suite budget
        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
        assertThat(InnerRuns.failures(results)).singleElement().asString()
                .contains("over the budget of $0.0000001 (llmunit.budget.suite.cost)").contains("Triage#twice: $0.0000042 in 2 calls");
    }
}
