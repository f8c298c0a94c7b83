package dev.llmunit.assertj;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import org.jspecify.annotations.Nullable;

/**
 * The entry points of llmunit's AssertJ assertions. Import statically next to AssertJ's own:
 *
 * <pre>{@code
 * import static dev.llmunit.assertj.LlmAssertions.assertThat;
 *
 * RoutedResponse answer = router.route(request);
 * assertThat(answer)
 *         .wasServedBy("anthropic")
 *         .fellBackFrom("openai")
 *         .costsAtMost(Usd.usd("0.002"))
 *         .contains("billing");
 * }</pre>
 *
 * <p>To collect several failures instead of stopping at the first, use {@link LlmSoftAssertions}.
 */
public final class LlmAssertions {

    private LlmAssertions() {}

    /**
     * Starts assertions on a plain LangChain4j response: text, JSON, finish reason, model, tokens.
     *
     * <pre>{@code
     * assertThat(chatModel.chat(request)).isValidJson().hasTotalTokensAtMost(2_000);
     * }</pre>
     *
     * @param actual the response under test; null fails every check
     * @return the assert
     */
    public static ChatResponseAssert assertThat(@Nullable ChatResponse actual) {
        return new ChatResponseAssert(actual);
    }

    /**
     * Starts assertions on a routed response: the content checks plus the provider that served,
     * fallbacks, retries, attempts, cost and time.
     *
     * <pre>{@code
     * assertThat(router.route(request)).wasServedBy("openai").hadNoFallbacks().costsAtMost(Usd.usd("0.001"));
     * }</pre>
     *
     * @param actual the routed response under test; null fails every check
     * @return the assert
     */
    public static RoutedResponseAssert assertThat(@Nullable RoutedResponse actual) {
        return new RoutedResponseAssert(actual);
    }

    /**
     * Starts assertions on an ensemble run: confidence, agreement, the chosen member, clusters,
     * each member's answer and the run's cost, plus the content checks on the chosen response.
     *
     * <pre>{@code
     * assertThat(ensemble.run(request)).chose("openai").agreedBy(2).hasConfidenceAtLeast(0.6).memberAnswered("anthropic", "BUG");
     * }</pre>
     *
     * @param actual the result under test; null fails every check
     * @return the assert
     */
    public static EnsembleResultAssert assertThat(@Nullable EnsembleResult actual) {
        return new EnsembleResultAssert(actual);
    }

    /**
     * Starts assertions on a test's call ledger: count, total and per-call cost, providers,
     * fallbacks, retries, latency, confidence, tokens and fixtures.
     *
     * <pre>{@code
     * assertThat(calls).hasSize(1).allSucceeded().costsAtMost(usd("0.002")).servedFromFixtures();
     * }</pre>
     *
     * @param actual the ledger under test, as injected into the test method; null fails every check
     * @return the assert
     */
    public static LlmCallsAssert assertThat(@Nullable LlmCalls actual) {
        return new LlmCallsAssert(actual);
    }

    /**
     * Starts assertions on one call of a ledger: provider, cost, latency, confidence, attempts,
     * fallbacks and fixture.
     *
     * <pre>{@code
     * assertThat(calls.last()).wasServedBy("openai").usedFixture("openai-gpt-4o-mini-3f9a1c0b7d2e");
     * }</pre>
     *
     * @param actual the call under test; null fails every check
     * @return the assert
     */
    public static LlmCallAssert assertThat(@Nullable LlmCall actual) {
        return new LlmCallAssert(actual);
    }
}
