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
 * A call an ensemble run made besides its members' (a judge's or a fuser's), through the same
 * provider pipeline; its cost and latency are part of the run's.
 *
 * @param role what it was for: {@code judge}, {@code filter judge}, {@code fuser}, or a custom
 *     strategy's role
 * @param request the request it sent
 * @param routed the routed response, or {@code null} when it failed
 * @param error the failure, or {@code null} when it answered
 * @param exchanges its HTTP exchanges, collected only under an active
 *     {@link dev.llmunit.core.http.HttpExchangeCapture}; otherwise empty
 * @param startNanos {@link System#nanoTime()} when it was sent
 * @param endNanos {@link System#nanoTime()} when it ended
 */
public record AuxiliaryCall(String role, ChatRequest request, @Nullable RoutedResponse routed, @Nullable Throwable error,
        List<HttpExchange> exchanges, long startNanos, long endNanos) {

    /** Validates and copies. */
    public AuxiliaryCall {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(request, "request");
        exchanges = List.copyOf(Objects.requireNonNull(exchanges, "exchanges"));
        if ((routed == null) == (error == null)) {
            throw new IllegalArgumentException("an auxiliary call has a response or an error, not both or neither");
        }
    }

    /**
     * Its response.
     *
     * @return the response, or {@code null} when it failed
     */
    public @Nullable ChatResponse response() {
        return routed == null ? null : routed.chatResponse();
    }

    /**
     * Its answer's text.
     *
     * @return the text, or an empty string
     */
    public String text() {
        ChatResponse response = response();
        return response == null || response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
    }

    /**
     * Every attempt its router made.
     *
     * @return the attempts
     */
    public List<Attempt> attempts() {
        if (routed != null) {
            return routed.attempts();
        }
        return error instanceof dev.llmunit.core.error.LlmException failure ? failure.attempts() : List.of();
    }

    /**
     * What it cost.
     *
     * @return the exact cost of its priced attempts
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
     * Its tokens.
     *
     * @return the usage of its attempts
     */
    public Usage usage() {
        return routed == null ? Usage.NONE : routed.trace().totalUsage();
    }

    /**
     * How long it took.
     *
     * @return the duration
     */
    public Duration latency() {
        return Duration.ofNanos(endNanos - startNanos);
    }
}
