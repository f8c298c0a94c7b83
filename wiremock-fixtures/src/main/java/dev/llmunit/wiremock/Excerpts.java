package dev.llmunit.wiremock;

import dev.llmunit.wiremock.internal.EnumSetting;
import java.util.Optional;
import java.util.function.Function;

/**
 * What llmunit keeps of prompts and answers where people and CI logs read them: the report
 * ({@code report.json}, {@code report.html}: each call's prompt and answer, an ensemble's answers,
 * each missing fixture's last user message and difference) and the missing-fixture error. Set with
 * {@value #PROPERTY} ({@code keep}, {@code redact} or {@code drop}); a project whose prompts hold
 * personal or confidential data redacts or drops them. Fixture files are not affected.
 */
public enum Excerpts {

    /** The first characters of each text, as llmunit keeps them (the default). */
    KEEP,
    /** Each text replaced by its length, such as {@code [redacted: 143 characters]}; values in a difference are hidden. */
    REDACT,
    /** Each text left out (empty); values in a difference are hidden. */
    DROP;

    /** The setting's name, as JUnit configuration parameter and system property. */
    public static final String PROPERTY = "llmunit.excerpts";
    /** The environment variable read when the property is not set. */
    public static final String ENVIRONMENT_VARIABLE = "LLMUNIT_EXCERPTS";

    /**
     * Resolves the setting: {@value #PROPERTY} from the given lookup, else the system property, else
     * the environment variable {@value #ENVIRONMENT_VARIABLE}, else {@link #KEEP}.
     *
     * @param configurationParameter looks up a JUnit configuration parameter; return empty when unset
     * @return the setting
     * @throws IllegalArgumentException when a value is not one, naming the setting, the value and the valid values
     */
    public static Excerpts resolve(Function<String, Optional<String>> configurationParameter) {
        return EnumSetting.resolve(Excerpts.class, PROPERTY, ENVIRONMENT_VARIABLE, configurationParameter, KEEP);
    }

    /**
     * A text as this setting keeps it.
     *
     * @param text a prompt, an answer or a part of one
     * @return the text, its length in brackets, or empty
     */
    public String apply(String text) {
        return switch (this) {
            case KEEP -> text;
            case REDACT -> text.isEmpty() ? "" : "[redacted: " + text.codePointCount(0, text.length()) + " characters]";
            case DROP -> "";
        };
    }

    /**
     * Whether values (a prompt's text in a difference) may be shown.
     *
     * @return {@code true} only for {@link #KEEP}
     */
    public boolean showsValues() {
        return this == KEEP;
    }
}
