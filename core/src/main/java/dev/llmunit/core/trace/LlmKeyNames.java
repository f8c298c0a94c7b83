package dev.llmunit.core.trace;

import io.micrometer.common.docs.KeyName;

/**
 * The tag keys llmunit puts on observations and meters. All are low-cardinality: a handful of
 * providers, models, outcomes and error kinds. Prompts and responses are never tags.
 */
public enum LlmKeyNames implements KeyName {
    /** The provider's name in the router. */
    PROVIDER("llmunit.provider"),
    /** The model name the call was priced by; {@code unknown} when none. */
    MODEL("llmunit.model"),
    /** {@code success} or {@code failure} for a routed call; {@code succeeded}, {@code failed} or {@code rejected} for an attempt. */
    OUTCOME("llmunit.outcome"),
    /** The {@link dev.llmunit.core.error.ErrorKind} of a failure; {@code none} on success. */
    ERROR_KIND("llmunit.error.kind"),
    /** The kind of tokens on {@code llmunit.tokens}: {@code input}, {@code output}, {@code cache_read}, {@code cache_write}, {@code reasoning}. */
    TOKEN_TYPE("llmunit.token.type");

    private final String key;

    LlmKeyNames(String key) {
        this.key = key;
    }

    @Override
    public String asString() {
        return key;
    }
}
