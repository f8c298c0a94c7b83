package dev.llmunit.junit;

import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One LLM call a test made through a model or router that llmunit injected, as the
 * {@link LlmCalls call ledger} saw it: who served it, the tokens, the exact cost, the latency,
 * every attempt, and the fixture that answered.
 *
 * <p>Latency has three parts. {@code providerLatency} is the sum of the attempts' provider
 * latencies: in playback the latency recorded with each fixture, otherwise the measured time.
 * {@code retryWait} is the backoff the router waited between attempts. {@code overhead} is
 * llmunit's own time (routing, cost accounting), measured. {@link #latency()} is their sum.
 * Budgets and the baseline gate judge {@link #judgedLatency()}, which leaves out the measured
 * overhead whenever every attempt's latency was recorded: that keeps a playback verdict the same on
 * every run and machine.
 *
 * @param sequence the call's number within its test, from 1, in the order calls finished
 * @param source the name of the injected model or router that made the call, such as {@code router} or {@code openai}
 * @param provider the provider that served the call, or {@code null} when every attempt failed
 * @param model the model that served the call (the one asked for), or {@code null} when unknown
 * @param usage the tokens of all attempts together
 * @param cost what all attempts cost, or {@code null} when an attempt's model had no known price
 * @param providerLatency the attempts' provider latencies added up
 * @param retryWait the backoff waited between attempts
 * @param overhead llmunit's own measured time in the call
 * @param attempts every attempt in order; empty when the call was refused before any (a budget)
 * @param confidence how sure the model was, 0 to 1, or {@code null} when not known (see {@link Confidence})
 * @param error why the call failed, or {@code null} when it succeeded
 * @param prompt the last user message of the request, shortened to {@value #TEXT_LIMIT} characters
 * @param answer the text of the answer, shortened to {@value #TEXT_LIMIT} characters; empty when the call failed
 * @param timeToFirstToken for a streamed call that succeeded, how long until the first token: in playback
 *     the recorded time to first token of the serving fixture (its whole recorded latency when it recorded
 *     none) plus the attempts and backoff before it, so the verdict repeats; otherwise measured. Null for a
 *     call that did not stream or failed
 * @param tokensPerSecond for a streamed call that succeeded, its output tokens per second after the first
 *     token, from the recorded timing in playback; null when not streamed, failed, or answered in one piece
 */
public record LlmCall(
        int sequence,
        String source,
        @Nullable String provider,
        @Nullable String model,
        Usage usage,
        @Nullable Usd cost,
        Duration providerLatency,
        Duration retryWait,
        Duration overhead,
        List<CallAttempt> attempts,
        @Nullable Double confidence,
        @Nullable ErrorKind error,
        String prompt,
        String answer,
        @Nullable Duration timeToFirstToken,
        @Nullable Double tokensPerSecond) {

    /** How many characters of the prompt and answer a call keeps: enough to recognise the call in a report. */
    public static final int TEXT_LIMIT = 200;

    /**
     * A call that did not stream.
     *
     * @param sequence the call's number within its test, from 1
     * @param source the name of the injected model or router that made the call
     * @param provider the provider that served the call, or {@code null} when every attempt failed
     * @param model the model that served the call, or {@code null} when unknown
     * @param usage the tokens of all attempts together
     * @param cost what all attempts cost, or {@code null} when unknown
     * @param providerLatency the attempts' provider latencies added up
     * @param retryWait the backoff waited between attempts
     * @param overhead llmunit's own measured time in the call
     * @param attempts every attempt in order
     * @param confidence how sure the model was, or {@code null}
     * @param error why the call failed, or {@code null}
     * @param prompt the last user message, shortened
     * @param answer the answer's text, shortened
     */
    public LlmCall(int sequence, String source, @Nullable String provider, @Nullable String model, Usage usage, @Nullable Usd cost,
            Duration providerLatency, Duration retryWait, Duration overhead, List<CallAttempt> attempts, @Nullable Double confidence,
            @Nullable ErrorKind error, String prompt, String answer) {
        this(sequence, source, provider, model, usage, cost, providerLatency, retryWait, overhead, attempts, confidence, error,
                prompt, answer, null, null);
    }

    /** Validates and copies the parts. */
    public LlmCall {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, but was " + sequence);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(providerLatency, "providerLatency");
        Objects.requireNonNull(retryWait, "retryWait");
        Objects.requireNonNull(overhead, "overhead");
        attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        if (timeToFirstToken != null && timeToFirstToken.isNegative()) {
            throw new IllegalArgumentException("timeToFirstToken must not be negative, but was " + timeToFirstToken);
        }
        if (tokensPerSecond != null && !(tokensPerSecond >= 0 && !tokensPerSecond.isInfinite())) {
            throw new IllegalArgumentException("tokensPerSecond must be a number at least 0, but was " + tokensPerSecond);
        }
        if (confidence != null && !(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, but was " + confidence);
        }
    }

    /**
     * Whether the call streamed its answer (through an injected streaming router) and succeeded.
     *
     * @return {@code true} when {@link #timeToFirstToken()} is known
     */
    public boolean streamed() {
        return timeToFirstToken != null;
    }

    /**
     * Whether a provider answered.
     *
     * @return {@code true} when the call has no error
     */
    public boolean succeeded() {
        return error == null;
    }

    /**
     * The whole latency the caller saw: provider latency, backoff and llmunit's overhead.
     *
     * @return the sum of the three parts
     */
    public Duration latency() {
        return providerLatency.plus(retryWait).plus(overhead);
    }

    /**
     * The latency budgets and the baseline gate judge: {@link #latency()} without the measured
     * overhead when every attempt's latency was recorded (so playback verdicts repeat exactly),
     * otherwise the whole latency.
     *
     * @return the judged latency
     */
    public Duration judgedLatency() {
        return latencyRecorded() ? providerLatency.plus(retryWait) : latency();
    }

    /**
     * Whether every attempt's latency came from a recording.
     *
     * @return {@code true} when there was at least one attempt and each was recorded
     */
    public boolean latencyRecorded() {
        if (attempts.isEmpty()) {
            return false;
        }
        for (CallAttempt attempt : attempts) {
            if (!attempt.latencyRecorded()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fixture that gave the final answer.
     *
     * @return the last attempt's fixture name, or {@code null} when no fixture answered it
     */
    public @Nullable String fixture() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).fixture();
    }

    /**
     * Whether the call's cost is known exactly.
     *
     * @return {@code false} when some attempt's model had no price
     */
    public boolean costKnown() {
        return cost != null;
    }

    /**
     * The providers that failed before the serving one, each once, in order.
     *
     * @return provider names; empty when the first provider served or every provider failed
     */
    public List<String> fallbacks() {
        List<String> failed = new ArrayList<>();
        for (CallAttempt attempt : attempts) {
            if (!attempt.provider().equals(provider) && !failed.contains(attempt.provider())) {
                failed.add(attempt.provider());
            }
        }
        return provider == null ? List.of() : failed;
    }

    /**
     * The number of retries across all providers.
     *
     * @return attempts that were not a provider's first try
     */
    public int retries() {
        int retries = 0;
        for (CallAttempt attempt : attempts) {
            if (attempt.retry() > 0) {
                retries++;
            }
        }
        return retries;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + (provider == null ? "failed (" + error + ")" : provider + (model == null ? "" : "/" + model))
                + ", " + (cost == null ? "cost unknown" : cost.toString())
                + ", " + judgedLatency().toMillis() + " ms"
                + (attempts.size() > 1 ? ", " + attempts.size() + " attempts" : "")
                + (timeToFirstToken == null ? "" : ", first token " + timeToFirstToken.toMillis() + " ms")
                + (confidence == null ? "" : String.format(java.util.Locale.ROOT, ", confidence %.2f", confidence))
                + (fixture() == null ? "" : ", fixture " + fixture());
    }
}
