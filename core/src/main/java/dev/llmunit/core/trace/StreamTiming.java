package dev.llmunit.core.trace;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * How a streamed answer arrived: what its reader waited for the first token and how fast the rest
 * came. Part of the {@link Trace} of a streamed call.
 *
 * @param timeToFirstToken from the start of the routed call to the first token the caller received,
 *     retries and fallbacks before it included: what a user waits before text appears
 * @param generationTime from the serving attempt's first token to its end
 * @param chunks the pieces of output the serving attempt streamed (text, thinking and tool-call deltas)
 * @param outputTokens the output tokens the provider reported in its final usage; null when it reported none
 */
public record StreamTiming(Duration timeToFirstToken, Duration generationTime, int chunks, @Nullable Integer outputTokens) {

    /** Checks durations and counts are not negative. */
    public StreamTiming {
        Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
        Objects.requireNonNull(generationTime, "generationTime");
        if (timeToFirstToken.isNegative() || generationTime.isNegative()) {
            throw new IllegalArgumentException("stream durations must not be negative, but were timeToFirstToken "
                    + timeToFirstToken + " and generationTime " + generationTime);
        }
        if (chunks < 0 || (outputTokens != null && outputTokens < 0)) {
            throw new IllegalArgumentException("chunks and outputTokens must not be negative, but were " + chunks + " and "
                    + outputTokens);
        }
    }

    /**
     * The output rate after the first token: the reported output tokens (else the chunks) over the
     * generation time.
     *
     * @return tokens per second; empty when the answer came in one piece (no rate to speak of) or took no time
     */
    public OptionalDouble tokensPerSecond() {
        long nanos = generationTime.toNanos();
        if (chunks < 2 || nanos <= 0) {
            return OptionalDouble.empty();
        }
        int tokens = outputTokens != null ? outputTokens : chunks;
        return OptionalDouble.of(tokens * 1_000_000_000.0 / nanos);
    }
}
