package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.FixtureMetadata;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.PlaybackLatency;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Names the fixture that served a response in {@value FixtureServer#FIXTURE_HEADER} (any stub but
 * llmunit's own catch-alls: with or without llmunit metadata), and plays back the latency recorded
 * in a stub's {@code metadata.llmunit}, else the stub's declared delay, else zero: always as the response
 * headers {@value FixtureServer#RECORDED_LATENCY_HEADER} and {@value FixtureServer#RECORDED_TTFT_HEADER};
 * in {@link PlaybackLatency#REAL} mode also as a delay (a fixed delay for whole bodies; for streams
 * the time to first token, then the rest of the body dribbled in chunks). Applies to every stub,
 * so the mapping files themselves need no llmunit extension and stay standalone-compatible.
 */
public final class LatencyTransformer implements ResponseDefinitionTransformerV2 {

    /** The extension's name. */
    public static final String NAME = "llmunit-latency";

    /** Slices a stream is dribbled in after its first token: enough to look like a stream, few enough to stay cheap. */
    private static final int STREAM_CHUNKS = 10;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final PlaybackLatency latency;
    private final FixtureRuntime runtime;

    /**
     * Creates the transformer.
     *
     * @param latency how to play back recorded latency
     * @param runtime the server's shared state: which stubs are llmunit's own, and fixture names
     */
    public LatencyTransformer(PlaybackLatency latency, FixtureRuntime runtime) {
        this.latency = latency;
        this.runtime = runtime;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition response = serveEvent.getResponseDefinition();
        StubMapping stub = serveEvent.getStubMapping();
        if (stub == null || response == null || runtime.isInternal(stub)) {
            return response;
        }
        Optional<FixtureMetadata> metadata;
        try {
            metadata = FixtureMetadata.from(stub);
        } catch (IllegalArgumentException malformed) {
            metadata = Optional.empty(); // loaded sets are checked at start; a stub added in code is served as it is
        }
        // Any stub that answered is a fixture, with or without llmunit metadata (recordings of other
        // tools have none): naming it lets a test's call ledger say which fixture served each call.
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.like(response)
                .withHeader(FixtureServer.FIXTURE_HEADER, headerValue(runtime.fixtureName(stub)));
        Long recorded = metadata.map(FixtureMetadata::latencyMs).orElse(null);
        if (recorded == null) {
            // No recorded latency: the stub's own declared delay, or zero; the same on every run.
            builder.withHeader(FixtureServer.RECORDED_LATENCY_HEADER, Long.toString(declaredDelay(response)));
            return withReplayedDelay(builder.build());
        }
        long total = recorded;
        Long firstToken = metadata.get().timeToFirstTokenMs();
        builder.withHeader(FixtureServer.RECORDED_LATENCY_HEADER, Long.toString(total));
        if (firstToken != null) {
            builder.withHeader(FixtureServer.RECORDED_TTFT_HEADER, Long.toString(firstToken));
        }
        if (latency == PlaybackLatency.REAL) {
            if (metadata.get().stream() && firstToken != null && firstToken < total) {
                builder.withFixedDelay(toInt(firstToken)).withChunkedDribbleDelay(STREAM_CHUNKS, toInt(total - firstToken));
            } else {
                builder.withFixedDelay(toInt(total));
            }
        }
        return withReplayedDelay(builder.build());
    }

    /**
     * Says how long the server itself will hold the response back (fixed delay plus dribble), so a
     * test's ledger can tell that waiting, which stands in for the provider, from llmunit's own
     * time. A random (log-normal) delay is left out: its sample is drawn later, by WireMock.
     */
    private static ResponseDefinition withReplayedDelay(ResponseDefinition response) {
        long delay = declaredDelay(response);
        if (delay <= 0) {
            return response;
        }
        return ResponseDefinitionBuilder.like(response)
                .withHeader(FixtureServer.REPLAYED_DELAY_HEADER, Long.toString(delay))
                .build();
    }

    /** A stub's fixed delay plus its dribble; a random delay counts zero, since its sample differs per run. */
    private static long declaredDelay(ResponseDefinition response) {
        long delay = 0;
        if (response.getFixedDelayMilliseconds() != null) {
            delay += Math.max(0, response.getFixedDelayMilliseconds());
        }
        if (response.getChunkedDribbleDelay() != null && response.getChunkedDribbleDelay().getTotalDuration() != null) {
            delay += Math.max(0, response.getChunkedDribbleDelay().getTotalDuration());
        }
        return delay;
    }

    /**
     * The name as an ASCII header value that decodes back to it: Jetty writes header values as
     * ISO-8859-1 and blanks what does not fit, so a name with an ellipsis, an emoji or a CJK
     * message would reach the client as a different name.
     */
    private static String headerValue(String name) {
        StringBuilder value = new StringBuilder(name.length());
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%' && c != '+') {
                value.append((char) c);
            } else {
                value.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return value.toString();
    }

    private static int toInt(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, millis));
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
