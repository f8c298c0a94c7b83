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
 * Names the fixture that served a response in {@value FixtureServer#FIXTURE_HEADER}, and plays back
 * the latency recorded in a stub's {@code metadata.llmunit}: always as the response
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

    /**
     * Creates the transformer.
     *
     * @param latency how to play back recorded latency
     */
    public LatencyTransformer(PlaybackLatency latency) {
        this.latency = latency;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition response = serveEvent.getResponseDefinition();
        StubMapping stub = serveEvent.getStubMapping();
        if (stub == null || response == null) {
            return response;
        }
        Optional<FixtureMetadata> metadata;
        try {
            metadata = FixtureMetadata.from(stub);
        } catch (IllegalArgumentException malformed) {
            return response;
        }
        if (metadata.isEmpty()) {
            return response;
        }
        // Naming the fixture lets a test's call ledger say which fixture served each call.
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.like(response);
        if (stub.getName() != null) {
            builder.withHeader(FixtureServer.FIXTURE_HEADER, headerValue(stub.getName()));
        }
        FixtureMetadata facts = metadata.get();
        if (facts.latencyMs() == null) {
            return withReplayedDelay(builder.build());
        }
        long total = facts.latencyMs();
        Long firstToken = facts.timeToFirstTokenMs();
        builder.withHeader(FixtureServer.RECORDED_LATENCY_HEADER, Long.toString(total));
        if (firstToken != null) {
            builder.withHeader(FixtureServer.RECORDED_TTFT_HEADER, Long.toString(firstToken));
        }
        if (latency == PlaybackLatency.REAL) {
            if (facts.stream() && firstToken != null && firstToken < total) {
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
        long delay = 0;
        if (response.getFixedDelayMilliseconds() != null) {
            delay += response.getFixedDelayMilliseconds();
        }
        if (response.getChunkedDribbleDelay() != null && response.getChunkedDribbleDelay().getTotalDuration() != null) {
            delay += response.getChunkedDribbleDelay().getTotalDuration();
        }
        if (delay <= 0) {
            return response;
        }
        return ResponseDefinitionBuilder.like(response)
                .withHeader(FixtureServer.REPLAYED_DELAY_HEADER, Long.toString(delay))
                .build();
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
