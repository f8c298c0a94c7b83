package dev.llmunit.junit;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.configurationError;
import static dev.llmunit.junit.InnerRuns.failureOfTest;
import static dev.llmunit.junit.InnerRuns.runMethod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.ensemble.AnswerKey;
import dev.llmunit.core.ensemble.ConfidenceCalibration;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.ensemble.LabelledConfidence;
import dev.llmunit.core.ensemble.MemberOutcome;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.AnthropicFixtures;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Ensembles under {@code @LlmTest}: an {@code @LlmRouter} factory returning an {@link Ensemble},
 * injection, the ledger's member calls (each with its fixture), budgets over every member,
 * {@code @MinConfidence} on the ensemble's confidence, and the report. Each triage below asks two
 * OpenAI samples ($0.00027 each: 1000 in, 200 out at gpt-4o-mini prices) and one Anthropic member
 * ($0.0002: 100 in, 20 out at claude-haiku-4-5 prices); the samples say BILLING, Anthropic says BUG.
 */
class EnsembleExtensionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path reportDir;

    /** The triage ensemble every inner class uses. */
    static Ensemble triage(FixtureServer fixtures, ConfidenceCalibration calibration) {
        var builder = Ensemble.builder()
                .name("triage")
                .member("openai", FixtureModels.openAiChat(fixtures, "gpt-4o-mini"), m -> m.samples(2))
                .member("anthropic", FixtureModels.anthropicChat(fixtures, "claude-haiku-4-5"))
                .answerKey(AnswerKey.jsonPointer("/category"));
        return (calibration == null ? builder : builder.calibration(calibration)).build();
    }

    /** Stubs the three members' answers to one ticket, each sample with its own fixture. */
    static void stubTicket(FixtureServer fixtures, String ticket, long openAiDelayMillis) {
        fixtures.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(ticket)
                .withFixedDelay(Duration.ofMillis(openAiDelayMillis))
                .replyText("{\"category\": \"BILLING\"}", reply -> reply.usage(1000, 200))
                .withRequestBody(notContaining("Independent sample")).withName("openai " + ticket + " sample 1"));
        fixtures.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains(ticket)
                .withFixedDelay(Duration.ofMillis(openAiDelayMillis))
                .replyText("{\"category\": \"BILLING\"}", reply -> reply.usage(1000, 200))
                .withRequestBody(containing("Independent sample 2 of 2.")).withName("openai " + ticket + " sample 2"));
        fixtures.stub(AnthropicFixtures.messages().whenLastUserMessageContains(ticket)
                .withFixedDelay(Duration.ofMillis(30))
                .replyText("{\"category\": \"BUG\"}", reply -> reply.usage(100, 20))
                .withName("anthropic " + ticket));
    }

    static final AtomicReference<EnsembleResult> SEEN_AFTER_EACH = new AtomicReference<>();
    static final AtomicReference<LlmCalls> LEDGER = new AtomicReference<>();

    @LlmTest
    static class Triage {
        @LlmRouter
        static Ensemble ensemble(FixtureServer fixtures) {
            return triage(fixtures, null);
        }

        @Test
        void votes(Ensemble ensemble, ChatModel model, FixtureServer fixtures, LlmCalls calls) {
            stubTicket(fixtures, "<votes>", 40);
            EnsembleResult result = ensemble.run(InnerRuns.ask("<votes>"));

            assertThat(result).chose("openai").agreedBy(2).hasClusters(2).memberAnswered("anthropic", "BUG");
            assertThat(model).isSameAs(ensemble);
            LEDGER.set(calls);
        }

        @AfterEach
        void afterwards(EnsembleResult last) {
            SEEN_AFTER_EACH.set(last);
        }
    }

    @Test
    void recordsTheEnsembleRunWithEachMemberCallAndItsFixture() {
        // WHEN
        assertAllSucceeded(runMethod(reportDir, Triage.class, "votes"), 1);

        // THEN every member's provider call is a call of its own, with its fixture, cost and recorded latency
        LlmCalls calls = LEDGER.get();
        assertThat(calls.all()).extracting(LlmCall::source, LlmCall::fixture, LlmCall::cost, call -> call.judgedLatency().toMillis())
                .containsExactlyInAnyOrder(
                        tuple("triage/openai#1", "openai <votes> sample 1", usd("0.00027"), 40L),
                        tuple("triage/openai#2", "openai <votes> sample 2", usd("0.00027"), 40L),
                        tuple("triage/anthropic", "anthropic <votes>", usd("0.0002"), 30L));
        assertThat(calls.totalCost()).isEqualTo(usd("0.00074"));
        // AND the run ties them together
        assertThat(calls.ensembles()).singleElement().satisfies(run -> {
            assertThat(run.source()).isEqualTo("triage");
            assertThat(run.chosen()).isEqualTo("openai#1");
            assertThat(run.confidence()).isEqualTo(2.0 / 3);
            assertThat(run.calibrated()).isFalse();
            assertThat(run.cost()).isEqualTo(usd("0.00074"));
            assertThat(run.judgedLatency()).as("the slowest member: they run in parallel").isEqualTo(Duration.ofMillis(40));
            assertThat(run.members()).extracting(EnsembleCall.Member::id, EnsembleCall.Member::outcome, EnsembleCall.Member::key)
                    .containsExactly(tuple("openai#1", MemberOutcome.ANSWERED, "BILLING"), tuple("openai#2", MemberOutcome.ANSWERED, "BILLING"),
                            tuple("anthropic", MemberOutcome.ANSWERED, "BUG"));
            assertThat(run.calls()).containsExactlyInAnyOrderElementsOf(calls.all());
        });
        // AND @AfterEach got the run's result injected
        assertThat(SEEN_AFTER_EACH.get().chosenId()).isEqualTo("openai#1");
    }

    @LlmTest
    static class Budgeted {
        @LlmRouter
        static Ensemble ensemble(FixtureServer fixtures) {
            return triage(fixtures, null);
        }

        @Test
        @CostBudget(perTest = "0.0007")
        void overItsCostBudget(Ensemble ensemble, FixtureServer fixtures) {
            stubTicket(fixtures, "<cost>", 0);
            ensemble.chat(InnerRuns.ask("<cost>"));
        }

        @Test
        @LatencyBudget(perCall = "100ms")
        void overItsLatencyBudget(ChatModel ensemble, FixtureServer fixtures) {
            stubTicket(fixtures, "<latency>", 150);
            ensemble.chat(InnerRuns.ask("<latency>"));
        }

        @Test
        @MinConfidence(0.6)
        void confidentEnoughWithoutAnyLogProbabilities(Ensemble ensemble, FixtureServer fixtures) {
            stubTicket(fixtures, "<confident>", 0);
            ensemble.run(InnerRuns.ask("<confident>"));
        }

        @Test
        @MinConfidence(0.9)
        void notConfidentEnough(Ensemble ensemble, FixtureServer fixtures) {
            stubTicket(fixtures, "<unsure>", 0);
            ensemble.run(InnerRuns.ask("<unsure>"));
        }
    }

    @Test
    void aCostBudgetCountsEveryMember() {
        Throwable failure = failureOfTest(runMethod(reportDir, Budgeted.class, "overItsCostBudget"), "overItsCostBudget");

        assertThat(failure).hasMessageContaining("cost.perTest: $0.00074 against a limit of $0.0007")
                .hasMessageContaining("fixture openai <cost> sample 2").hasMessageContaining("fixture anthropic <cost>");
    }

    @Test
    void aLatencyBudgetJudgesEveryMemberCall() {
        Throwable failure = failureOfTest(runMethod(reportDir, Budgeted.class, "overItsLatencyBudget"), "overItsLatencyBudget");

        assertThat(failure).hasMessageContaining("latency.perCall: 150 ms against a limit of 100 ms")
                .hasMessageContaining("fixture openai <latency> sample 1").hasMessageNotContaining("fixture anthropic <latency>");
    }

    @Test
    void minConfidenceJudgesTheEnsemblesConfidenceNotItsMembers() {
        // The Anthropic member has no log-probabilities, so a plain call of it has no confidence; the ensemble's is 2/3.
        assertAllSucceeded(runMethod(reportDir, Budgeted.class, "confidentEnoughWithoutAnyLogProbabilities"), 1);

        Throwable failure = failureOfTest(runMethod(reportDir, Budgeted.class, "notConfidentEnough"), "notConfidentEnough");
        assertThat(failure).hasMessageContaining("confidence.min: 0.667 against a minimum of 0.900")
                .hasMessageContaining("ensemble #1 'triage' chose openai#1, confidence 0.67");
    }

    @LlmTest
    static class Calibrated {
        @LlmRouter
        static Ensemble ensemble(FixtureServer fixtures) {
            // Runs where two of three agreed were right 19 times in 20 on this (made-up) labelled set.
            List<LabelledConfidence> labelled = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                labelled.add(new LabelledConfidence(2.0 / 3, i < 19));
            }
            return triage(fixtures, ConfidenceCalibration.histogram(labelled));
        }

        @Test
        @MinConfidence(0.9)
        void confidentOnceCalibrated(Ensemble ensemble, FixtureServer fixtures, LlmCalls calls) {
            stubTicket(fixtures, "<calibrated>", 0);
            ensemble.run(InnerRuns.ask("<calibrated>"));
            LEDGER.set(calls);
        }
    }

    @Test
    void minConfidenceUsesTheCalibratedConfidenceWhereTheEnsembleHasOne() {
        assertAllSucceeded(runMethod(reportDir, Calibrated.class, "confidentOnceCalibrated"), 1);

        EnsembleCall run = LEDGER.get().ensembles().get(0);
        assertThat(run.calibrated()).isTrue();
        assertThat(run.confidence()).isEqualTo(0.95);
        assertThat(run.rawConfidence()).isEqualTo(2.0 / 3);
    }

    @Test
    void theReportShowsEachEnsembleRunWithMembersClustersVotesConfidenceAndCost() throws Exception {
        // WHEN
        InnerRuns.run(reportDir, Triage.class);

        // THEN
        JsonNode test = JSON.readTree(reportDir.resolve("report.json").toFile()).get("tests").get(0);
        JsonNode run = test.get("ensembles").get(0);
        assertThat(run.get("ensemble").asText()).isEqualTo("triage");
        assertThat(run.get("strategy").asText()).isEqualTo("majorityVote");
        assertThat(run.get("chosen").asText()).isEqualTo("openai#1");
        assertThat(run.get("confidence").asDouble()).isEqualTo(2.0 / 3);
        assertThat(run.get("costUsd").asText()).isEqualTo("0.00074");
        assertThat(run.get("members")).extracting(member -> member.get("id").asText() + " " + member.get("outcome").asText() + " "
                + member.get("key").asText() + " call " + member.get("callSequence").asInt())
                .containsExactly("openai#1 answered BILLING call 1", "openai#2 answered BILLING call 2", "anthropic answered BUG call 3");
        assertThat(test.get("calls").get(2).get("source").asText()).isEqualTo("triage/anthropic");
        assertThat(test.get("calls").get(2).get("fixture").asText()).isEqualTo("anthropic <votes>");
        assertThat(run.get("clusters")).extracting(cluster -> cluster.get("key").asText() + " " + cluster.get("votes").asInt())
                .containsExactly("BILLING 2", "BUG 1");
        assertThat(java.nio.file.Files.readString(reportDir.resolve("report.html"))).contains("triage", "openai#2", "BILLING");
    }

    @LlmTest
    static class RouterFactory {
        @LlmRouter
        static Router router(FixtureServer fixtures) {
            return Router.builder().provider("openai", FixtureModels.openAiChat(fixtures, "gpt-4o-mini")).build();
        }

        @Test
        void asksForAnEnsemble(Ensemble ensemble) {}

        @Test
        void asksForAResultInATest(EnsembleResult result) {}
    }

    @Test
    void anEnsembleParameterNeedsAnEnsembleFactory() {
        Throwable failure = failureOfTest(runMethod(reportDir, RouterFactory.class, "asksForAnEnsemble"), "asksForAnEnsemble");

        assertThat(configurationError(failure)).hasMessageContaining("returns a Router, so there is no Ensemble to inject")
                .hasMessageContaining("return an Ensemble from the @LlmRouter method");
    }

    @Test
    void anEnsembleResultExistsOnlyAfterTheRunSoATestCannotTakeOne() {
        Throwable failure = failureOfTest(runMethod(reportDir, RouterFactory.class, "asksForAResultInATest"), "asksForAResultInATest");

        assertThat(configurationError(failure)).hasMessageContaining("inject it into an @AfterEach method")
                .hasMessageContaining("calls.ensembles()");
    }
}
