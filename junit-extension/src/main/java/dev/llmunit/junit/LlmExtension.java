package dev.llmunit.junit;

import org.junit.jupiter.api.extension.Extension;

/**
 * The llmunit JUnit extension (work in progress).
 */
public final class LlmExtension implements Extension {

    /** The fixture set used when none is configured. */
    public static final String DEFAULT_FIXTURE_SET = "default";

    /** The providers used when none are configured. */
    public static final String DEFAULT_PROVIDERS = "openai:gpt-4o-mini";
}
