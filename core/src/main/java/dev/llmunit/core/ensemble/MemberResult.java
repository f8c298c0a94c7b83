package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.http.HttpExchange;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.trace.Attempt;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one member sample did in an ensemble run: its request, its routed response or error, its
 * answer's key and how it ended.
 *
 * @param id the sample's id: the member's name, or {@code name#k} for a member with several samples
 * @param member the member's name
 * @param sample the sample, from 1
 * @param weight the member's vote weight
 * @param outcome how it ended
 * @param request the request it was sent (the ensemble's, varied for samples after the first)
 * @param routed the routed response when its router answered (also for a filtered answer), else {@code null}
 * @param error the failure when its router failed (or was cancelled or timed out), else {@code null}
 * @param reason why it did not vote, in words (the filter's or the key's reason, the timeout, the
 *     budget), or {@code null} when it answered
 * @param key its answer's key, or {@code null} when it has none
 * @param logProbConfidence the response's token log-probability confidence, 0 to 1, or {@code null}
 *     when it carried none (see {@link LogProbConfidence})
 * @param exchanges the HTTP exchanges of its call, collected only when an
 *     {@link dev.llmunit.core.http.HttpExchangeCapture} was active on the calling thread (a test
 *     harness such as llmunit's JUnit extension); otherwise empty
 * @param startNanos {@link System#nanoTime()} when it was sent
 * @param endNanos {@link System#nanoTime()} when it ended; equal to the start for a skipped member
 */
public record MemberResult(
        String id,
        String member,
        int sample,
        double weight,
        MemberOutcome outcome,
        ChatRequest request,
        @Nullable RoutedResponse routed,
        @Nullable Throwable error,
        @Nullable String reason,
        @Nullable String key,
        @Nullable Double logProbConfidence,
        List<HttpExchange> exchanges,
        long startNanos,
        long endNanos) {

    /** Validates and copies. */
    public MemberResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(request, "request");
        exchanges = List.copyOf(Objects.requireNonNull(exchanges, "exchanges"));
        if (outcome == MemberOutcome.ANSWERED && (routed == null || key == null)) {
            throw new IllegalArgumentException("an answered member has a response and a key, but " + id + " had " + routed + " and " + key);
        }
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("endNanos must not precede startNanos, but was " + endNanos + " < " + startNanos);
        }
    }

    /**
     * Whether it voted.
     *
     * @return {@code true} for {@link MemberOutcome#ANSWERED}
     */
    public boolean answered() {
        return outcome == MemberOutcome.ANSWERED;
    }

    /**
     * Its response.
     *
     * @return the LangChain4j response, or {@code null} when its router did not answer
     */
    public @Nullable ChatResponse response() {
        return routed == null ? null : routed.chatResponse();
    }

    /**
     * Its answer's text.
     *
     * @return the text, or an empty string when it has none
     */
    public String text() {
        ChatResponse response = response();
        return response == null || response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
    }

    /**
     * The provider of its router that served it.
     *
     * @return the provider's name, or {@code null} when it did not answer
     */
    public @Nullable String provider() {
        return routed == null ? null : routed.provider();
    }

    /**
     * Every attempt its router made.
     *
     * @return the attempts; empty when it did not answer and its failure carried none
     */
    public List<Attempt> attempts() {
        if (routed != null) {
            return routed.attempts();
        }
        if (error instanceof dev.llmunit.core.error.LlmException failure) {
            return failure.attempts();
        }
        return List.of();
    }

    /**
     * What its call cost.
     *
     * @return the exact cost of its attempts with known prices; zero when nothing was billed
     */
    public Usd cost() {
        return routed == null ? Usd.ZERO : routed.cost();
    }

    /**
     * Whether its cost is known exactly.
     *
     * @return {@code false} when an attempt's model had no price
     */
    public boolean costKnown() {
        return routed == null || routed.trace().unpricedAttempts() == 0;
    }

    /**
     * The tokens its call used.
     *
     * @return the usage of its attempts
     */
    public Usage usage() {
        return routed == null ? Usage.NONE : routed.trace().totalUsage();
    }

    /**
     * How long it took, from when the ensemble sent it to when it ended.
     *
     * @return the duration
     */
    public Duration latency() {
        return Duration.ofNanos(endNanos - startNanos);
    }

    @Override
    public String toString() {
        return id + ": " + outcome.name() + (key == null ? "" : " \"" + key + "\"") + (reason == null ? "" : " (" + reason + ")")
                + (routed == null ? "" : ", " + cost() + ", " + latency().toMillis() + " ms");
    }
}
