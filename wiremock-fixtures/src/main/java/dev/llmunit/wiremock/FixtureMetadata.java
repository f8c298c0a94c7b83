package dev.llmunit.wiremock;

import com.github.tomakehurst.wiremock.common.Metadata;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * llmunit's facts about one fixture, kept in the stub mapping's {@code metadata} object under the
 * key {@value #KEY}, so plain WireMock ignores them and llmunit can read them back:
 *
 * <pre>{@code
 * "metadata": { "llmunit": { "provider": "openai", "model": "gpt-4o-mini", "stream": false,
 *                            "latencyMs": 812, "timeToFirstTokenMs": 240, "recordedAt": "2025-06-01" } }
 * }</pre>
 *
 * Recordings write all fields; hand-written fixtures set what they know, for example
 * {@code mapping.withMetadata(FixtureMetadata.of(LlmProvider.OPENAI, "gpt-4o-mini").withLatencyMs(300).toMetadata())}.
 *
 * @param provider the provider id, such as {@code openai} ({@link LlmProvider#id()})
 * @param model the model the request named, null when unknown
 * @param latencyMs the recorded total latency in milliseconds, null when unknown
 * @param timeToFirstTokenMs the recorded time to the first byte of the response body in milliseconds, null when unknown
 * @param recordedAt the day of the recording (UTC), null for hand-written fixtures
 * @param stream whether the response is a stream (SSE or NDJSON)
 */
public record FixtureMetadata(
        String provider,
        @Nullable String model,
        @Nullable Long latencyMs,
        @Nullable Long timeToFirstTokenMs,
        @Nullable LocalDate recordedAt,
        boolean stream) {

    /** The key of llmunit's object inside a stub mapping's {@code metadata}. */
    public static final String KEY = "llmunit";

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException when the provider is blank or a latency is negative
     */
    public FixtureMetadata {
        Objects.requireNonNull(provider, "provider");
        if (provider.isBlank()) {
            throw new IllegalArgumentException("provider must not be blank");
        }
        if (latencyMs != null && latencyMs < 0) {
            throw new IllegalArgumentException("latencyMs must be at least 0, but was " + latencyMs);
        }
        if (timeToFirstTokenMs != null && timeToFirstTokenMs < 0) {
            throw new IllegalArgumentException("timeToFirstTokenMs must be at least 0, but was " + timeToFirstTokenMs);
        }
    }

    /**
     * Metadata of a fixture with no recorded latency, not a stream.
     *
     * @param provider the provider
     * @param model the model, null when unknown
     * @return the metadata
     */
    public static FixtureMetadata of(LlmProvider provider, @Nullable String model) {
        return new FixtureMetadata(provider.id(), model, null, null, null, false);
    }

    /**
     * A copy with a recorded total latency.
     *
     * @param millis the latency in milliseconds, at least 0
     * @return the copy
     */
    public FixtureMetadata withLatencyMs(long millis) {
        return new FixtureMetadata(provider, model, millis, timeToFirstTokenMs, recordedAt, stream);
    }

    /**
     * A copy with a recorded time to first token.
     *
     * @param millis the time to the first byte of the body in milliseconds, at least 0
     * @return the copy
     */
    public FixtureMetadata withTimeToFirstTokenMs(long millis) {
        return new FixtureMetadata(provider, model, latencyMs, millis, recordedAt, stream);
    }

    /**
     * A copy that says whether the response is a stream.
     *
     * @param isStream true for SSE or NDJSON bodies
     * @return the copy
     */
    public FixtureMetadata withStream(boolean isStream) {
        return new FixtureMetadata(provider, model, latencyMs, timeToFirstTokenMs, recordedAt, isStream);
    }

    /**
     * The stub mapping metadata holding these facts, for {@code MappingBuilder.withMetadata(..)}.
     *
     * @return a map with the single key {@value #KEY}; null fields are left out
     */
    public Map<String, Object> toMetadata() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("provider", provider);
        if (model != null) {
            facts.put("model", model);
        }
        facts.put("stream", stream);
        if (latencyMs != null) {
            facts.put("latencyMs", latencyMs);
        }
        if (timeToFirstTokenMs != null) {
            facts.put("timeToFirstTokenMs", timeToFirstTokenMs);
        }
        if (recordedAt != null) {
            facts.put("recordedAt", recordedAt.toString());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(KEY, facts);
        return metadata;
    }

    /**
     * Reads the facts of a stub mapping.
     *
     * @param stub a stub mapping, loaded from a file or built by the fixture DSL
     * @return the facts; empty when the stub has no {@value #KEY} metadata
     * @throws IllegalArgumentException when {@value #KEY} metadata is there but a value has the wrong
     *     type (a provider that is not a string, {@code latencyMs: "fast"}), naming the stub, the field and the value
     */
    public static Optional<FixtureMetadata> from(StubMapping stub) {
        Metadata metadata = stub.getMetadata();
        if (metadata == null || !metadata.containsKey(KEY)) {
            return Optional.empty();
        }
        String where = "stub " + (stub.getName() == null ? stub.getId() : "'" + stub.getName() + "'") + ": metadata." + KEY;
        if (!(metadata.get(KEY) instanceof Map<?, ?> facts)) {
            throw new IllegalArgumentException(where + " must be an object such as {\"provider\": \"openai\", \"latencyMs\": 812}, but was "
                    + describe(metadata.get(KEY)));
        }
        if (!(facts.get("provider") instanceof String provider) || provider.isBlank()) {
            throw new IllegalArgumentException(where + ".provider must be a provider id such as \"openai\", but was "
                    + describe(facts.get("provider")));
        }
        Object model = facts.get("model");
        if (model != null && !(model instanceof String)) {
            throw new IllegalArgumentException(where + ".model must be a model name such as \"gpt-4o-mini\", but was " + describe(model));
        }
        Object stream = facts.get("stream");
        if (stream != null && !(stream instanceof Boolean)) {
            throw new IllegalArgumentException(where + ".stream must be true or false, but was " + describe(stream));
        }
        Long latency = millis(facts.get("latencyMs"), where + ".latencyMs");
        Long firstToken = millis(facts.get("timeToFirstTokenMs"), where + ".timeToFirstTokenMs");
        if (latency != null && latency < 0 || firstToken != null && firstToken < 0) {
            throw new IllegalArgumentException(where + ": latencies must be at least 0 ms, but latencyMs was " + latency
                    + " and timeToFirstTokenMs " + firstToken);
        }
        return Optional.of(new FixtureMetadata(provider, (String) model, latency, firstToken,
                date(facts.get("recordedAt"), where + ".recordedAt"), Boolean.TRUE.equals(stream)));
    }

    private static @Nullable Long millis(@Nullable Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        throw new IllegalArgumentException(where + " must be a whole number of milliseconds such as 812, but was " + describe(value));
    }

    /** How messages show a wrong value: its JSON type and the value, so {@code "fast"} reads as the string it is. */
    private static String describe(@Nullable Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof String text) {
            return "the string \"" + text + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "the object " + value;
        }
        if (value instanceof java.util.List<?>) {
            return "the array " + value;
        }
        return (value instanceof Boolean ? "the boolean " : "the number ") + value;
    }

    private static @Nullable LocalDate date(@Nullable Object value, String where) {
        if (value == null) {
            return null;
        }
        try {
            String text = value.toString();
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + " must be an ISO date such as \"2025-06-01\", but was " + describe(value), e);
        }
    }
}
