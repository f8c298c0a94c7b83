package dev.llmunit.assertj;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.LlmCall;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on one {@link LlmCall} from a test's call ledger: who served it, what it cost, how
 * long it took, how sure the model was, its attempts and the fixture that answered. A failure shows
 * the call's line and, when it took several, each attempt. Start from
 * {@link LlmAssertions#assertThat(LlmCall)} or {@link LlmCallsAssert#lastCall()}:
 *
 * <pre>{@code
 * assertThat(calls).lastCall().wasServedBy("anthropic").fellBackFrom("openai").usedFixture("openai-gpt-4o-mini-3f9a1c0b7d2e");
 * }</pre>
 *
 * <p>Not final, like AssertJ's own concrete asserts, so {@link LlmSoftAssertions} can proxy it.
 */
public class LlmCallAssert extends AbstractAssert<LlmCallAssert, LlmCall> {

    /**
     * Creates the assert; prefer {@link LlmAssertions#assertThat(LlmCall)}.
     *
     * @param actual the call under test; null fails every check
     */
    public LlmCallAssert(@Nullable LlmCall actual) {
        super(actual, LlmCallAssert.class);
    }

    /**
     * Checks which provider served the call; a call that every provider failed was served by none.
     *
     * @param provider the provider's name, such as {@code openai}
     * @return this assert
     */
    public LlmCallAssert wasServedBy(String provider) {
        Objects.requireNonNull(provider, "provider must not be null");
        LlmCall call = call();
        if (!provider.equals(call.provider())) {
            throwAssertionError(LlmErrorMessages.shouldBeServedBy(call, provider));
        }
        return myself;
    }

    /**
     * Checks the call cost at most an amount, all attempts together, compared exactly. An unknown
     * cost (a model without a price) fails: it is never read as free.
     *
     * @param max the most the call may cost, inclusive
     * @return this assert
     */
    public LlmCallAssert costsAtMost(Usd max) {
        Objects.requireNonNull(max, "max must not be null");
        LlmCall call = call();
        Usd cost = call.cost();
        if (cost == null) {
            throwAssertionError(LlmErrorMessages.shouldHaveKnownCost(call, max));
        } else if (cost.isGreaterThan(max)) {
            throwAssertionError(LlmErrorMessages.shouldCostAtMost(call, max));
        }
        return myself;
    }

    /**
     * Checks the call's {@link LlmCall#judgedLatency() judged latency} stayed within a duration.
     *
     * @param max the longest the call may take, inclusive
     * @return this assert
     */
    public LlmCallAssert completedWithin(Duration max) {
        Objects.requireNonNull(max, "max must not be null");
        LlmCall call = call();
        if (call.judgedLatency().compareTo(max) > 0) {
            throwAssertionError(LlmErrorMessages.shouldCompleteWithin(call, max));
        }
        return myself;
    }

    /**
     * Checks the model's {@link LlmCall#confidence() confidence} in its answer is at least a value.
     * An unknown confidence fails, and the message says how to get one.
     *
     * @param min the lowest confidence allowed, 0 to 1, inclusive
     * @return this assert
     * @throws IllegalArgumentException when {@code min} is not between 0 and 1
     */
    public LlmCallAssert hasConfidenceAtLeast(double min) {
        requireProbability(min);
        LlmCall call = call();
        if (call.confidence() == null || call.confidence() < min) {
            throwAssertionError(LlmErrorMessages.shouldHaveConfidenceAtLeast(call, min));
        }
        return myself;
    }

    /**
     * Checks how many attempts the call took, retries and fallbacks included.
     *
     * @param expected the expected count; the successful attempt counts
     * @return this assert
     */
    public LlmCallAssert hasAttempts(int expected) {
        LlmCall call = call();
        if (call.attempts().size() != expected) {
            throwAssertionError(LlmErrorMessages.shouldHaveAttempts(call, expected));
        }
        return myself;
    }

    /**
     * Checks the providers that failed before the serving one: exactly these, each once, in this
     * order (see {@link LlmCall#fallbacks()}).
     *
     * @param providers the failed providers' names, in the order they were tried
     * @return this assert
     */
    public LlmCallAssert fellBackFrom(String... providers) {
        Objects.requireNonNull(providers, "providers must not be null");
        if (providers.length == 0) {
            throw new IllegalArgumentException("give at least one provider to fall back from; "
                    + "to check there was no fallback use hasAttempts(1) or LlmCallsAssert.hadNoFallbacks()");
        }
        LlmCall call = call();
        List<String> expected = List.of(providers);
        if (!call.fallbacks().equals(expected)) {
            throwAssertionError(LlmErrorMessages.shouldHaveFallenBackFrom(call, expected));
        }
        return myself;
    }

    /**
     * Checks which recorded fixture gave the final answer. A fixture loaded from a fixture set is
     * named by its mapping file below {@code mappings/}, with or without {@code .json} (plus
     * {@code #n} for the n-th stub of a file that holds several); a stub added in code by its name.
     *
     * @param fixture the fixture's name, such as {@code openai-gpt-4o-mini-3f9a1c0b7d2e}
     * @return this assert
     */
    public LlmCallAssert usedFixture(String fixture) {
        Objects.requireNonNull(fixture, "fixture must not be null");
        LlmCall call = call();
        String withoutExtension = fixture.regionMatches(true, Math.max(0, fixture.length() - 5), ".json", 0, 5)
                ? fixture.substring(0, fixture.length() - 5)
                : fixture;
        if (!fixture.equals(call.fixture()) && !withoutExtension.equals(call.fixture())) {
            throwAssertionError(LlmErrorMessages.shouldHaveUsedFixture(call, fixture));
        }
        return myself;
    }

    private LlmCall call() {
        isNotNull();
        return actual;
    }

    /** Confidence thresholds are probabilities; anything else is a mistake in the test. */
    static void requireProbability(double min) {
        if (!(min >= 0.0 && min <= 1.0)) {
            throw new IllegalArgumentException("a confidence threshold must be between 0 and 1, but was " + min);
        }
    }
}
