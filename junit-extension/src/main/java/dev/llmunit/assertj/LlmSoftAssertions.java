package dev.llmunit.assertj;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;
import org.jspecify.annotations.Nullable;

/**
 * Soft assertions on LLM responses: every failed check is collected and all are reported
 * together at the end, so one run shows everything that was off.
 *
 * <pre>{@code
 * LlmSoftAssertions.assertSoftly(softly -> {
 *     softly.assertThat(answer).wasServedBy("openai").costsAtMost(Usd.usd("0.001"));
 *     softly.assertThat(answer.chatResponse()).contains("billing").isValidJson();
 * });
 * }</pre>
 *
 * <p>Navigation such as {@link RoutedResponseAssert#chatResponse()} or
 * {@link LlmCallsAssert#lastCall()} leaves soft mode: for soft
 * content checks of a routed response, call {@code softly.assertThat(answer)} (it has the content
 * checks) or {@code softly.assertThat(answer.chatResponse())}, and {@code softly.assertThat(calls.last())}
 * for the last call. With JUnit 5, AssertJ's
 * {@code SoftAssertionsExtension} can inject an instance as a parameter or field.
 */
public class LlmSoftAssertions extends AbstractSoftAssertions {

    /** Creates an empty collector; call {@link #assertAll()} at the end, or use {@link #assertSoftly(Consumer)}. */
    public LlmSoftAssertions() {
        super();
    }

    /**
     * Runs soft assertions and reports every failure at the end in one {@link AssertionError}.
     *
     * @param softly the assertions, given a fresh collector
     */
    public static void assertSoftly(Consumer<LlmSoftAssertions> softly) {
        SoftAssertionsProvider.assertSoftly(LlmSoftAssertions.class, softly);
    }

    /**
     * Starts soft assertions on a plain LangChain4j response.
     *
     * @param actual the response under test; null fails every check
     * @return a collecting assert
     */
    public ChatResponseAssert assertThat(@Nullable ChatResponse actual) {
        return proxy(ChatResponseAssert.class, ChatResponse.class, actual);
    }

    /**
     * Starts soft assertions on a routed response.
     *
     * @param actual the routed response under test; null fails every check
     * @return a collecting assert
     */
    public RoutedResponseAssert assertThat(@Nullable RoutedResponse actual) {
        return proxy(RoutedResponseAssert.class, RoutedResponse.class, actual);
    }

    /**
     * Starts soft assertions on an ensemble run.
     *
     * @param actual the result under test; null fails every check
     * @return a collecting assert
     */
    public EnsembleResultAssert assertThat(@Nullable EnsembleResult actual) {
        return proxy(EnsembleResultAssert.class, EnsembleResult.class, actual);
    }

    /**
     * Starts soft assertions on a test's call ledger.
     *
     * @param actual the ledger under test; null fails every check
     * @return a collecting assert
     */
    public LlmCallsAssert assertThat(@Nullable LlmCalls actual) {
        return proxy(LlmCallsAssert.class, LlmCalls.class, actual);
    }

    /**
     * Starts soft assertions on one call of a ledger.
     *
     * @param actual the call under test; null fails every check
     * @return a collecting assert
     */
    public LlmCallAssert assertThat(@Nullable LlmCall actual) {
        return proxy(LlmCallAssert.class, LlmCall.class, actual);
    }
}
