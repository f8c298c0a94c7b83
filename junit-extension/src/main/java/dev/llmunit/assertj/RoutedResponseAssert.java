package dev.llmunit.assertj;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RoutedResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on a {@link RoutedResponse}: which provider served, what failed before it, retries,
 * cost and time, plus every content check of {@link ChatResponseAssert} on the served response.
 * A failure shows the routing as it happened: the provider that served and each attempt as
 * {@code provider: OUTCOME KIND} with its cost. Start from
 * {@link LlmAssertions#assertThat(RoutedResponse)}:
 *
 * <pre>{@code
 * assertThat(router.route(request))
 *         .wasServedBy("anthropic")
 *         .fellBackFrom("openai")
 *         .costsAtMost(Usd.usd("0.002"));
 * }</pre>
 *
 * <p>Not final, like AssertJ's own concrete asserts, so {@link LlmSoftAssertions} can proxy it.
 */
public class RoutedResponseAssert extends AbstractLlmResponseAssert<RoutedResponseAssert, RoutedResponse> {

    /**
     * Creates the assert; prefer {@link LlmAssertions#assertThat(RoutedResponse)}.
     *
     * @param actual the routed response under test; null fails every check
     */
    public RoutedResponseAssert(@Nullable RoutedResponse actual) {
        super(actual, RoutedResponseAssert.class);
    }

    @Override
    protected ChatResponse chatResponseOf(RoutedResponse actual) {
        return actual.chatResponse();
    }

    /**
     * Checks which provider served the response.
     *
     * @param provider the provider's name in the router
     * @return this assert
     */
    public RoutedResponseAssert wasServedBy(String provider) {
        Objects.requireNonNull(provider, "provider must not be null");
        RoutedResponse routed = routed();
        if (!routed.provider().equals(provider)) {
            throwAssertionError(LlmErrorMessages.shouldBeServedBy(routed, provider));
        }
        return myself;
    }

    /**
     * Checks the providers that failed before the serving one: exactly these, each once, in this
     * order (see {@link RoutedResponse#fallbacks()}). For none, use {@link #hadNoFallbacks()}.
     *
     * @param providers the failed providers' names, in the order they were tried
     * @return this assert
     */
    public RoutedResponseAssert fellBackFrom(String... providers) {
        Objects.requireNonNull(providers, "providers must not be null");
        if (providers.length == 0) {
            throw new IllegalArgumentException("give at least one provider to fall back from; to check there was no fallback use hadNoFallbacks()");
        }
        RoutedResponse routed = routed();
        List<String> expected = List.of(providers);
        if (!routed.fallbacks().equals(expected)) {
            throwAssertionError(LlmErrorMessages.shouldHaveFallenBackFrom(routed, expected));
        }
        return myself;
    }

    /**
     * Checks how many attempts the call took, retries and fallbacks included.
     *
     * @param expected the expected count; the successful attempt counts
     * @return this assert
     */
    public RoutedResponseAssert hasAttempts(int expected) {
        RoutedResponse routed = routed();
        if (routed.attempts().size() != expected) {
            throwAssertionError(LlmErrorMessages.shouldHaveAttempts(routed, expected));
        }
        return myself;
    }

    /**
     * Checks no provider was retried (falling back to another provider is not a retry).
     *
     * @return this assert
     */
    public RoutedResponseAssert hadNoRetries() {
        RoutedResponse routed = routed();
        if (routed.retries() != 0) {
            throwAssertionError(LlmErrorMessages.shouldHaveNoRetries(routed));
        }
        return myself;
    }

    /**
     * Checks the first provider tried is the one that served.
     *
     * @return this assert
     */
    public RoutedResponseAssert hadNoFallbacks() {
        RoutedResponse routed = routed();
        if (!routed.fallbacks().isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldHaveNoFallbacks(routed));
        }
        return myself;
    }

    /**
     * Checks the call cost at most an amount, all attempts together, compared exactly. A cost that
     * is unknown because a model had no price fails: it is never read as free.
     *
     * @param max the most the call may cost, inclusive
     * @return this assert
     */
    public RoutedResponseAssert costsAtMost(Usd max) {
        Objects.requireNonNull(max, "max must not be null");
        RoutedResponse routed = routed();
        if (routed.trace().unpricedAttempts() > 0) {
            throwAssertionError(LlmErrorMessages.shouldHaveKnownCost(routed, "to cost at most", max));
        } else if (routed.cost().isGreaterThan(max)) {
            throwAssertionError(LlmErrorMessages.shouldCostAtMost(routed, max));
        }
        return myself;
    }

    /**
     * Checks the call cost exactly an amount, all attempts together; {@code $0.00027} equals
     * {@code $0.000270}. A cost that is unknown because a model had no price fails.
     *
     * @param expected the exact cost
     * @return this assert
     */
    public RoutedResponseAssert costs(Usd expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        RoutedResponse routed = routed();
        if (routed.trace().unpricedAttempts() > 0) {
            throwAssertionError(LlmErrorMessages.shouldHaveKnownCost(routed, "to cost exactly", expected));
        } else if (!routed.cost().equals(expected)) {
            throwAssertionError(LlmErrorMessages.shouldCost(routed, expected));
        }
        return myself;
    }

    /**
     * Checks the whole routed call, from routing start to end (retries, backoff waits and
     * fallbacks included), took at most a duration.
     *
     * @param max the longest the call may take, inclusive
     * @return this assert
     */
    public RoutedResponseAssert completedWithin(Duration max) {
        Objects.requireNonNull(max, "max must not be null");
        RoutedResponse routed = routed();
        if (routed.trace().totalTime().compareTo(max) > 0) {
            throwAssertionError(LlmErrorMessages.shouldCompleteWithin(routed, max));
        }
        return myself;
    }

    /**
     * Continues with assertions on the served LangChain4j response. Under soft assertions the
     * returned assert is not soft; see {@link LlmSoftAssertions}.
     *
     * @return an assert on {@link RoutedResponse#chatResponse()}
     */
    public ChatResponseAssert chatResponse() {
        return new ChatResponseAssert(routed().chatResponse());
    }

    private RoutedResponse routed() {
        isNotNull();
        return actual;
    }
}
