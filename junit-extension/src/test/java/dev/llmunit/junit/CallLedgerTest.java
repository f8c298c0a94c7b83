package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.run;
import static dev.llmunit.junit.InnerRuns.runMethod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.AnthropicFixtures;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the call ledger records about each call a test makes. */
class CallLedgerTest {

    @TempDir
    Path reportDir;

    // ---- a served call --------------------------------------------------------------------------------

    @LlmTest(providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
    static class ServedCall {
        @Test
        void providerModelAndTokens(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<tokens>")
                    .replyText("counted", reply -> reply.usage(1000, 200).cachedTokens(400).reasoningTokens(50)));

            router.route(ask("<tokens>"));

            LlmCall call = calls.last();
            assertThat(call.provider()).isEqualTo("openai");
            assertThat(call.model()).isEqualTo("gpt-4o-mini-2024-07-18");
            assertThat(call.usage()).isEqualTo(new Usage(1000, 200, 400, 0, 50));
            assertThat(call.prompt()).isEqualTo("<tokens>");
            assertThat(call.answer()).isEqualTo("counted");
        }

        @Test
        void exactCost(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<cost>")
                    .replyText("priced", reply -> reply.usage(1000, 200).cachedTokens(400)));

            router.route(ask("<cost>"));

            // 600 uncached input tokens at $0.15/M, 400 cached at $0.075/M, 200 output at $0.60/M
            assertThat(calls.last().cost()).isEqualTo(Usd.usd("0.00024"));
            assertThat(calls.totalCost()).isEqualTo(Usd.usd("0.00024"));
        }

        @Test
        void judgedLatencyIsTheFixturesDelay(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<delay>").withFixedDelay(Duration.ofMillis(120))
                    .replyText("slow"));

            router.route(ask("<delay>"));

