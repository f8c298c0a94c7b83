package dev.llmunit.wiremock.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads an enum-valued llmunit setting the one way every setting is read: a JUnit configuration
 * parameter, else the system property of the same name, else an environment variable, else the
 * default; a bad value fails naming where it came from, the value and the valid values.
 */
public final class EnumSetting {

    private EnumSetting() {}

    /**
     * Resolves a setting.
     *
     * @param type the enum
     * @param property the configuration parameter and system property name, such as {@code llmunit.mode}
     * @param environmentVariable the environment variable, such as {@code LLMUNIT_MODE}
     * @param configurationParameter looks up a configuration parameter; empty when unset
     * @param fallback the value when nothing is set
     * @param <E> the enum type
     * @return the value
     * @throws IllegalArgumentException for a value that is not a constant of the enum
     */
    public static <E extends Enum<E>> E resolve(Class<E> type, String property, String environmentVariable,
            Function<String, Optional<String>> configurationParameter, E fallback) {
        return configured(type, property, environmentVariable, configurationParameter).orElse(fallback);
    }

    /**
     * The setting's value when something sets it: a configuration parameter, the system property or
     * the environment variable, in that order.
     *
     * @param type the enum
     * @param property the configuration parameter and system property name
     * @param environmentVariable the environment variable
     * @param configurationParameter looks up a configuration parameter; empty when unset
     * @param <E> the enum type
     * @return the value, or empty when nothing sets it
     * @throws IllegalArgumentException for a value that is not a constant of the enum
     */
    public static <E extends Enum<E>> Optional<E> configured(Class<E> type, String property, String environmentVariable,
            Function<String, Optional<String>> configurationParameter) {
        Optional<String> parameter = configurationParameter.apply(property);
        if (parameter.isPresent()) {
            return Optional.of(parse(type, parameter.get(), "configuration parameter " + property));
        }
        String systemProperty = System.getProperty(property);
        if (systemProperty != null) {
            return Optional.of(parse(type, systemProperty, "system property " + property));
        }
        String variable = System.getenv(environmentVariable);
        if (variable != null) {
            return Optional.of(parse(type, variable, "environment variable " + environmentVariable));
        }
        return Optional.empty();
    }

    /**
     * Parses a constant name, ignoring case and surrounding blanks.
     *
     * @param type the enum
     * @param value the text
     * @param setting where the text came from, for the error message
     * @param <E> the enum type
     * @return the constant
     * @throws IllegalArgumentException naming the setting, the value and the valid values
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String value, String setting) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(setting + " is '" + value + "', which is not " + describe(type) + "; use one of "
                + Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
    }

    private static String describe(Class<?> type) {
        // FixtureMode -> "a fixture mode", PlaybackLatency -> "a playback latency"
        String words = type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return "a " + words;
    }
}
