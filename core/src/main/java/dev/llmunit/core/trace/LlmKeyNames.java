package dev.llmunit.core.trace;

import io.micrometer.common.docs.KeyName;

/**
 * The tag keys llmunit puts on observations and meters. All but {@link #REQUEST_ID} are
 * low-cardinality: a handful of routers, providers, models, outcomes and error kinds. Prompts and
 * responses are never tags.
 */
public enum LlmKeyNames implements KeyName {
    /** The router's name ({@code RouterBuilder.name(..)}), so routers sharing a meter registry keep their own meters. */
    ROUTER("llmunit.router"),
    /** The provider's name in the router. */
    PROVIDER("llmunit.provider"),
    /** The provider's configured model name; {@code unknown} when none. */
    MODEL("llmunit.model"),
    /**
     * {@code success}, {@code failure} or {@code cancelled} for a routed call; {@code succeeded},
     * {@code failed}, {@code rejected} or {@code cancelled} for an attempt.
     */
    OUTCOME("llmunit.outcome"),
    /** The {@link dev.llmunit.core.error.ErrorKind} of a failure; {@code none} on success. */
    ERROR_KIND("llmunit.error.kind"),
    /** The kind of tokens on {@code llmunit.tokens}: {@code input}, {@code output}, {@code cache_read}, {@code cache_write}, {@code reasoning}. */
    TOKEN_TYPE("llmunit.token.type"),
    /** The ensemble's name ({@code EnsembleBuilder.name(..)}) on ensemble meters. */
    ENSEMBLE("llmunit.ensemble"),
    /** A member's name in its ensemble. */
    MEMBER("llmunit.member"),
    /** The ensemble's merge strategy, such as {@code majorityVote}. */
    MERGE("llmunit.merge"),
    /** High cardinality, on the route observation only: the trace's request id, to match spans with reports and logs. */
    REQUEST_ID("llmunit.request.id");

    private final String key;

    LlmKeyNames(String key) {
        this.key = key;
    }

    @Override
    public String asString() {
        return key;
    }
}
