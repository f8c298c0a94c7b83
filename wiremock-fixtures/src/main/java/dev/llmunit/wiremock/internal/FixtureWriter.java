package dev.llmunit.wiremock.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.FixtureMetadata;
import dev.llmunit.wiremock.RecordedFixture;
import dev.llmunit.wiremock.Redaction;
import dev.llmunit.wiremock.RequestMatching;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes one recorded exchange as a plain WireMock fixture: {@code mappings/<name>.json} (method,
 * URL path, strict body matching by {@link RequestMatching}, stored headers, llmunit metadata) and
 * {@code __files/<name>.json} ({@code .txt} for streams and other text) holding the body with
 * volatile ids normalised. Re-recording the same request rewrites the same two files.
 */
public final class FixtureWriter {

    private FixtureWriter() {}

    /**
     * What was written.
     *
     * @param stub the stub mapping, as written to the mapping file
     * @param fixture the summary reported by the server
     */
    public record Written(StubMapping stub, RecordedFixture fixture) {}

    /**
     * A response to store.
     *
     * @param status the HTTP status
     * @param headers the response headers to store, already redacted
     * @param body the body exactly as received
     * @param contentType the response's content type, empty when none
     * @param latencyMs the measured total latency
     * @param timeToFirstTokenMs the measured time to the first byte of the body
     */
    public record Exchange(int status, HttpHeaders headers, byte[] body, String contentType, long latencyMs, long timeToFirstTokenMs) {}

    /**
     * Writes the fixture of one exchange.
     *
     * @param directory the fixture directory, holding {@code mappings/} and {@code __files/}
     * @param facts what the request says
     * @param exchange the response and its timing
     * @param volatileFields top-level body fields the match ignores
     * @return the stub and the summary
     * @throws UncheckedIOException when a file cannot be written
     */
    public static Written write(Path directory, RequestFacts facts, Exchange exchange, Set<String> volatileFields) {
        return write(directory, facts, exchange, volatileFields, 1, List.of());
    }

    /**
     * Writes the fixture of one recorded sample of a request (see {@link Samples}): sample 1 is the
     * request's ordinary fixture; sample {@code n} is {@code <name>-sample-n}, in the request's
     * scenario, and puts sample 1's mapping file into the scenario too when it is not yet.
     *
     * @param directory the fixture directory
     * @param facts what the request says
     * @param exchange the response and its timing
     * @param volatileFields top-level body fields the match ignores
     * @param sample the sample's number, from 1
     * @param keys the configured API keys: when either file would still hold one (in the request's body, path or
     *     name; headers and bodies are redacted before), neither is written
     * @return the stub and the summary
     * @throws UncheckedIOException when a file cannot be written
     * @throws IllegalStateException when a file would hold a key
     */
    public static Written write(Path directory, RequestFacts facts, Exchange exchange, Set<String> volatileFields, int sample,
            List<String> keys) {
        String type = exchange.contentType().toLowerCase(Locale.ROOT);
        boolean stream = type.contains("text/event-stream") || type.contains("ndjson");
        boolean json = !stream && type.contains("json");
        boolean text = stream || json || type.startsWith("text/") || type.isEmpty();
        String name = Samples.fileName(facts.fixtureName(), sample);
        Path mappings = directory.resolve(FixtureLocation.MAPPINGS);
        // Sample 1 re-recorded (record mode) stays in its scenario when later samples exist.
        boolean sampled = sample > 1 || Files.exists(mappings.resolve(Samples.fileName(facts.fixtureName(), 2) + ".json"));
        String bodyFileName = name + (json ? ".json" : ".txt");
        byte[] body = text
                ? Redaction.normaliseResponseIds(new String(exchange.body(), StandardCharsets.UTF_8), facts.hash()).getBytes(StandardCharsets.UTF_8)
                : exchange.body();

        FixtureMetadata metadata = new FixtureMetadata(facts.provider().id(), facts.model(), exchange.latencyMs(),
                exchange.timeToFirstTokenMs(), LocalDate.now(ZoneOffset.UTC), stream);
        MappingBuilder mapping = request(facts.method(), urlPathEqualTo(facts.path()))
                .withId(Samples.stubId(facts.fixtureName(), sample))
                .withName(facts.stubName() + (sample > 1 ? " (sample " + sample + ")" : ""))
                .withMetadata(metadata.toMetadata())
                .willReturn(aResponse()
                        .withStatus(exchange.status())
                        .withHeaders(exchange.headers())
                        .withBodyFile(bodyFileName));
        if (facts.jsonObjectBody()) {
            RequestMatching.matchingBody(mapping, facts.bodyText(), volatileFields);
        } else if (!facts.bodyText().isEmpty()) {
            mapping.withRequestBody(equalTo(facts.bodyText()));
        }
        if (sampled) {
            Samples.inScenario(mapping, facts.fixtureName(), sample);
        }
        StubMapping stub = mapping.build();

        Path bodyFile = directory.resolve(FixtureLocation.FILES).resolve(bodyFileName);
        Path mappingFile = directory.resolve(FixtureLocation.MAPPINGS).resolve(name + ".json");
        byte[] mappingJson = (Json.write(stub) + "\n").getBytes(StandardCharsets.UTF_8);
        if (RecordingGuard.containsAny(mappingJson, keys) || RecordingGuard.containsAny(body, keys)) {
            throw new IllegalStateException("the request holds a configured API key (in its body or path), so its fixture "
                    + mappingFile.getFileName() + " was not written: a fixture must never hold a key. Take the key out of the"
                    + " prompt or request");
        }
        // The body first: a mapping must never name a body file that is not there yet.
        writeAtomically(bodyFile, body);
        writeAtomically(mappingFile, mappingJson);
        if (sample > 1) {
            intoScenario(mappings.resolve(Samples.fileName(facts.fixtureName(), 1) + ".json"), facts.fixtureName());
        }
        return new Written(stub, new RecordedFixture(facts.provider(), facts.model(), name, mappingFile, bodyFile,
                exchange.latencyMs(), exchange.timeToFirstTokenMs(), stream));
    }

    /** Puts sample 1's mapping file into its request's scenario, once its request has a second sample. */
    private static void intoScenario(Path firstMapping, String fixtureName) {
        if (!Files.isRegularFile(firstMapping)) {
            return;
        }
        try {
            StubMapping first = StubMapping.buildFrom(Files.readString(firstMapping, StandardCharsets.UTF_8));
            if (first.isInScenario()) {
                return;
            }
            Samples.inScenario(first, fixtureName, 1);
            writeAtomically(firstMapping, (Json.write(first) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("Could not put the fixture " + firstMapping + " into its sample scenario: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static void writeAtomically(Path file, byte[] content) {
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the fixture file " + file + ": " + e.getMessage(), e);
        }
    }
}
