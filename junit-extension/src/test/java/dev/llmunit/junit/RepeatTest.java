package dev.llmunit.junit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.failureOfTest;
import static dev.llmunit.junit.InnerRuns.runMethod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @LlmRepeat}: the body runs N times in one test, run n asks for recorded sample n, the
 * ledger shows the current run, and the reducer gives the verdict, reported with the Wilson interval.
 */
class RepeatTest {

    @TempDir
    Path reportDir;

    /** Three samples of one question: yes, no, yes. */
    static void stubSamples(FixtureServer server, String question) {
        String[] answers = {"yes", "no", "yes"};
        for (int sample = 1; sample <= answers.length; sample++) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(question)
                    .replyText(answers[sample - 1], reply -> reply.usage(100, 1))
                    .withHeader(FixtureServer.SAMPLE_HEADER, sample == 1 ? absent() : equalTo(Integer.toString(sample)))
                    .withName(question + " sample " + sample));
        }
    }

    @LlmTest
    static class Repeated {
        @org.junit.jupiter.api.Test
        @LlmRepeat(value = 3, reducer = "atLeast(2)")
        void mostlyYes(Router router, FixtureServer server, LlmCalls calls) {
            stubSamples(server, "<mostly-yes>");
            String answer = router.route(ask("<mostly-yes>")).chatResponse().aiMessage().text();
            assertThat(calls.count()).as("the ledger shows this run's calls").isEqualTo(1);
            assertThat(answer).isEqualTo("yes");
        }

        @org.junit.jupiter.api.Test
        @LlmRepeat(value = 3, reducer = "pass^3")
        void alwaysYes(Router router, FixtureServer server) {
            stubSamples(server, "<always-yes>");
            assertThat(router.route(ask("<always-yes>")).chatResponse().aiMessage().text()).isEqualTo("yes");
        }

        @org.junit.jupiter.api.Test
        @LlmRepeat(value = 2, reducer = "pass@3")
        void tooFewRuns() {}

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(strings = {"<first>", "<second>"})
        @LlmRepeat(value = 3, reducer = "atLeast(2)")
        void eachInvocation(String question, Router router, FixtureServer server) {
            stubSamples(server, question);
            assertThat(router.route(ask(question)).chatResponse().aiMessage().text()).isEqualTo("yes");
        }
    }

    @Test
    void eachInvocationOfAParameterizedTestRepeatsOnItsOwn() throws IOException {
        EngineExecutionResults results = runMethod(reportDir, Repeated.class, "eachInvocation");

        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
        JsonNode tests = new ObjectMapper().readTree(Files.readString(reportDir.resolve("report.json"))).path("tests");
        assertThat(tests.findValuesAsText("id")).containsExactly(Repeated.class.getName() + "#eachInvocation[1]",
                Repeated.class.getName() + "#eachInvocation[2]");
        assertThat(tests.get(1).path("repetitions").path("passedRuns").asInt()).isEqualTo(2);
    }

    @Test
    void passesByTheReducerAndPlaysADistinctSampleInEachRun() throws IOException {
        EngineExecutionResults results = runMethod(reportDir, Repeated.class, "mostlyYes");

        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
        JsonNode test = new ObjectMapper().readTree(Files.readString(reportDir.resolve("report.json"))).path("tests").get(0);
        assertThat(test.path("calls").findValuesAsText("answer")).containsExactly("yes", "no", "yes");
        assertThat(test.path("calls").findValuesAsText("fixture"))
                .containsExactly("<mostly-yes> sample 1", "<mostly-yes> sample 2", "<mostly-yes> sample 3");
        JsonNode repetitions = test.path("repetitions");
        assertThat(repetitions.path("reducer").asText()).isEqualTo("atLeast(2)");
        assertThat(repetitions.path("verdict").asText()).isEqualTo("passed");
        assertThat(repetitions.path("label").asText()).isEqualTo("flaky");
        assertThat(repetitions.path("outcomes").findValuesAsText("passed")).containsExactly("true", "false", "true");
        // Wilson 95 % for 2 of 3: 0.2077 to 0.9385
        assertThat(repetitions.path("wilsonLower").decimalValue()).isEqualByComparingTo("0.2077");
        assertThat(repetitions.path("wilsonUpper").decimalValue()).isEqualByComparingTo("0.9385");
    }

    @Test
    void failsWhenTheReducerDoesWithEveryFailedRun() {
        Throwable failure = failureOfTest(runMethod(reportDir, Repeated.class, "alwaysYes"), "alwaysYes");

        assertThat(failure).hasMessageContaining("2/3 runs passed (67 %, Wilson 95 % 21–94 %), flaky; pass^3 measured 0.000: FAILED")
                .hasMessageContaining("run 2: ").hasMessageContaining("\"no\"");
    }

    @Test
    void aReducerNeedingMoreRunsThanTheTestHasIsAConfigurationError() {
        Throwable failure = failureOfTest(runMethod(reportDir, Repeated.class, "tooFewRuns"), "tooFewRuns");

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("reducer pass@3 needs at least 3 runs, but the test repeats 2 times");
    }
}
