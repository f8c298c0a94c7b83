package dev.llmunit.wiremock;

import dev.llmunit.wiremock.internal.EnumSetting;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a {@link FixtureServer} treats provider traffic.
 */
public enum FixtureMode {
    /** Serve recorded fixtures only; a request without a fixture fails with a message saying how to record it. The default. */
    PLAYBACK,
    /** Send every request to the real provider and (re)write its fixture. */
    RECORD,
    /** Serve what is recorded; send what is missing to the provider and record it. */
    AUTO,
    /** No fixtures: models talk to the real providers. */
    LIVE;

    /** The setting's name, as JUnit configuration parameter and system property. */
    public static final String PROPERTY = "llmunit.mode";
    /** The environment variable read when the property is not set. */
    public static final String ENVIRONMENT_VARIABLE = "LLMUNIT_MODE";

    /**
     * Resolves the mode: {@code llmunit.mode} from the given lookup (a JUnit configuration
     * parameter, which JUnit backs with system properties), else the system property, else the
     * environment variable {@code LLMUNIT_MODE}, else {@link #PLAYBACK}.
     *
     * @param configurationParameter looks up a JUnit configuration parameter; return empty when unset
     * @return the mode
     * @throws IllegalArgumentException when a value is not a mode, naming the setting, the value and the valid values
     */
    public static FixtureMode resolve(Function<String, Optional<String>> configurationParameter) {
        return configured(configurationParameter).orElse(PLAYBACK);
    }

    /**
     * The mode when the configuration sets one: {@code llmunit.mode} from the given lookup, else the
     * system property, else the environment variable {@code LLMUNIT_MODE}. A test framework uses it to
     * let a configured mode win over one written in code.
     *
     * @param configurationParameter looks up a JUnit configuration parameter; return empty when unset
     * @return the configured mode, or empty when nothing sets one
     * @throws IllegalArgumentException when a value is not a mode, naming the setting, the value and the valid values
     */
    public static Optional<FixtureMode> configured(Function<String, Optional<String>> configurationParameter) {
        return EnumSetting.configured(FixtureMode.class, PROPERTY, ENVIRONMENT_VARIABLE, configurationParameter);
    }

    /**
     * Parses a mode name, ignoring case and surrounding blanks.
     *
     * @param value the text, such as {@code auto}
     * @param setting where the text came from, for the error message
     * @return the mode
     * @throws IllegalArgumentException naming the setting, the value and the valid values
     */
    public static FixtureMode parse(String value, String setting) {
        return EnumSetting.parse(FixtureMode.class, value, setting);
    }
}
