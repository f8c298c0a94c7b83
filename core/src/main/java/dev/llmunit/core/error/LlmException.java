package dev.llmunit.core.error;

import dev.llmunit.core.trace.Attempt;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type llmunit throws for a failed LLM call. It is sealed: each subclass is one
 * {@link ErrorKind}, plus {@link AllProvidersFailed} when the router ran out of providers. Catch
 * the subclass you can act on, or switch on {@link #kind()}.
 *
 * <pre>{@code
 * try {
 *     router.chat(request);
 * } catch (LlmException.RateLimited e) {
 *     e.retryAfter().ifPresent(wait -> scheduleLater(wait));
 * }
 * }</pre>
 */
public abstract sealed class LlmException extends RuntimeException
        permits LlmException.RateLimited,
                LlmException.Timeout,
                LlmException.ProviderUnavailable,
                LlmException.AuthenticationFailed,
                LlmException.QuotaExhausted,
                LlmException.InvalidRequest,
                LlmException.ContextLengthExceeded,
                LlmException.ContentFiltered,
                LlmException.BudgetExceeded,
                LlmException.StreamInterrupted,
                LlmException.AllProvidersFailed {

    private final @Nullable String provider;
    private volatile List<Attempt> routedAttempts = List.of();

    LlmException(@Nullable String provider, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.provider = provider;
    }

    /**
     * The attempts of the routed call this failure ended, in order: a router that stops at a
     * failure it does not fall back on (an invalid request after a retried outage, say) still
     * reports what it tried before. For {@link AllProvidersFailed}, every attempt.
     *
     * @return an immutable list; empty when the failure did not come from a router
     */
    public List<Attempt> attempts() {
        return routedAttempts;
    }

    /**
     * Records the attempts of the routed call this failure ended; the router calls it before
     * throwing. Application code has no reason to.
     *
     * @param attempts the call's attempts, in order
     * @return this exception
     */
    public final LlmException withAttempts(List<Attempt> attempts) {
        this.routedAttempts = List.copyOf(attempts);
        return this;
    }

    /**
     * The kind of failure; for {@link AllProvidersFailed} the kind of the last attempt's failure.
     *
     * @return the kind, never null
     */
    public abstract ErrorKind kind();

    /**
     * The provider (router name) whose call failed.
     *
     * @return the provider name, or {@code null} when the failure was not tied to one provider
     */
    public @Nullable String provider() {
        return provider;
    }

    /** The provider throttled the call; {@link #retryAfter()} says how long it asked to wait. */
    public static final class RateLimited extends LlmException {
        private final @Nullable Duration retryAfter;

        /**
         * Creates a rate-limit failure.
         *
         * @param provider the provider name, or null
         * @param message what happened
         * @param retryAfter the wait the provider asked for ({@code Retry-After}), or null if it gave none
         * @param cause the original error, or null
         */
        public RateLimited(@Nullable String provider, String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
            super(provider, message, cause);
            this.retryAfter = retryAfter;
        }

        /**
         * The wait the provider asked for in {@code Retry-After} or {@code retry-after-ms}.
         *
         * @return the requested wait, empty when the response carried none
         */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.RATE_LIMITED;
        }
    }

    /** The call timed out, on the provider's side (408) or the client's. */
    public static final class Timeout extends LlmException {
        /**
         * Creates a timeout failure.
         *
         * @param provider the provider name, or null
         * @param message what happened
         * @param cause the original error, or null
         */
        public Timeout(@Nullable String provider, String message, @Nullable Throwable cause) {
            super(provider, message, cause);
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.TIMEOUT;
        }
    }

    /** The provider could not serve: a 5xx, an overload, a connection failure or an open circuit breaker. */
    public static final class ProviderUnavailable extends LlmException {
        private final boolean circuitOpen;

        /**
         * Creates an unavailability failure.
         *
         * @param provider the provider name, or null
         * @param message what happened
         * @param circuitOpen whether the call was refused by an open circuit breaker without reaching the provider
         * @param cause the original error, or null
         */
        public ProviderUnavailable(@Nullable String provider, String message, boolean circuitOpen, @Nullable Throwable cause) {
            super(provider, message, cause);
            this.circuitOpen = circuitOpen;
        }

        /**
         * Whether an open circuit breaker refused the call, so the provider was never called.
         *
         * @return {@code true} when the breaker refused the call
         */
        public boolean circuitOpen() {
            return circuitOpen;
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.PROVIDER_UNAVAILABLE;
        }
    }

    /** The provider refused the credentials (401/403). */
    public static final class AuthenticationFailed extends LlmException {
        /**
         * Creates an authentication failure.
         *
         * @param provider the provider name, or null
         * @param message what happened
         * @param cause the original error, or null
         */
        public AuthenticationFailed(@Nullable String provider, String message, @Nullable Throwable cause) {
            super(provider, message, cause);
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.AUTHENTICATION;
        }
    }

    /** The account's quota or credit is used up; waiting does not help. */
    public static final class QuotaExhausted extends LlmException {
        /**
         * Creates a quota failure.
         *
         * @param provider the provider name, or null
         * @param message what happened
         * @param cause the original error, or null
         */
        public QuotaExhausted(@Nullable String provider, String message, @Nullable Throwable cause) {
            super(provider, message, cause);
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.QUOTA_EXHAUSTED;
        }
    }

    /** The provider rejected the request (a 4xx that is no other kind, or an unknown model). */
    public static final class InvalidRequest extends LlmException {
        /**
         * Creates an invalid-request failure.
         *
         * @param provider the provider name, or null
         * @param message what happened
         * @param cause the original error, or null
         */
        public InvalidRequest(@Nullable String provider, String message, @Nullable Throwable cause) {
            super(provider, message, cause);
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.INVALID_REQUEST;
        }
    }

    /** The prompt does not fit the model's input window. */
    public static final class ContextLengthExceeded extends LlmException {
        /**
         * Creates a context-length failure.
         *
         * @param provider the provider name, or null
         * @param message what happened
         * @param cause the original error, or null
         */
        public ContextLengthExceeded(@Nullable String provider, String message, @Nullable Throwable cause) {
            super(provider, message, cause);
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.CONTEXT_LENGTH_EXCEEDED;
        }
    }

    /** The provider's content filter refused the request or its answer. */
    public static final class ContentFiltered extends LlmException {
        /**
         * Creates a content-filter failure.
         *
         * @param provider the provider name, or null
         * @param message what happened
         * @param cause the original error, or null
         */
        public ContentFiltered(@Nullable String provider, String message, @Nullable Throwable cause) {
            super(provider, message, cause);
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.CONTENT_FILTERED;
        }
    }

    /** llmunit refused the call before spending because it would exceed a cost budget. */
    public static final class BudgetExceeded extends LlmException {
        /**
         * Creates a budget failure.
         *
         * @param provider the provider name, or null when the refusal came before choosing one
         * @param message what happened, with the estimate and the limit
         */
        public BudgetExceeded(@Nullable String provider, String message) {
            super(provider, message, null);
        }

        @Override
        public ErrorKind kind() {
            return ErrorKind.BUDGET_EXCEEDED;
        }
    }

    /**
     * A streamed answer failed after its first token reached the caller: the tokens already
     * delivered cannot be taken back, so the failure is not retried transparently. It carries the
     * text the caller has received ({@link #partialText()}) and the classified failure that broke
     * the stream ({@link #failure()}, whose kind is this exception's kind). Whether the streaming
     * router may still restart or continue the answer is {@link #restartable()}: false under the
     * {@code FAIL} policy, when the restarts are used up, and when the stream's total timeout ran out.
     */
    public static final class StreamInterrupted extends LlmException {
        private final String partialText;
        private final LlmException failure;
        private final boolean restartable;

        /**
         * Creates a mid-stream failure.
         *
         * @param provider the provider whose stream broke, or null
         * @param partialText the answer's text the caller received before the failure, possibly empty
         * @param failure the classified failure that broke the stream
         * @param restartable whether the router may restart (or continue) the answer
         */
        public StreamInterrupted(@Nullable String provider, String partialText, LlmException failure, boolean restartable) {
            super(provider, (provider == null ? "provider" : provider) + ": stream interrupted after "
                    + partialText.length() + " characters of the answer" + (restartable ? "" : " (not restarted)") + ": "
                    + failure.getMessage(), failure);
            this.partialText = partialText;
            this.failure = failure;
            this.restartable = restartable;
        }

        /**
         * The text of the answer the caller had received when the stream broke.
         *
         * @return the partial text, empty when the stream broke before any text
         */
        public String partialText() {
            return partialText;
        }

        /**
         * The classified failure that broke the stream (a cut connection, a malformed chunk, a
         * stall between tokens, an error event).
         *
         * @return the failure, also this exception's cause
         */
        public LlmException failure() {
            return failure;
        }

        /**
         * Whether the streaming router may restart the answer or continue it on a new attempt.
         *
         * @return {@code false} under the {@code FAIL} policy, when restarts are used up, or when the total timeout ran out
         */
        public boolean restartable() {
            return restartable;
        }

        @Override
        public ErrorKind kind() {
            return failure.kind();
        }
    }

    /**
     * Every provider the router was allowed to try failed. {@link #attempts()} holds each attempt
     * in order, each with its own cause; the last failure is also this exception's cause.
     */
    public static final class AllProvidersFailed extends LlmException {
        private final LlmException last;

        /**
         * Creates the failure of a whole routed call.
         *
         * @param attempts every attempt made, in order; must not be empty
         * @param last the last failure, which becomes the cause
         */
        public AllProvidersFailed(List<Attempt> attempts, LlmException last) {
            super(null, describe(attempts, last), last);
            this.last = last;
            withAttempts(attempts);
        }

        /**
         * The last failure, the one that ended the call.
         *
         * @return the last failure
         */
        public LlmException lastFailure() {
            return last;
        }

        @Override
        public ErrorKind kind() {
            return last.kind();
        }

        private static String describe(List<Attempt> attempts, LlmException last) {
            StringBuilder text = new StringBuilder("All providers failed after ")
                    .append(attempts.size()).append(attempts.size() == 1 ? " attempt: " : " attempts: ");
            for (int i = 0; i < attempts.size(); i++) {
                Attempt attempt = attempts.get(i);
                if (i > 0) {
                    text.append(", ");
                }
                text.append(attempt.provider()).append(' ').append(attempt.errorKind() == null ? attempt.outcome() : attempt.errorKind());
            }
            if (attempts.isEmpty()) {
                text.append(last.kind());
            }
            return text.append(". Last: ").append(last.getMessage()).toString();
        }
    }
}
