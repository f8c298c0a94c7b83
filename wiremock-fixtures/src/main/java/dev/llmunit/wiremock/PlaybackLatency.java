package dev.llmunit.wiremock;

import dev.llmunit.wiremock.internal.EnumSetting;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a {@link FixtureServer} plays back the latency recorded in a fixture's metadata
 * ({@code metadata.llmunit.latencyMs} and {@code timeToFirstTokenMs}).
 */
public enum PlaybackLatency {
    /**
     * Answer at once and report the recorded latency in the response headers
     * {@value FixtureServer#RECORDED_LATENCY_HEADER} and {@value FixtureServer#RECORDED_TTFT_HEADER}, so
     * latency verdicts are deterministic. The default.
     */
    VIRTUAL,
    /**
     * Wait as long as the provider did: a fixed delay for whole responses; for streams, a delay
     * until the first chunk (the recorded time to first token) and the rest of the body dribbled
     * over the remaining time. For timeout tests. The headers are sent too.
     */
    REAL;

    /** The setting's name, as JUnit configuration parameter and system property. */
    public static final String PROPERTY = "llmunit.latency";
    /** The environment variable read when the property is not set. */
    public static final String ENVIRONMENT_VARIABLE = "LLMUNIT_LATENCY";

    /**
     * Resolves the playback latency: {@code llmunit.latency} from the given lookup, else the system
     * property, else the environment variable {@code LLMUNIT_LATENCY}, else {@link #VIRTUAL}.
     *
     * @param configurationParameter looks up a JUnit configuration parameter; return empty when unset
     * @return the playback latency
     * @throws IllegalArgumentException when a value is not one, naming the setting, the value and the valid values
     */
    public static PlaybackLatency resolve(Function<String, Optional<String>> configurationParameter) {
        return EnumSetting.resolve(PlaybackLatency.class, PROPERTY, ENVIRONMENT_VARIABLE, configurationParameter, VIRTUAL);
    }

    /**
     * Parses a playback latency name, ignoring case and surrounding blanks.
     *
     * @param value the text, such as {@code real}
     * @param setting where the text came from, for the error message
     * @return the playback latency
     * @throws IllegalArgumentException naming the setting, the value and the valid values
     */
    public static PlaybackLatency parse(String value, String setting) {
        return EnumSetting.parse(PlaybackLatency.class, value, setting);
    }
}
