package dev.llmunit.wiremock;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A fixture a {@link FixtureServer} wrote in record or auto mode.
 *
 * @param provider the provider recorded
 * @param model the model the request named, or {@code unknown}
 * @param name the fixture's file name without extension, {@code <provider>-<model>-<hash12>}
 * @param mappingFile the stub mapping written, {@code mappings/<name>.json}
 * @param bodyFile the response body written, {@code __files/<name>.json} or {@code .txt} for streams
 * @param latencyMs the measured total latency in milliseconds
 * @param timeToFirstTokenMs the measured time to the first byte of the response body in milliseconds
 * @param stream whether the response is a stream (SSE or NDJSON)
 */
public record RecordedFixture(
        LlmProvider provider,
        String model,
        String name,
        Path mappingFile,
        Path bodyFile,
        long latencyMs,
        long timeToFirstTokenMs,
        boolean stream) {

    /** Checks that the required values are present. */
    public RecordedFixture {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mappingFile, "mappingFile");
        Objects.requireNonNull(bodyFile, "bodyFile");
    }
}
