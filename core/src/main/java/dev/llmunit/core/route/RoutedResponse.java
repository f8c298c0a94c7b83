package dev.llmunit.core.route;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import dev.llmunit.core.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer of a routed call and how it was obtained.
 *
 * @param chatResponse the LangChain4j response of the provider that served
 * @param provider the name of the provider that served
 * @param trace the call's trace: every attempt with tokens, cost and timing; the last attempt succeeded
 */
public record RoutedResponse(ChatResponse chatResponse, String provider, Trace trace) {

    /** Checks the last attempt is the success. */
    public RoutedResponse {
        Objects.requireNonNull(chatResponse, "chatResponse");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(trace, "trace");
        List<Attempt> attempts = trace.attempts();
        if (attempts.isEmpty() || attempts.get(attempts.size() - 1).outcome() != Outcome.SUCCEEDED) {
            throw new IllegalArgumentException("the last attempt of a routed response must be its success, but attempts were " + attempts);
        }
    }

    /**
     * Every attempt, in order; the last one succeeded.
     *
     * @return the trace's attempts
     */
    public List<Attempt> attempts() {
        return trace.attempts();
    }

    /**
     * What the call cost, failed attempts included (providers rarely bill them, so they add zero).
     *
     * @return the trace's total cost; see {@link Trace#unpricedAttempts()} for attempts with unknown prices
     */
    public Usd cost() {
        return trace.totalCost();
    }

    /**
     * The providers that failed before the serving one, each once, in order.
     *
     * @return provider names; empty when the first provider served
     */
    public List<String> fallbacks() {
        List<String> failed = new ArrayList<>();
        for (Attempt attempt : trace.attempts()) {
            if (!attempt.provider().equals(provider) && !failed.contains(attempt.provider())) {
                failed.add(attempt.provider());
            }
        }
        return failed;
    }

    /**
     * The number of retries across all providers (attempts that were not a provider's first try).
     *
     * @return the retry count
     */
    public int retries() {
        int retries = 0;
        for (Attempt attempt : trace.attempts()) {
            if (attempt.retry() > 0) {
                retries++;
            }
        }
        return retries;
    }
}
