package dev.llmunit.wiremock.internal;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.llmunit.wiremock.FixtureMode;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.LlmProvider;
import dev.llmunit.wiremock.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Records what the fixtures lack: sends the request to the provider with {@code java.net.http},
 * reads the body as it streams in (measuring the time to its first byte and the total latency),
 * returns the provider's response to the client unchanged, and writes its fixture with secrets
 * redacted. Runs on llmunit's lowest-priority catch-all stub per provider in record and auto mode;
 * in auto mode the new fixture is served from then on.
 *
 * <p>The request's headers are forwarded, except transport headers and the provider's credential
 * header, which is set to the configured API key: clients pointed at the fixture server carry a
 * placeholder key. Only 2xx responses are written; errors are passed through unrecorded.
 *
 * <p>Since it adds the real key, it relays only what a model call needs ({@link RecordingGuard}): a
 * request addressed to loopback (a page another site opened through DNS rebinding carries that site's
 * Host) and one of the provider's model-call endpoints; anything else gets a provider-shaped 403 and
 * never reaches the upstream. No configured key is ever written: a response header holding one is
 * dropped, a response body's copy is replaced, and a fixture that would still hold one is not written.
 */
public final class FixtureRecorder implements ResponseDefinitionTransformerV2 {

    /** The extension's name, as the catch-all stubs name it. */
    public static final String NAME = "llmunit-record";
    /** The error code of the answer sent when a key is missing. */
    public static final String MISSING_KEY_CODE = "llmunit_missing_api_key";
    /** The error code of the answer sent for a request record mode does not relay: not a model call, or not addressed to loopback. */
    public static final String REFUSED_CODE = "llmunit_not_relayed";
    /** The error code of the answer sent when the provider cannot be reached or the fixture cannot be written. */
    public static final String RECORDING_FAILED_CODE = "llmunit_recording_failed";

