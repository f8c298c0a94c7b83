package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.LlmCall;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One LLM call as the report keeps it: a flat, JSON-friendly copy of an {@link LlmCall}, so a
 * report read back from {@code report.json} is the same value that was written.
 *
 * @param sequence the call's number within its test, from 1
 * @param source the injected model or router that made the call, such as {@code router}
 * @param provider the provider that served it, or {@code null} when every attempt failed
 * @param model the model that served it, or {@code null} when unknown
 * @param inputTokens all input tokens, cached ones included
 * @param outputTokens all output tokens, reasoning included
 * @param cachedTokens input tokens read from the prompt cache
 * @param cacheWriteTokens input tokens written to the prompt cache
 * @param reasoningTokens output tokens spent on reasoning
 * @param cost the exact cost, or {@code null} when the model has no known price
 * @param latencyMs the {@link LlmCall#judgedLatency() judged latency} in whole milliseconds: what
 *     budgets and the baseline gate judge, the same on every playback run
 * @param overheadMs llmunit's own measured time in the call, milliseconds with 3 decimals
 * @param latencyRecorded whether every attempt's latency came from a recording
 * @param attempts how many attempts the call took
 * @param fallbacks the providers that failed before the serving one
 * @param retries how many attempts were retries
 * @param confidence how sure the model was, 0 to 1, or {@code null} when unknown
 * @param error the error kind's name when the call failed, otherwise {@code null}
 * @param fixture the fixture that gave the final answer, or {@code null}
 * @param prompt the last user message, shortened
 * @param answer the answer text, shortened; empty when the call failed
 * @param timeToFirstTokenMs for a streamed call that answered, its {@link LlmCall#timeToFirstToken() time to the first
 *     token} in whole milliseconds; {@code null} otherwise
 * @param tokensPerSecond for a streamed call that answered, its {@link LlmCall#tokensPerSecond() output rate} at 1
 *     decimal; {@code null} otherwise
 */
public record ReportCall(
        int sequence,
        String source,
        @Nullable String provider,
        @Nullable String model,
        long inputTokens,
        long outputTokens,
        long cachedTokens,
        long cacheWriteTokens,
        long reasoningTokens,
        @Nullable Usd cost,
        long latencyMs,
        BigDecimal overheadMs,
        boolean latencyRecorded,
        int attempts,
        List<String> fallbacks,
        int retries,
        @Nullable Double confidence,
        @Nullable String error,
        @Nullable String fixture,
        String prompt,
        String answer,
        @Nullable Long timeToFirstTokenMs,
        @Nullable BigDecimal tokensPerSecond) {

    /** Validates and copies; the overhead is kept at 3 decimals so equal calls print equally. */
    public ReportCall {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(overheadMs, "overheadMs");
        overheadMs = overheadMs.setScale(3, RoundingMode.HALF_UP);
        fallbacks = List.copyOf(Objects.requireNonNull(fallbacks, "fallbacks"));
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latencyMs must not be negative, but was " + latencyMs);
        }
        if (timeToFirstTokenMs != null && timeToFirstTokenMs < 0) {
            throw new IllegalArgumentException("timeToFirstTokenMs must not be negative, but was " + timeToFirstTokenMs);
        }
        if (tokensPerSecond != null) {
            if (tokensPerSecond.signum() < 0) {
                throw new IllegalArgumentException("tokensPerSecond must not be negative, but was " + tokensPerSecond);
            }
            tokensPerSecond = tokensPerSecond.setScale(1, RoundingMode.HALF_UP);
        }
    }

    /**
     * Copies a call from the test's ledger.
     *
     * @param call the call
     * @return the report's view of it
     */
    public static ReportCall of(LlmCall call) {
        return new ReportCall(call.sequence(), call.source(), call.provider(), call.model(),
                call.usage().inputTokens(), call.usage().outputTokens(), call.usage().cacheReadTokens(),
                call.usage().cacheWriteTokens(), call.usage().reasoningTokens(), call.cost(),
                call.judgedLatency().toMillis(), millis(call.overhead()), call.latencyRecorded(), call.attempts().size(),
                call.fallbacks(), call.retries(), call.confidence(), call.error() == null ? null : call.error().name(),
                call.fixture(), call.prompt(), call.answer(),
                call.timeToFirstToken() == null ? null : call.timeToFirstToken().toMillis(),
                call.tokensPerSecond() == null ? null : BigDecimal.valueOf(call.tokensPerSecond()));
    }

    /**
     * This call with its prompt and answer kept as a setting says.
     *
     * @param excerpts keep, redact or drop
     * @return a copy
     */
    ReportCall withExcerpts(dev.llmunit.wiremock.Excerpts excerpts) {
        return new ReportCall(sequence, source, provider, model, inputTokens, outputTokens, cachedTokens, cacheWriteTokens,
                reasoningTokens, cost, latencyMs, overheadMs, latencyRecorded, attempts, fallbacks, retries, confidence, error, fixture,
                excerpts.apply(prompt), excerpts.apply(answer), timeToFirstTokenMs, tokensPerSecond);
    }

    /**
     * Whether the call's cost is known exactly.
     *
     * @return {@code false} when the model had no price
     */
    public boolean costKnown() {
        return cost != null;
    }

    /**
     * Whether the call was streamed and answered, so its first token and output rate are known.
     *
     * @return {@code true} when {@link #timeToFirstTokenMs()} is set
     */
    public boolean streamed() {
        return timeToFirstTokenMs != null;
    }

    static BigDecimal millis(Duration duration) {
        // Nanoseconds to milliseconds exactly, then 3 decimals: microsecond resolution is all a report needs.
        return new BigDecimal(duration.toNanos()).movePointLeft(6).setScale(3, RoundingMode.HALF_UP);
    }
}