            assertThat(calls.last().latencyRecorded()).isTrue();
            assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(120));
        }

        @Test
        void fixtureName(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<named>").replyText("named")
                    .withName("refund request"));

            router.route(ask("<named>"));

            assertThat(calls.last().fixture()).isEqualTo("refund request");
        }

        @Test
        void fallsBackWithoutRetryingAProviderWhoseQuotaIsGone(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<quota>").insufficientQuota());
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("<quota>").replyText("claude answers"));

            router.route(ask("<quota>"));

            LlmCall call = calls.last();
            assertThat(call.provider()).isEqualTo("anthropic");
            assertThat(call.fallbacks()).containsExactly("openai");
            assertThat(call.attempts()).extracting(CallAttempt::provider, CallAttempt::error)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("openai", ErrorKind.QUOTA_EXHAUSTED),
                            org.assertj.core.groups.Tuple.tuple("anthropic", null));
        }
    }

    @Test
    void recordsProviderModelTokensCostLatencyAndFixtureOfEachCall() {
        assertAllSucceeded(run(reportDir, ServedCall.class), 5);
    }

    // ---- confidence -----------------------------------------------------------------------------------

    @LlmTest(fixtures = "ledger")
    static class RecordedFixtureWithLogprobs {
        @Test
        void confidenceFromLogprobs(Router router, LlmCalls calls) {
            router.route(ask("How sure are you?"));

            LlmCall call = calls.last();
            // the tokens' log-probabilities are -0.1 and -0.3: exp(mean) = exp(-0.2)
            assertThat(call.confidence()).isCloseTo(Math.exp(-0.2), within(1e-9));
            assertThat(call.fixture()).isEqualTo("openai-gpt-4o-mini-how-sure"); // its file, mappings/openai-gpt-4o-mini-how-sure.json
            dev.llmunit.assertj.LlmAssertions.assertThat(call).usedFixture("openai-gpt-4o-mini-how-sure")
                    .usedFixture("openai-gpt-4o-mini-how-sure.json");
            assertThat(call.judgedLatency()).isEqualTo(Duration.ofMillis(420));
        }

        @Test
        void noConfidenceWithoutLogprobs(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<no-logprobs>").replyText("maybe"));

            router.route(ask("<no-logprobs>"));

            assertThat(calls.last().confidence()).isNull();
        }
    }

    @Test
    void recordsConfidenceFromOpenAiLogprobsAndNoneWithout() {
        assertAllSucceeded(run(reportDir, RecordedFixtureWithLogprobs.class), 2);
    }

    // ---- recordings made by other tools ---------------------------------------------------------------

    /** WireMock-recorder files (test resources other-tools): real paths (/v1), no llmunit metadata, WireMock's names. */
    @LlmTest(fixtures = "other-tools", providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
    static class RecordingsOfOtherTools {
        @Test
        void areServedFromFixturesWithZeroLatency(Router router, LlmCalls calls) {
            router.route(ask("Is a double charge a billing issue?"));

            org.assertj.core.api.Assertions.assertThat(calls.last().fixture()).isEqualTo("v1_chat_completions-9d4b2c7e-5a13-4f08-b6e2-7c1a3e5d9f40");
            dev.llmunit.assertj.LlmAssertions.assertThat(calls).hasSize(1).servedFromFixtures();
            assertThat(calls.last().latencyRecorded()).isTrue();
            assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ZERO);
            // 19 input tokens at $0.15/M, 10 output at $0.60/M
            assertThat(calls.last().cost()).isEqualTo(Usd.usd("0.00000885"));
        }

        @Test
        void reachTheSecondProviderAtItsRealPathToo(@LlmModel("anthropic") dev.langchain4j.model.chat.ChatModel claude,
                LlmCalls calls) {
            claude.chat(ask("Is a double charge a billing issue?"));

            assertThat(calls.last().fixture()).isEqualTo("v1_messages-4e7a1d3b-8c26-4b95-a1f0-6d2c8e4b7a13");
            assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void countsRecordingsOfOtherToolsAsFixtures() {
        assertAllSucceeded(run(reportDir, RecordingsOfOtherTools.class), 2);
    }

    // ---- retries, fallbacks, failures -----------------------------------------------------------------

    @LlmTest
    static class Fallbacks {
        @LlmRouter
        static Router router(FixtureServer server) {
            return Router.builder()
                    .provider("openai", FixtureModels.openAiChat(server, "gpt-4o-mini"))
                    .provider("anthropic", FixtureModels.anthropicChat(server, "claude-haiku-4-5"))
                    .retry(retry -> retry.maxRetries(1).initialBackoff(Duration.ofMillis(10)).jitter(0))
                    .build();
        }

        @Test
        void afterServerErrors(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<500>").serverError());
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("<500>").replyText("claude answers"));

            router.route(ask("<500>"));

            LlmCall call = calls.last();
            assertThat(call.provider()).isEqualTo("anthropic");
            assertThat(call.answer()).isEqualTo("claude answers");
            assertThat(call.fallbacks()).containsExactly("openai");
            assertThat(call.retries()).isEqualTo(1);
            assertThat(call.attempts()).extracting(CallAttempt::provider, CallAttempt::retry, CallAttempt::error)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("openai", 0, ErrorKind.PROVIDER_UNAVAILABLE),
                            org.assertj.core.groups.Tuple.tuple("openai", 1, ErrorKind.PROVIDER_UNAVAILABLE),
                            org.assertj.core.groups.Tuple.tuple("anthropic", 0, null));
        }

        @Test
        void afterRateLimits(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<429>").rateLimited());
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("<429>").replyText("claude answers"));

            router.route(ask("<429>"));

            LlmCall call = calls.last();
            assertThat(call.provider()).isEqualTo("anthropic");
            assertThat(call.fallbacks()).containsExactly("openai");
            assertThat(call.attempts()).extracting(CallAttempt::error)
                    .containsExactly(ErrorKind.RATE_LIMITED, ErrorKind.RATE_LIMITED, null);
        }

        @Test
        void whenEveryProviderFails(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<down>").serverError());
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("<down>").overloaded());

            assertThatThrownBy(() -> router.route(ask("<down>"))).isInstanceOf(LlmException.AllProvidersFailed.class);

            LlmCall call = calls.last();
            assertThat(call.succeeded()).isFalse();
            assertThat(call.error()).isEqualTo(ErrorKind.PROVIDER_UNAVAILABLE);
            assertThat(call.provider()).isNull();
            assertThat(call.answer()).isEmpty();
            assertThat(call.cost()).isEqualTo(Usd.ZERO);
            assertThat(call.attempts()).extracting(CallAttempt::provider).containsExactly("openai", "openai", "anthropic", "anthropic");
        }

        @Test
        void whenAFallbackEndsInAFailureTheRouterDoesNotFallBackOn(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<bad>").withFixedDelay(Duration.ofMillis(40))
                    .serverError());
            server.stub(AnthropicFixtures.messages().whenLastUserMessageContains("<bad>").withFixedDelay(Duration.ofMillis(30))
                    .replyError(400, "invalid_request_error", "messages: too many"));

            assertThatThrownBy(() -> router.route(ask("<bad>"))).isInstanceOf(LlmException.InvalidRequest.class);

            // every attempt before the invalid request is still there, with its recorded latency
            LlmCall call = calls.last();
            assertThat(call.error()).isEqualTo(ErrorKind.INVALID_REQUEST);
            assertThat(call.attempts()).extracting(CallAttempt::provider, CallAttempt::error)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("openai", ErrorKind.PROVIDER_UNAVAILABLE),
                            org.assertj.core.groups.Tuple.tuple("openai", ErrorKind.PROVIDER_UNAVAILABLE),
                            org.assertj.core.groups.Tuple.tuple("anthropic", ErrorKind.INVALID_REQUEST));
            assertThat(call.judgedLatency()).isEqualTo(Duration.ofMillis(40 + 10 + 40 + 30));
        }
    }

    @Test
    void recordsEveryAttemptOfACallEndedByAFailureTheRouterDoesNotFallBackOn() {
        assertAllSucceeded(runMethod(reportDir, Fallbacks.class, "whenAFallbackEndsInAFailureTheRouterDoesNotFallBackOn"), 1);
    }

    @Test
    void recordsEachAttemptOfACallThatFellBackAfterServerErrors() {
        assertAllSucceeded(runMethod(reportDir, Fallbacks.class, "afterServerErrors"), 1);
    }

    @Test
    void recordsEachAttemptOfACallThatFellBackAfterRateLimits() {
        assertAllSucceeded(runMethod(reportDir, Fallbacks.class, "afterRateLimits"), 1);
    }

    @Test
    void recordsAFailedCallWithItsErrorKindWhenEveryProviderFails() {
        assertAllSucceeded(runMethod(reportDir, Fallbacks.class, "whenEveryProviderFails"), 1);
    }
}