    private static final Set<String> NOT_FORWARDED = Set.of(
            "host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "keep-alive", "te", "trailer",
            "proxy-connection", "accept-encoding", "http2-settings", "date", "from", "via", "warning");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);

    private final FixtureRuntime runtime;
    private final Object writeLock = new Object();

    /**
     * Creates the recorder.
     *
     * @param runtime the server's shared state
     */
    public FixtureRecorder(FixtureRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        LoggedRequest request = serveEvent.getRequest();
        URI url = URI.create(request.getUrl());
        LlmProvider provider = runtime.paths().providerFor(url.getRawPath());
        if (provider == null) {
            return serveEvent.getResponseDefinition();
        }
        // Checked before the key is even read: what is refused here never leaves this machine.
        String host = request.getHeader("Host");
        if (!RecordingGuard.isLoopbackHost(host)) {
            return ProviderErrors.response(provider, 403, REFUSED_CODE, "llmunit relays to " + provider.id()
                    + " with your API key only for requests addressed to this machine, and this one had "
                    + (host == null || host.isBlank() ? "no Host header" : "Host '" + RecordingGuard.printable(host) + "'")
                    + "; nothing was sent upstream. Point the client at the fixture server's own URL, such as "
                    + "http://127.0.0.1:<port>" + runtime.paths().prefix(provider) + " (FixtureServer.baseUrl(..))");
        }
        String method = request.getMethod().getName();
        String rest = runtime.paths().rest(provider, url.getRawPath());
        if (!RecordingGuard.isModelCall(provider, method, rest)) {
            return ProviderErrors.response(provider, 403, REFUSED_CODE, "llmunit records only model calls, and "
                    + method + " " + RecordingGuard.printable(url.getRawPath()) + " is not one, so it was not sent to "
                    + provider.id() + " with your API key. " + provider.id() + "'s model calls are "
                    + RecordingGuard.modelCalls(provider, runtime.paths().prefix(provider))
                    + "; send anything else to the provider itself, not through llmunit");
        }
        Optional<String> key = runtime.apiKey(provider);
        if (key.isEmpty()) {
            return ProviderErrors.response(provider, 401, MISSING_KEY_CODE, runtime.missingKeyMessage(provider));
        }
        RequestFacts facts = RequestFacts.of(provider, method, url.getRawPath(), request.getBody(),
                runtime.volatileFields());
        URI target = upstreamUri(provider, url);
        Upstream upstream;
        try {
            upstream = call(provider, key.get(), request, target);
        } catch (IOException | RuntimeException e) {
            return ProviderErrors.response(provider, 502, RECORDING_FAILED_CODE, "llmunit could not record " + provider.id()
                    + ": " + facts.method() + " " + target + " failed: " + e + ". Check the upstream (llmunit.upstream."
                    + provider.id() + ") and the network, or play back recorded fixtures with -Dllmunit.mode=playback");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderErrors.response(provider, 503, RECORDING_FAILED_CODE,
                    "llmunit was interrupted while recording " + provider.id() + " from " + target);
        }

        if (upstream.status == 404) {
            // A wrong upstream (a base URL without its /v1, a typo in the path) answers every call 404;
            // the provider's own message names neither the URL tried nor the setting that chose it.
            String answer = new String(upstream.body, java.nio.charset.StandardCharsets.UTF_8).strip();
            return ProviderErrors.response(provider, 404, RECORDING_FAILED_CODE, "llmunit could not record " + provider.id()
                    + ": " + facts.method() + " " + target + " answered 404 Not Found"
                    + (answer.isEmpty() ? "" : " (" + (answer.length() > 300 ? answer.substring(0, 300) + "…" : answer) + ")")
                    + ". If the URL is wrong, fix the upstream base URL (the setting llmunit.upstream." + provider.id()
                    + " or FixtureServer.builder().upstream(..), now " + runtime.upstream(provider) + "); it includes the API"
                    + " version, like " + provider.defaultUpstream());
        }
        if (upstream.status >= 200 && upstream.status < 300) {
            try {
                save(facts, upstream, Samples.requested(request));
            } catch (RuntimeException e) {
                return ProviderErrors.response(provider, 500, RECORDING_FAILED_CODE, "llmunit called " + provider.id()
                        + " but could not write the fixture " + facts.fixtureName() + ": " + e.getMessage());
            }
        }
        List<HttpHeader> headers = new ArrayList<>();
        upstream.headers.forEach((name, values) -> {
            if (!name.startsWith(":") && !Redaction.TRANSPORT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(new HttpHeader(name, values));
            }
        });
        headers.add(new HttpHeader(FixtureServer.RECORDED_LATENCY_HEADER, Long.toString(upstream.latencyMs)));
        headers.add(new HttpHeader(FixtureServer.RECORDED_TTFT_HEADER, Long.toString(upstream.timeToFirstTokenMs)));
        return responseDefinition()
                .withStatus(upstream.status)
                .withHeaders(new HttpHeaders(headers))
                .withBody(upstream.body)
                .build();
    }

    private void save(RequestFacts facts, Upstream upstream, int sample) {
        List<String> keys = configuredKeys();
        List<HttpHeader> stored = new ArrayList<>();
        upstream.headers.forEach((name, values) -> {
            // A header that echoes a key (a debugging proxy's, a gateway's) is dropped whatever its name.
            if (Redaction.isStoredResponseHeader(name) && values.stream().noneMatch(value -> RecordingGuard.containsAny(value, keys))) {
                stored.add(new HttpHeader(name, values));
            }
        });
        String contentType = upstream.headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase("content-type") && !header.getValue().isEmpty())
                .map(header -> header.getValue().get(0))
                .findFirst()
                .orElse("");
        Path directory = Objects.requireNonNull(Objects.requireNonNull(runtime.location(), "fixture location").directory(),
                "fixture directory");
        FixtureWriter.Exchange exchange = new FixtureWriter.Exchange(upstream.status, new HttpHeaders(stored),
                RecordingGuard.withoutKeys(upstream.body, keys), contentType, upstream.latencyMs, upstream.timeToFirstTokenMs);
        synchronized (writeLock) {
            FixtureWriter.Written written = FixtureWriter.write(directory, facts, exchange, runtime.volatileFields(), sample, keys);
            runtime.addRecorded(written.fixture());
            runtime.addFixtureNames(Map.of(written.stub().getId(), written.fixture().name()));
            runtime.registerSample(written.stub());
            if (runtime.mode() == FixtureMode.AUTO) {
                WireMockServer wireMock = runtime.wireMock();
                boolean known = wireMock.getStubMappings().stream().anyMatch(stub -> stub.getId().equals(written.stub().getId()));
                if (known) {
                    wireMock.editStubMapping(written.stub());
                } else {
                    wireMock.addStubMapping(written.stub());
                }
            }
        }
    }

    /** Every provider's configured key (not only the one this call used): none may be written into any fixture. */
    private List<String> configuredKeys() {
        List<String> keys = new ArrayList<>();
        for (LlmProvider provider : LlmProvider.values()) {
            runtime.apiKey(provider).filter(RecordingGuard::isGuardedKey).ifPresent(keys::add);
        }
        return keys;
    }

    private URI upstreamUri(LlmProvider provider, URI url) {
        String base = runtime.upstream(provider).toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String suffix = runtime.paths().rest(provider, url.getRawPath());
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        return URI.create(Redaction.withoutPrivateQueryParameters(base + suffix + query));
    }

    private Upstream call(LlmProvider provider, String key, LoggedRequest request, URI target)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(RESPONSE_TIMEOUT);
        String credential = credentialHeader(provider);
        for (HttpHeader header : request.getHeaders().all()) {
            String lower = header.key().toLowerCase(Locale.ROOT);
            // llmunit's own headers (the sample a run asks for) are for the fixture server, never the provider.
            if (NOT_FORWARDED.contains(lower) || lower.equals(credential) || lower.startsWith(":") || lower.startsWith("x-llmunit-")) {
                continue;
            }
            for (String value : header.values()) {
                builder.header(header.key(), value);
            }
        }
        builder.header(credential, provider == LlmProvider.OPENAI ? "Bearer " + key : key);
        byte[] body = request.getBody();
        builder.method(request.getMethod().getName(),
                body == null || body.length == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));

        long start = System.nanoTime();
        HttpResponse<InputStream> response = UpstreamClient.INSTANCE.send(builder.build(), BodyHandlers.ofInputStream());
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        long firstByte;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[8192];
            int read = in.read(buffer);
            firstByte = System.nanoTime();
            while (read >= 0) {
                content.write(buffer, 0, read);
                read = in.read(buffer);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long end = System.nanoTime();
        return new Upstream(response.statusCode(), response.headers().map(), content.toByteArray(),
                TimeUnit.NANOSECONDS.toMillis(end - start), TimeUnit.NANOSECONDS.toMillis(firstByte - start));
    }

    private static String credentialHeader(LlmProvider provider) {
        return switch (provider) {
            case OPENAI -> "authorization";
            case ANTHROPIC -> "x-api-key";
            case GEMINI -> "x-goog-api-key";
        };
    }

    private record Upstream(int status, Map<String, List<String>> headers, byte[] body, long latencyMs, long timeToFirstTokenMs) {}

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** One upstream client for the JVM, created on the first recording: playback never needs one. */
    private static final class UpstreamClient {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }
}
