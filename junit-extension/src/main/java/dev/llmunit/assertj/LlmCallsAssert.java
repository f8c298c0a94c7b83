package dev.llmunit.assertj;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on a test's {@link LlmCalls call ledger}: how many calls, what they cost together and
 * each, who served them, fallbacks, retries, latency, confidence, tokens and fixtures. A failure
 * shows the ledger as it was: the count, the total cost and tokens, and one line per call
 * ({@code #2 anthropic/claude-3-5-haiku, $0.000450, 120 ms, 2 attempts, fixture triage-refund}).
 * Start from {@link LlmAssertions#assertThat(LlmCalls)}:
 *
 * <pre>{@code
 * assertThat(calls)
 *         .hasSize(2)
 *         .allSucceeded()
 *         .costsAtMost(usd("0.002"))
 *         .latencyPercentileAtMost(95, Duration.ofMillis(800));
 * }</pre>
 *
 * <p>The checks on every call ({@code each…}, {@code all…}, {@code hadNo…}) pass for a test that
 * made no call; pair them with {@link #hasSize(int)} when a call must have happened. The ledger is
 * read once per check, as a snapshot.
 *
 * <p>Not final, like AssertJ's own concrete asserts, so {@link LlmSoftAssertions} can proxy it.
 */
public class LlmCallsAssert extends AbstractAssert<LlmCallsAssert, LlmCalls> {

    /**
     * Creates the assert; prefer {@link LlmAssertions#assertThat(LlmCalls)}.
     *
     * @param actual the ledger under test; null fails every check
     */
    public LlmCallsAssert(@Nullable LlmCalls actual) {
        super(actual, LlmCallsAssert.class);
    }

    /**
     * Checks the test made exactly this many calls.
     *
     * @param expected the expected call count
     * @return this assert
     */
    public LlmCallsAssert hasSize(int expected) {
        List<LlmCall> calls = calls();
        if (calls.size() != expected) {
            throwAssertionError(LlmErrorMessages.shouldHaveCallCount(actual, calls, expected));
        }
        return myself;
    }

    /**
     * Checks the test made no call, such as when a cache or a guard should have answered.
     *
     * @return this assert
     */
    public LlmCallsAssert isEmpty() {
        List<LlmCall> calls = calls();
        if (!calls.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldHaveNoCalls(actual, calls));
        }
        return myself;
    }

    /**
     * Checks the test made at most this many calls, to catch an agent loop or a lost cache.
     *
     * @param max the most calls allowed, inclusive
     * @return this assert
     */
    public LlmCallsAssert hasCallCountAtMost(int max) {
        List<LlmCall> calls = calls();
        if (calls.size() > max) {
            throwAssertionError(LlmErrorMessages.shouldHaveCallCountAtMost(actual, calls, max));
        }
        return myself;
    }

    /**
     * Checks all calls together cost at most an amount, compared exactly. When a call's cost is
     * unknown (its model had no price) the check fails: an unknown cost is never read as free.
     *
     * @param max the most all calls may cost together, inclusive
     * @return this assert
     */
    public LlmCallsAssert costsAtMost(Usd max) {
        Objects.requireNonNull(max, "max must not be null");
        List<LlmCall> calls = calls();
        Usd total = actual.totalCost();
        List<LlmCall> unpriced = matching(calls, call -> !call.costKnown());
        if (total == null || !unpriced.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldHaveKnownTotalCost(actual, calls, max, unpriced));
        } else if (total.isGreaterThan(max)) {
            throwAssertionError(LlmErrorMessages.shouldCostInTotalAtMost(actual, calls, max, total));
        }
        return myself;
    }

    /**
     * Checks every call cost at most an amount, retries and fallbacks included. A call whose cost is
     * unknown fails.
     *
     * @param max the most one call may cost, inclusive
     * @return this assert
     */
    public LlmCallsAssert eachCostsAtMost(Usd max) {
        Objects.requireNonNull(max, "max must not be null");
        List<LlmCall> calls = calls();
        List<LlmCall> offenders = matching(calls, call -> call.cost() == null || call.cost().isGreaterThan(max));
        if (!offenders.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldEachCostAtMost(actual, calls, max, offenders));
        }
        return myself;
    }

    /**
     * Checks one provider served every call; a call that every provider failed was served by none
     * and fails the check.
     *
     * @param provider the provider's name, such as {@code openai}
     * @return this assert
     */
    public LlmCallsAssert allServedBy(String provider) {
        Objects.requireNonNull(provider, "provider must not be null");
        List<LlmCall> calls = calls();
        List<LlmCall> offenders = matching(calls, call -> !provider.equals(call.provider()));
        if (!offenders.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldAllBeServedBy(actual, calls, provider, offenders));
        }
        return myself;
    }

    /**
     * Checks no call fell back: the first provider tried served each one (see {@link LlmCall#fallbacks()}).
     *
     * @return this assert
     */
    public LlmCallsAssert hadNoFallbacks() {
        List<LlmCall> calls = calls();
        List<LlmCall> offenders = matching(calls, call -> !call.fallbacks().isEmpty());
        if (!offenders.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldHaveNoFallbacks(actual, calls, offenders));
        }
        return myself;
    }

    /**
     * Checks no call retried a provider (falling back to another provider is not a retry).
     *
     * @return this assert
     */
    public LlmCallsAssert hadNoRetries() {
        List<LlmCall> calls = calls();
        List<LlmCall> offenders = matching(calls, call -> call.retries() > 0);
        if (!offenders.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldHaveNoRetries(actual, calls, offenders));
        }
        return myself;
    }

    /**
     * Checks every call's {@link LlmCall#judgedLatency() judged latency} stayed within a duration.
     * In playback that is the recorded latency plus backoff, so the verdict is the same on every run.
     *
     * @param max the longest one call may take, inclusive
     * @return this assert
     */
    public LlmCallsAssert eachCompletedWithin(Duration max) {
        Objects.requireNonNull(max, "max must not be null");
        List<LlmCall> calls = calls();
        List<LlmCall> offenders = matching(calls, call -> call.judgedLatency().compareTo(max) > 0);
        if (!offenders.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldEachCompleteWithin(actual, calls, max, offenders));
        }
        return myself;
    }

    /**
     * Checks a percentile of the calls' judged latency, by the nearest-rank method
     * ({@link LlmCalls#latencyPercentile(double)}): {@code latencyPercentileAtMost(95, ofMillis(800))}
     * reads "p95 at most 800 ms". With no calls the percentile is zero and the check passes.
     *
     * @param percentile between 0 (exclusive) and 100 (inclusive), such as 95
     * @param max the longest the percentile may be, inclusive
     * @return this assert
     * @throws IllegalArgumentException when the percentile is out of range
     */
    public LlmCallsAssert latencyPercentileAtMost(double percentile, Duration max) {
        if (!(percentile > 0.0 && percentile <= 100.0)) {
            throw new IllegalArgumentException("percentile must be above 0 and at most 100, but was " + percentile);
        }
        Objects.requireNonNull(max, "max must not be null");
        List<LlmCall> calls = calls();
        Duration found = actual.latencyPercentile(percentile);
        if (found.compareTo(max) > 0) {
            throwAssertionError(LlmErrorMessages.shouldHaveLatencyPercentileAtMost(actual, calls, percentile, max, found));
        }
        return myself;
    }

    /**
     * Checks every call's {@link LlmCall#confidence() confidence} is at least a value. A call whose
     * confidence is unknown fails: llmunit never guesses one (see {@link dev.llmunit.junit.Confidence}).
     *
     * @param min the lowest confidence allowed, 0 to 1, inclusive
     * @return this assert
     * @throws IllegalArgumentException when {@code min} is not between 0 and 1
     */
    public LlmCallsAssert allHaveConfidenceAtLeast(double min) {
        LlmCallAssert.requireProbability(min);
        List<LlmCall> calls = calls();
        List<LlmCall> offenders = matching(calls, call -> call.confidence() == null || call.confidence() < min);
        if (!offenders.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldAllHaveConfidenceAtLeast(actual, calls, min, offenders));
        }
        return myself;
    }

    /**
     * Checks the input (prompt) tokens of all calls together stay within a limit.
     *
     * @param max the most input tokens allowed, inclusive
     * @return this assert
     */
    public LlmCallsAssert totalInputTokensAtMost(long max) {
        List<LlmCall> calls = calls();
        long total = actual.totalUsage().inputTokens();
        if (total > max) {
            throwAssertionError(LlmErrorMessages.shouldHaveTotalTokensAtMost(actual, calls, "input", max, total));
        }
        return myself;
    }

    /**
     * Checks the output (completion) tokens of all calls together stay within a limit.
     *
     * @param max the most output tokens allowed, inclusive
     * @return this assert
     */
    public LlmCallsAssert totalOutputTokensAtMost(long max) {
        List<LlmCall> calls = calls();
        long total = actual.totalUsage().outputTokens();
        if (total > max) {
            throwAssertionError(LlmErrorMessages.shouldHaveTotalTokensAtMost(actual, calls, "output", max, total));
        }
        return myself;
    }

    /**
     * Checks a provider answered every call (after retries and fallbacks, if any).
     *
     * @return this assert
     */
    public LlmCallsAssert allSucceeded() {
        List<LlmCall> calls = calls();
        List<LlmCall> offenders = matching(calls, call -> !call.succeeded());
        if (!offenders.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldAllSucceed(actual, calls, offenders));
        }
        return myself;
    }

    /**
     * Checks a recorded fixture gave every call's final answer, so the test ran in playback and
     * nothing went to a live provider or missed its fixture.
     *
     * @return this assert
     */
    public LlmCallsAssert servedFromFixtures() {
        List<LlmCall> calls = calls();
        List<LlmCall> offenders = matching(calls, call -> call.fixture() == null);
        if (!offenders.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldAllBeServedFromFixtures(actual, calls, offenders));
        }
        return myself;
    }

    /**
     * Continues with assertions on the most recent call. Fails when the test made no call. Under
     * soft assertions the returned assert is not soft; use {@code softly.assertThat(calls.last())}.
     *
     * @return an assert on {@link LlmCalls#last()}
     */
    public LlmCallAssert lastCall() {
        List<LlmCall> calls = calls();
        if (calls.isEmpty()) {
            throwAssertionError(LlmErrorMessages.shouldHaveSomeCall(actual));
        }
        return new LlmCallAssert(calls.get(calls.size() - 1));
    }

    private List<LlmCall> calls() {
        isNotNull();
        return actual.all();
    }

    private static List<LlmCall> matching(List<LlmCall> calls, Predicate<LlmCall> offending) {
        List<LlmCall> offenders = new ArrayList<>();
        for (LlmCall call : calls) {
            if (offending.test(call)) {
                offenders.add(call);
            }
        }
        return offenders;
    }
}
