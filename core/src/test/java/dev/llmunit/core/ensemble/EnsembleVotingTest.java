package dev.llmunit.core.ensemble;

import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.ScriptedChatModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Voting, clusters, samples and confidence over in-memory members. */
class EnsembleVotingTest {

    private static final ChatRequest QUESTION = request("Which category is a double charge?");

    @Test
    void majorityVoteChoosesTheAnswerMostMembersGave() {
        Ensemble ensemble = Ensemble.builder()
                .member("a", answering("BILLING"))
                .member("b", answering("billing."))
                .member("c", answering("Bug"))
                .build();

        EnsembleResult result = ensemble.run(QUESTION);

        assertThat(result.text()).isEqualTo("BILLING");
        assertThat(result.chosenId()).isEqualTo("a");
        assertThat(result.strategy()).isEqualTo("majorityVote");
        assertThat(result.agreement()).isEqualTo(2.0 / 3);
        assertThat(result.rawConfidence()).isEqualTo(2.0 / 3);
        assertThat(result.confidence()).isEqualTo(2.0 / 3);
        assertThat(result.calibrated()).isFalse();
        assertThat(result.agreedBy()).isEqualTo(2);
        assertThat(result.clusters()).extracting(AnswerCluster::key, AnswerCluster::members)
                .containsExactly(tuple("billing", List.of("a", "b")), tuple("bug", List.of("c")));
        assertThat(result.members()).extracting(MemberResult::id, MemberResult::outcome, MemberResult::key)
                .containsExactly(tuple("a", MemberOutcome.ANSWERED, "billing"), tuple("b", MemberOutcome.ANSWERED, "billing"),
                        tuple("c", MemberOutcome.ANSWERED, "bug"));
    }

    @Test
    void weightedConsensusLetsAHeavyMemberOutvoteTwoLightOnes() {
        EnsembleBuilder builder = Ensemble.builder()
                .member("expert", answering("BUG"), m -> m.weight(3))
                .member("b", answering("BILLING"))
                .member("c", answering("BILLING"));

        EnsembleResult weighted = builder.merge(MergeStrategy.weightedConsensus()).build().run(QUESTION);
        EnsembleResult majority = builder.merge(MergeStrategy.majorityVote()).build().run(QUESTION);

        assertThat(weighted.text()).isEqualTo("BUG");
        assertThat(weighted.agreement()).isEqualTo(3.0 / 5);
        assertThat(weighted.clusters().get(0).weightShare()).isEqualTo(3.0 / 5);
        assertThat(majority.text()).isEqualTo("BILLING");
        assertThat(majority.agreement()).isEqualTo(2.0 / 3);
    }

    @RepeatedTest(10)
    void aTieGoesToTheHeavierClusterThenToMemberOrderOnEveryRun() {
        EnsembleResult equalWeights = Ensemble.builder()
                .member("first", answering("BUG"))
                .member("second", answering("BILLING"))
                .build().run(QUESTION);
        EnsembleResult heavierSecond = Ensemble.builder()
                .member("first", answering("BUG"))
                .member("second", answering("BILLING"), m -> m.weight(2))
                .build().run(QUESTION);

        assertThat(equalWeights.chosenId()).isEqualTo("first");
        assertThat(heavierSecond.chosenId()).isEqualTo("second");
    }

    @Test
    void theHeaviestMemberSpeaksForItsCluster() {
        EnsembleResult result = Ensemble.builder()
                .member("light", answering("Billing"))
                .member("heavy", answering("BILLING"), m -> m.weight(2))
                .merge(MergeStrategy.weightedConsensus())
                .build().run(QUESTION);

        assertThat(result.chosenId()).isEqualTo("heavy");
        assertThat(result.text()).isEqualTo("BILLING");
    }

