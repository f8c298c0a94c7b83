package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input fails where it enters, with a message that names the value and what would be valid. */
class FixtureValidationTest {

    @Nested
    class OpenAiReplies {

        @Test
        void rejectsNegativePromptTokens() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyText("ok", reply -> reply.usage(-1, 5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("promptTokens must not be negative, but was -1");
        }

        @Test
        void rejectsNegativeCompletionTokens() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyText("ok", reply -> reply.usage(5, -2)))
                    .hasMessage("completionTokens must not be negative, but was -2");
        }

        @Test
        void rejectsNegativeCachedTokens() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletionJson("ok", reply -> reply.cachedTokens(-768)))
                    .hasMessage("cachedTokens must not be negative, but was -768");
        }

        @Test
        void rejectsMoreCachedTokensThanPromptTokens() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyText("ok", reply -> reply.usage(812, 14).cachedTokens(900)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cachedTokens must not exceed promptTokens, but was 900 > 812");
        }

        @Test
        void saysWhenCachedTokensExceedTheDefaultPromptTokens() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyText("ok", reply -> reply.cachedTokens(768)))
                    .hasMessage("cachedTokens must not exceed promptTokens, but was 768 > 10 "
                            + "(the default; set usage(promptTokens, completionTokens))");
        }

        @Test
        void rejectsMoreReasoningTokensThanCompletionTokens() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyStream("ok", reply -> reply.usage(10, 14).reasoningTokens(15)))
                    .hasMessage("reasoningTokens must not exceed completionTokens, but was 15 > 14");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\n\t"})
        void rejectsBlankContent(String content) {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyText(content))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("content must not be blank, but was '" + content + "'");
        }

        @Test
        void rejectsNullContent() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyStream(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("content must not be null");
        }

        @Test
        void rejectsAnUnknownFinishReason() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletionJson("ok", reply -> reply.finishReason("done")))
                    .hasMessage("finishReason must be one of content_filter, function_call, length, stop, tool_calls, but was 'done'");
        }

        @Test
        void rejectsAnUnknownServiceTier() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletionJson("ok", reply -> reply.serviceTier("gold")))
                    .hasMessage("serviceTier must be one of auto, default, flex, priority, scale, but was 'gold'");
        }

        @Test
        void rejectsABlankModel() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletionJson("ok", reply -> reply.model(" ")))
                    .hasMessage("model must not be blank, but was ' '");
        }

        @Test
        void rejectsChunksThatDoNotSpellTheContent() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyStream("Billing", reply -> reply.chunks(List.of("Bill", "ng"))))
                    .hasMessage("chunks must join to the content 'Billing', but join to 'Billng'");
        }

        @Test
        void rejectsChunksOnAJsonReply() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyText("Billing", reply -> reply.chunks(List.of("Bill", "ing"))))
                    .hasMessage("chunks apply to replyStream only, but were set on a JSON reply: [Bill, ing]");
        }

        @Test
        void rejectsEmptyChunks() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletionStream("Billing", reply -> reply.chunks(List.of())))
                    .hasMessage("chunks must not be empty, but was []");
        }

        @Test
        void rejectsABlankHeaderName() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyText("ok", reply -> reply.header("", "x")))
                    .hasMessage("header name must not be blank, but was ''");
        }

        @Test
        void rejectsAnErrorStatusThatIsNoError() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().replyError(200, "server_error", null, "oops"))
                    .hasMessage("an error status must be between 400 and 599, but was 200");
        }

        @Test
        void rejectsANegativeRetryAfter() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().rateLimited(Duration.ofMillis(-20)))
                    .hasMessage("retryAfter must not be negative, but was PT-0.02S");
        }
    }

    @Nested
    class AnthropicReplies {

        @Test
        void rejectsNegativeInputTokens() {
            assertThatThrownBy(() -> AnthropicFixtures.messages().replyText("ok", reply -> reply.usage(-3, 4)))
                    .hasMessage("inputTokens must not be negative, but was -3");
        }

        @Test
        void rejectsNegativeCacheReadTokens() {
            assertThatThrownBy(() -> AnthropicFixtures.messages().replyText("ok", reply -> reply.cacheReadInputTokens(-1111)))
                    .hasMessage("cacheReadInputTokens must not be negative, but was -1111");
        }

        @Test
        void acceptsCacheReadsFarAboveTheInputTokensBecauseInputExcludesThem() {
            assertThatNoException().isThrownBy(() -> AnthropicFixtures.messages()
                    .replyText("ok", reply -> reply.usage(3, 4).cacheReadInputTokens(1111)));
        }

        @Test
        void rejectsAnUnknownStopReason() {
            assertThatThrownBy(() -> AnthropicFixtures.messageJson("ok", reply -> reply.stopReason("stop")))
                    .hasMessage("stopReason must be one of end_turn, max_tokens, pause_turn, refusal, stop_sequence, tool_use, "
                            + "but was 'stop'");
        }

        @Test
        void rejectsAStopSequenceWithAnotherStopReason() {
            assertThatThrownBy(() -> AnthropicFixtures.messageJson("ok", reply -> reply.stopReason("end_turn").stopSequence("END")))
                    .hasMessage("a stopSequence ('END') needs stopReason 'stop_sequence', but was 'end_turn'");
        }

        @Test
        void rejectsBlankContentOfAStream() {
            assertThatThrownBy(() -> AnthropicFixtures.messages().replyStream("  "))
                    .hasMessage("content must not be blank, but was '  '");
        }

        @Test
        void rejectsAnErrorWithABlankMessage() {
            assertThatThrownBy(() -> AnthropicFixtures.messages().replyError(403, "permission_error", ""))
                    .hasMessage("message must not be blank, but was ''");
        }
    }

    @Nested
    class Faults {

        @Test
        void rejectsAnUnknownFaultNamingItAndTheKnownOnes() {
            assertThatThrownBy(() -> TransportFault.parse("connection_refused"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown transport fault 'connection_refused'; use one of "
                            + "connection_reset, empty_response, malformed_chunk, random_data_then_close");
        }

        @Test
        void parsesOurNamesAndWireMocksIgnoringCaseAndDashes() {
            assertThat(TransportFault.parse(" Connection-Reset ")).isEqualTo(TransportFault.CONNECTION_RESET);
            assertThat(TransportFault.parse("CONNECTION_RESET_BY_PEER")).isEqualTo(TransportFault.CONNECTION_RESET);
            assertThat(TransportFault.parse("malformed_response_chunk")).isEqualTo(TransportFault.MALFORMED_CHUNK);
        }

        @Test
        void rejectsANullFault() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().fault(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageStartingWith("fault must not be null");
        }
    }

    @Nested
    class Fixtures {

        @Test
        void rejectsANegativeDelay() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().withFixedDelay(Duration.ofMillis(-1)))
                    .hasMessage("delay must not be negative, but was PT-0.001S");
        }

        @Test
        void rejectsANonPositiveSigma() {
            assertThatThrownBy(() -> AnthropicFixtures.messages().withLogNormalDelay(Duration.ofMillis(90), 0))
                    .hasMessage("sigma must be a positive number, such as 0.1 (tight) or 0.5 (long tail), but was 0.0");
        }

        @Test
        void rejectsAFixedAndALogNormalDelayTogether() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().withFixedDelay(Duration.ofMillis(200))
                    .withLogNormalDelay(Duration.ofMillis(90), 0.1))
                    .hasMessage("this fixture already has a fixed delay of 200 ms; a fixture has either a fixed or a log-normal delay, "
                            + "not both; asked for log-normal median 90 ms");
        }

        @Test
        void rejectsZeroDribbleChunks() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().withChunkedDribble(0, Duration.ofMillis(100)))
                    .hasMessage("chunks must be at least 1, but was 0");
        }

        @Test
        void rejectsARequestBodyThatIsNotAJsonObject() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().whenRequestMatches("[1, 2]"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a fixture's request body must be a JSON object, but was: [1, 2]");
        }

        @Test
        void rejectsARequestBodyThatIsNotJson() {
            assertThatThrownBy(() -> AnthropicFixtures.messages().whenRequestMatches("model=claude"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("a fixture's request body must be JSON, but was: model=claude");
        }

        @Test
        void rejectsTwoDifferentModels() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o").whenModelEquals("gpt-4o-mini"))
                    .hasMessage("this fixture already matches model 'gpt-4o', so it cannot also match 'gpt-4o-mini'");
        }

        @Test
        void rejectsBlankMatchText() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().whenLastUserMessageContains(""))
                    .hasMessage("text must not be blank, but was ''");
        }

        @Test
        void rejectsAnEmptySequence() {
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().sequence(steps -> {}))
                    .hasMessage("a sequence needs at least one step, but was empty");
        }

        @Test
        void rejectsAStreamReplyToARecordedNonStreamingRequest() {
            assertThatThrownBy(() -> AnthropicFixtures.messages()
                    .whenRequestMatches("{\"model\":\"claude-haiku-4-5\",\"messages\":[]}").replyStream("Billing"))
                    .hasMessageStartingWith("the fixture's request body does not stream, so it must reply with replyText(..)");
        }

        @Test
        void leavesTheTemplateUnchangedWhenAVariantAddsAMatcher() {
            // GIVEN
            OpenAiFixtures.ChatCompletionFixture template = OpenAiFixtures.chatCompletion().whenModelEquals("gpt-4o");

            // WHEN
            template.withFixedDelay(Duration.ofMillis(100)).whenLastUserMessageContains("billing");

            // THEN
            assertThat(template.replyText("ok").build().getRequest().getBodyPatterns()).hasSize(2); // model + not-streaming
            assertThat(template.replyText("ok").build().getResponse().getFixedDelayMilliseconds()).isNull();
        }

        @Test
        void keepsTheVolatileFieldsItWasGiven() {
            assertThatNoException().isThrownBy(() -> OpenAiFixtures.chatCompletion()
                    .whenRequestMatches("{\"model\":\"gpt-4o\"}", Set.of()).replyText("ok"));
            assertThatThrownBy(() -> OpenAiFixtures.chatCompletion().whenRequestMatches("{}", null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("volatileFields must not be null");
        }
    }
}
