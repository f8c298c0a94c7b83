package dev.llmunit.core.error;

/**
 * The kinds of failure a caller of an LLM can act on. Every provider failure is classified into
 * exactly one kind by {@link ErrorClassifier}; the router decides retry and fallback by kind.
 */
public enum ErrorKind {
    /** The provider throttled the call (HTTP 429 rate limit); waiting helps. Retried, honouring {@code Retry-After}. */
    RATE_LIMITED(true),
    /** The call did not complete in time (HTTP 408 or a client-side timeout). Retried. */
    TIMEOUT(true),
    /** The provider could not serve: HTTP 5xx, Anthropic 529 overloaded, a connection failure or an open circuit. Retried. */
    PROVIDER_UNAVAILABLE(true),
    /** The credentials were refused (HTTP 401/403). Never retried: the same key fails again. */
    AUTHENTICATION(false),
    /** The account has no quota or credit left (OpenAI 429 {@code insufficient_quota}). Never retried. */
    QUOTA_EXHAUSTED(false),
    /** The provider rejected the request itself (other 4xx, unknown model). Never retried. */
    INVALID_REQUEST(false),
    /** The prompt does not fit the model's input window. Never retried; falls back only to a larger window. */
    CONTEXT_LENGTH_EXCEEDED(false),
    /** The provider's content filter refused the request or the answer. Never retried. */
    CONTENT_FILTERED(false),
    /** llmunit refused the call because it would exceed a cost budget. Never retried. */
    BUDGET_EXCEEDED(false);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /**
     * Whether retrying the same provider can succeed.
     *
     * @return {@code true} for rate limits, timeouts and unavailability; {@code false} for every
     *     kind where the same request would fail again
     */
    public boolean isRetryable() {
        return retryable;
    }
}