    @Test
    void samplesAreDistinctRequestsAndTheFirstIsTheRequestUnchanged() {
        List<ChatRequest> seen = new CopyOnWriteArrayList<>();
        ChatModel recording = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                seen.add(request);
                return ChatResponse.builder().aiMessage(AiMessage.from("BILLING")).build();
            }
        };

        EnsembleResult result = Ensemble.builder().member("openai", recording, m -> m.samples(3)).build().run(QUESTION);

        assertThat(result.members()).extracting(MemberResult::id).containsExactly("openai#1", "openai#2", "openai#3");
        assertThat(result.member("openai#1").orElseThrow().request()).isEqualTo(QUESTION);
        assertThat(result.member("openai#3").orElseThrow().request().messages()).containsExactly(
                SystemMessage.from("Independent sample 3 of 3."), UserMessage.from("Which category is a double charge?"));
        assertThat(seen).hasSize(3).doesNotHaveDuplicates();
        assertThat(result.agreement()).isEqualTo(1.0);
    }

    @Test
    void aSampleVariationThatRepeatsARequestFailsTheRunBeforeAnyCall() {
        ScriptedChatModel model = answering("x");
        Ensemble ensemble = Ensemble.builder()
                .member("openai", model, m -> m.samples(2))
                .sampleVariation((request, sample, samples) -> request)
                .build();

        assertThatThrownBy(() -> ensemble.run(QUESTION))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gave samples openai#1 and openai#2 the same request; samples must be distinct requests");
        assertThat(model.calls()).isZero();
    }

    @Test
    void membersRunInParallelOnTheRoutersExecutor() throws InterruptedException {
        CountDownLatch allStarted = new CountDownLatch(3);
        List<String> threads = new CopyOnWriteArrayList<>();
        ChatModel waitsForTheOthers = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                threads.add(Thread.currentThread().getName());
                allStarted.countDown();
                try {
                    // Answers only once all three calls are in flight at the same time: a sequential ensemble would wait forever.
                    if (!allStarted.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("members did not run in parallel");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
            }
        };

        EnsembleResult result = Ensemble.builder().member("a", waitsForTheOthers, m -> m.samples(3)).build().run(QUESTION);

        assertThat(result.answered()).hasSize(3);
        // The first sample on the calling thread (it would only wait otherwise), the others on the routers' executor.
        assertThat(threads).containsOnlyOnce(Thread.currentThread().getName());
        assertThat(threads).filteredOn(name -> name.startsWith("llmunit-router-")).hasSize(2);
    }

    @Test
    void aRouterMemberIsUsedAsItIsAndAPlainModelGetsItsOwnRouter() {
        Router router = Router.builder().provider("openai", answering("BILLING")).build();
        Ensemble ensemble = Ensemble.builder().name("triage").member("routed", router).member("plain", answering("BILLING")).build();

        assertThat(ensemble.members()).extracting(EnsembleMember::name, EnsembleMember::weight, EnsembleMember::samples)
                .containsExactly(tuple("routed", 1.0, 1), tuple("plain", 1.0, 1));
        assertThat(ensemble.members().get(0).router()).isSameAs(router);
        assertThat(ensemble.members().get(1).router().providers()).containsExactly("plain");
        assertThat(ensemble.run(QUESTION).member("plain").orElseThrow().provider()).isEqualTo("plain");
    }

    @Test
    void dropsIntoLangChain4jAsAChatModel() {
        ChatModel model = Ensemble.builder().member("a", answering("BILLING")).member("b", answering("billing")).build();

        assertThat(model.chat("Which category is a double charge?")).isEqualTo("BILLING");
        assertThat(model.chat(QUESTION).aiMessage().text()).isEqualTo("BILLING");
    }

    @Test
    void totalsAddUpEveryMembersTokensAndExactCost() {
        // gpt-4o-mini: 100 input x $0.15/M + 10 output x $0.60/M = $0.000021 per member
        EnsembleResult result = Ensemble.builder()
                .member("a", answeringWithUsage("BILLING", "gpt-4o-mini", 100, 10), m -> m.modelName("gpt-4o-mini"))
                .member("b", answeringWithUsage("BILLING", "gpt-4o-mini", 100, 10), m -> m.modelName("gpt-4o-mini"))
                .build().run(QUESTION);

        assertThat(result.totalCost()).isEqualTo(usd("0.000042"));
        assertThat(result.member("a").orElseThrow().cost()).isEqualTo(usd("0.000021"));
        assertThat(result.unpricedCalls()).isZero();
        assertThat(result.totalUsage().inputTokens()).isEqualTo(200);
        assertThat(result.totalUsage().outputTokens()).isEqualTo(20);
        assertThat(result.trace().attempts()).extracting(attempt -> attempt.provider()).containsExactly("a", "b");
        assertThat(result.trace().totalCost()).isEqualTo(usd("0.000042"));
        assertThat(result.latency()).isPositive();
    }

    @Test
    void aCalibrationMapsTheRawConfidence() {
        ConfidenceCalibration calibration = ConfidenceCalibration.histogram(List.of(
                new LabelledConfidence(2.0 / 3, true), new LabelledConfidence(2.0 / 3, false),
                new LabelledConfidence(1.0, true)));
        EnsembleResult result = Ensemble.builder()
                .member("a", answering("BILLING")).member("b", answering("BILLING")).member("c", answering("BUG"))
                .calibration(calibration)
                .build().run(QUESTION);

        assertThat(result.rawConfidence()).isEqualTo(2.0 / 3);
        assertThat(result.calibratedConfidence()).isEqualTo(0.5);
        assertThat(result.confidence()).isEqualTo(0.5);
        assertThat(result.calibrated()).isTrue();
    }

    @Test
    void aFailedMemberCountsAsNotAgreeing() {
        EnsembleResult result = Ensemble.builder()
                .member("a", answering("BILLING"))
                .member("b", answering("BILLING"))
                .member("down", ScriptedChatModel.failingWith(ScriptedChatModel::invalidRequest))
                .build().run(QUESTION);

        assertThat(result.agreement()).isEqualTo(2.0 / 3);
        MemberResult down = result.member("down").orElseThrow();
        assertThat(down.outcome()).isEqualTo(MemberOutcome.FAILED);
        assertThat(down.reason()).startsWith("INVALID_REQUEST: ");
        assertThat(down.error()).isInstanceOf(dev.llmunit.core.error.LlmException.InvalidRequest.class);
    }
}
