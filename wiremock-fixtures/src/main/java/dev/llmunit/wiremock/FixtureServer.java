package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPattern;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.internal.FixtureLocation;
import dev.llmunit.wiremock.internal.FixtureRecorder;
import dev.llmunit.wiremock.internal.FixtureRuntime;
import dev.llmunit.wiremock.internal.FixtureStores;
import dev.llmunit.wiremock.internal.LatencyTransformer;
import dev.llmunit.wiremock.internal.MissingFixtureResponder;
import dev.llmunit.wiremock.internal.NoMappingsSource;
import dev.llmunit.wiremock.internal.ProviderPaths;
import dev.llmunit.wiremock.internal.SampleSelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An embedded WireMock server on 127.0.0.1 that plays LLM providers from fixtures: plain WireMock
 * stub mappings ({@code mappings/*.json}, {@code __files/*}), so the standalone WireMock jar
 * serves the same files unchanged. One server plays several providers at once, each under its
 * {@link LlmProvider#basePath()}, or under the path prefix its fixture set uses (recordings of
 * other tools sit at the providers' real paths, such as {@code /v1/chat/completions}: see
 * {@link Builder#pathPrefix(LlmProvider, String)}), and is safe to share between parallel tests
 * (it never uses WireMock's static DSL).
 *
 * <p>What it does depends on the {@link FixtureMode}:
 *
 * <ul>
 *   <li>{@link FixtureMode#PLAYBACK playback} (the default) serves the fixtures; a request none
 *       matches gets HTTP 404 with the provider's own error JSON saying which provider, model and
 *       user message had no recording, how the closest fixture differs and how to record it (see
 *       {@link #missingFixtures()}).
 *   <li>{@link FixtureMode#RECORD record} sends every request to the provider and (re)writes its
 *       fixture; {@link FixtureMode#AUTO auto} serves what is recorded and records what is
 *       missing. Recordings are redacted first ({@link Redaction}), named
 *       {@code <provider>-<model>-<hash12>.json} after the normalised request, matched strictly by
 *       {@link RequestMatching}, and carry the measured latency and time to first token in
 *       {@link FixtureMetadata}.
 *   <li>{@link FixtureMode#LIVE live} serves nothing: {@link #baseUrl(LlmProvider)} is the real
 *       provider's URL.
 * </ul>
 *
 * <p>Recorded latency is played back as {@link PlaybackLatency} says: as response headers
 * ({@value #RECORDED_LATENCY_HEADER}, {@value #RECORDED_TTFT_HEADER}) or as real delays.
 *
 * <pre>{@code
 * try (FixtureServer server = FixtureServer.builder().fixtureSet("triage").build().start()) {
 *     ChatModel openai = OpenAiChatModel.builder()
 *             .baseUrl(server.baseUrl(LlmProvider.OPENAI))
 *             .apiKey(server.clientApiKey(LlmProvider.OPENAI))
 *             .modelName("gpt-4o-mini")
 *             .build();
 * }
 * }</pre>
 */
public final class FixtureServer implements AutoCloseable {

    /** The classpath root of named fixture sets: a set {@code triage} lives in {@code llmunit/fixtures/triage}. */
    public static final String DEFAULT_FIXTURE_ROOT = "llmunit/fixtures";
    /** Where a project keeps test resources, relative to its directory; named sets are recorded under it. */
    public static final Path TEST_RESOURCES = Path.of("src", "test", "resources");
    /** The prefix of the settings overriding a provider's upstream: {@code llmunit.upstream.openai}. */
    public static final String UPSTREAM_PROPERTY_PREFIX = "llmunit.upstream.";
    /** The response header carrying a fixture's recorded total latency in milliseconds. */
    public static final String RECORDED_LATENCY_HEADER = "x-llmunit-recorded-latency-ms";
    /** The response header carrying a fixture's recorded time to first token in milliseconds. */
    public static final String RECORDED_TTFT_HEADER = "x-llmunit-recorded-ttft-ms";
    /**
     * The response header naming the fixture (the stub's name) that served a response; sent only for
     * stubs with llmunit metadata and a name. Printable ASCII stays as it is; every other character,
     * and {@code %} and {@code +}, is percent-encoded as UTF-8 (HTTP carries header values as
     * ISO-8859-1 at best, so a recorded name such as {@code openai gpt-4o-mini: Où est…} would
     * otherwise arrive garbled). {@code URLDecoder.decode(value, UTF_8)} gives the name back.
     */
    public static final String FIXTURE_HEADER = "x-llmunit-fixture";
    /**
     * The response header saying how many milliseconds the server itself held a response back (a
     * fixture's fixed delay and dribble, or recorded latency played back in real time), so a test
     * harness can count that wait as the provider's, not as its own overhead.
     */
    public static final String REPLAYED_DELAY_HEADER = "x-llmunit-replayed-delay-ms";
    /**
     * The request header a repeated test's run sends to ask for the {@code n}-th recorded sample of a
     * request (absent: sample 1). Samples 2 and up are recorded in {@code auto} and {@code record} mode
     * as their own fixtures, and the samples of one request are stored as a WireMock scenario, so
     * repeats play distinct recordings, never one recording several times.
     */
    public static final String SAMPLE_HEADER = "x-llmunit-sample";
    /** The error type and code in the answer to a request without a fixture. */
    public static final String FIXTURE_MISSING_CODE = "llmunit_fixture_missing";
    /** The API key {@link #clientApiKey(LlmProvider)} gives clients in every mode but live; the server sends the real key upstream. */
    public static final String PLACEHOLDER_API_KEY = "llmunit-placeholder-key";
    private static final System.Logger LOG = System.getLogger(FixtureServer.class.getName());
    private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Jetty threads serving requests: enough for many parallel tests on one server. */
    static final int CONTAINER_THREADS = 64;
    /** Threads that send delayed responses, so a replayed delay does not hold a request thread. */
    static final int ASYNCHRONOUS_RESPONSE_THREADS = 16;
    /** The priority of llmunit's per-provider catch-all stubs: lower than any fixture's (WireMock serves lower numbers first). */
    public static final int CATCH_ALL_PRIORITY = 1_000_000;
    /**
     * How many requests WireMock's request journal keeps (the most recent ones), so a server shared by a
     * whole suite does not hold every request and response body ever served.
     */
    public static final int REQUEST_JOURNAL_SIZE = 1_000;

    private final FixtureMode mode;
    private final PlaybackLatency latency;
    private final Set<LlmProvider> providers;
    private final boolean providersDeclared;
    private final Map<LlmProvider, URI> upstreams;
    private final Function<LlmProvider, Optional<String>> apiKeys;
    private final @Nullable FixtureLocation location;
    private final FixtureRuntime runtime;
    private final WireMockServer wireMock;
    private final Map<LlmProvider, String> pathPrefixes;
    private volatile List<String> loadNotes = List.of();
    private boolean started;
    private boolean closed;

    private FixtureServer(Builder builder, FixtureMode mode, PlaybackLatency latency, Map<LlmProvider, URI> upstreams,
            @Nullable FixtureLocation location) {
        this.mode = mode;
        this.latency = latency;
        this.providers = builder.providers == null ? EnumSet.allOf(LlmProvider.class) : EnumSet.copyOf(builder.providers);
        this.providersDeclared = builder.providers != null;
        this.upstreams = upstreams;
        Map<LlmProvider, String> keys = new EnumMap<>(builder.apiKeys);
        Function<String, @Nullable String> environment = builder.environment;
        this.apiKeys = provider -> Optional.ofNullable(keys.containsKey(provider) ? keys.get(provider) : environment.apply(provider.apiKeyVariable()));
        this.location = location;
        this.pathPrefixes = new EnumMap<>(builder.pathPrefixes);
        this.runtime = new FixtureRuntime(mode, builder.volatileFields, location, upstreams, apiKeys);
        runtime.excerpts(Excerpts.resolve(builder.configuration));
        WireMockConfiguration config = wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .gzipDisabled(true)
                // Many parallel tests share one server, and real-latency playback holds a request while it waits.
                .containerThreads(CONTAINER_THREADS)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(ASYNCHRONOUS_RESPONSE_THREADS)
                .maxRequestJournalEntries(REQUEST_JOURNAL_SIZE)
                .mappingSource(new NoMappingsSource())
                .extensions(new LatencyTransformer(latency, runtime), new FixtureRecorder(runtime), new MissingFixtureResponder(runtime),
                        new SampleSelector(runtime));
        if (location != null) {
            config.fileSource(location.fileSource());
        }
        // Stubs indexed by request body, so playback does not slow with the number of fixtures.
        FixtureStores stores = new FixtureStores(config.filesRoot());
        config.withStores(stores);
        this.wireMock = new WireMockServer(config);
        runtime.attach(wireMock, stores.indexedStubs());
    }

    /**
     * Starts a builder. Nothing is required: with no fixture location the server serves only what
     * {@link #stub(MappingBuilder)} adds.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server: checks the API keys of the declared providers in record and auto mode,
     * loads the fixtures (playback and auto mode), adds the per-provider catch-alls and listens on
     * 127.0.0.1 at a free port. Calling it again does nothing.
     *
     * @return this server, listening
     * @throws IllegalStateException when the server was closed
     * @throws FixtureException when a declared provider has no key for recording, or a mapping file
     *     is malformed or names a missing body file; the message names the provider and variable, or the file
     */
    public synchronized FixtureServer start() {
        if (closed) {
            throw new IllegalStateException("the fixture server was closed; build a new one");
        }
        if (started) {
            return this;
        }
        if (recording() && providersDeclared) {
            List<String> missing = new ArrayList<>();
            for (LlmProvider provider : providers) {
                if (runtime.apiKey(provider).isEmpty()) {
                    missing.add(runtime.missingKeyMessage(provider));
                }
            }
            if (!missing.isEmpty()) {
                throw new FixtureException(String.join("\n", missing));
            }
        }
        if (location != null && (mode == FixtureMode.PLAYBACK || mode == FixtureMode.AUTO) && location.exists()) {
            FixtureLocation.Loaded loaded = location.load();
            runtime.paths(ProviderPaths.detect(loaded.stubs(), loaded.mappingFiles(), pathPrefixes));
            for (String note : loaded.notes()) {
                if (WARNED.add(note)) { // once per JVM: a suite starts a server per fixture set and mode
                    LOG.log(System.Logger.Level.WARNING, "llmunit: {0}", note);
                }
            }
            loadNotes = loaded.notes();
            runtime.addMappingFiles(loaded.mappingFiles());
            runtime.addFixtureNames(loaded.fixtureNames());
            for (StubMapping stub : loaded.stubs()) {
                wireMock.addStubMapping(stub);
                runtime.registerSample(stub);
            }
        } else {
            runtime.paths(ProviderPaths.of(pathPrefixes));
        }
        if (mode != FixtureMode.LIVE) {
            String transformer = mode == FixtureMode.PLAYBACK ? MissingFixtureResponder.NAME : FixtureRecorder.NAME;
            List<String> prefixes = new ArrayList<>();
            for (LlmProvider provider : providers) {
                String prefix = runtime.paths().prefix(provider);
                if (prefixes.contains(prefix)) {
                    continue; // providers sharing a prefix share its catch-all; the transformer tells them apart by endpoint
                }
                prefixes.add(prefix);
                StubMapping catchAll = wireMock.stubFor(any(urlPathMatching(Pattern.quote(prefix) + "(/.*)?"))
                        .atPriority(CATCH_ALL_PRIORITY)
                        .withName("llmunit " + transformer + ": " + provider.id())
                        .willReturn(aResponse().withTransformers(transformer)));
                runtime.markInternal(catchAll);
            }
        }
        wireMock.start();
        started = true;
        return this;
    }

    /**
     * The base URL a provider client should use: this server's play of the provider, or in live
     * mode the real provider.
     *
     * @param provider the provider
     * @return a URL such as {@code http://127.0.0.1:53412/openai/v1}; in live mode the upstream, such as {@code https://api.openai.com/v1}
     * @throws IllegalStateException when the server is not started (except in live mode)
     */
    public String baseUrl(LlmProvider provider) {
        Objects.requireNonNull(provider, "provider");
        if (mode == FixtureMode.LIVE) {
            String upstream = upstreams.get(provider).toString();
            return upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
        }
        if (!wireMock.isRunning()) {
            throw new IllegalStateException("the fixture server is not running; call start() before baseUrl(" + provider + ")");
        }
        // Not wireMock.baseUrl(): it says "localhost", which may resolve to ::1 while the server listens on 127.0.0.1 only.
        return "http://127.0.0.1:" + wireMock.port() + runtime.paths().prefix(provider);
    }

    /**
     * The API key a client pointed at {@link #baseUrl(LlmProvider)} should send: in live mode the
     * real key (builder, else the provider's environment variable); otherwise
     * {@value #PLACEHOLDER_API_KEY}, since recording replaces the client's key with the real one
     * and playback needs none.
     *
     * @param provider the provider
     * @return the key
     * @throws FixtureException in live mode when no key is configured, naming the environment variable
     */
    public String clientApiKey(LlmProvider provider) {
        Objects.requireNonNull(provider, "provider");
        if (mode != FixtureMode.LIVE) {
            return PLACEHOLDER_API_KEY;
        }
        return runtime.apiKey(provider).orElseThrow(() -> new FixtureException("llmunit cannot call " + provider.id()
                + " in live mode: no API key. Set the environment variable " + provider.apiKeyVariable()
                + " or call FixtureServer.builder().apiKey(LlmProvider." + provider.name() + ", key)"));
    }

    /**
     * Adds several hand-written fixtures in order, such as the steps of a DSL {@code sequence(..)}.
     *
     * @param mappings the mappings, each added as by {@link #stub(MappingBuilder)}
     * @return the stubs added, in order
     */
    public List<StubMapping> stubAll(List<MappingBuilder> mappings) {
        Objects.requireNonNull(mappings, "mappings");
        List<StubMapping> stubs = new ArrayList<>(mappings.size());
        for (MappingBuilder mapping : mappings) {
            stubs.add(stub(mapping));
        }
        return stubs;
    }

    /**
     * Adds a hand-written fixture, served in playback, record and auto mode alike. WireMock tries
     * stubs of equal priority newest first, so a stub added by a test wins over a loaded fixture it
     * overlaps; llmunit's catch-alls always come last. A stub at llmunit's default path of a provider
     * (as {@link OpenAiFixtures} and {@link AnthropicFixtures} write them) is moved to the provider's
     * {@link #pathPrefix(LlmProvider) path prefix} on this server. In live mode nothing is served, so the
     * mapping is built and returned without being registered. Thread-safe.
     *
     * @param mapping a WireMock mapping, as the fixture DSL builds them
     * @return the stub added (in live mode: built, not added)
     */
    public StubMapping stub(MappingBuilder mapping) {
        Objects.requireNonNull(mapping, "mapping");
        if (mode == FixtureMode.LIVE) {
            return mapping.build();
        }
        StubMapping stub = mapping.build();
        atServedPath(stub);
        wireMock.addStubMapping(stub);
        runtime.registerSample(stub);
        return stub;
    }

    /**
     * Moves a stub that the fixture DSL wrote for llmunit's default path of a provider
     * ({@code /openai/v1/chat/completions}) to where this server plays the provider, such as the
     * {@code /v1} of a fixture set recorded by another tool, so the clients reach it.
     */
    private void atServedPath(StubMapping stub) {
        RequestPattern request = stub.getRequest();
        String path = request == null ? null : request.getUrlPath();
        if (path == null) {
            return;
        }
        for (LlmProvider provider : LlmProvider.values()) {
            String prefix = runtime.paths().prefix(provider);
            if (path.startsWith(provider.basePath() + "/") && !prefix.equals(provider.basePath())) {
                stub.setRequest(RequestPatternBuilder.like(request)
                        .withUrl(urlPathEqualTo(prefix + path.substring(provider.basePath().length())))
                        .build());
                return;
            }
        }
    }

    /**
     * The requests that had no fixture so far (playback mode), oldest first, so a test framework
     * can report every missing fixture at once.
     *
     * @return an immutable snapshot
     */
    public List<MissingFixture> missingFixtures() {
        return runtime.missing();
    }

    /** Forgets the missing fixtures reported so far, for example between test classes. */
    public void clearMissingFixtures() {
        runtime.clearMissing();
    }

    /**
     * The fixtures written so far (record and auto mode), oldest first.
     *
     * @return an immutable snapshot
     */
    public List<RecordedFixture> recordedFixtures() {
        return runtime.recorded();
    }

    /**
     * What llmunit changed, when loading the fixture set, to serve recordings that would otherwise
     * break clients (such as a {@code Content-Encoding: gzip} header on a plain body); each note
     * names the mapping file and what to fix in it, and is also logged as a warning.
     *
     * @return the notes of the last {@link #start()}; empty before it
     */
    public List<String> loadNotes() {
        return loadNotes;
    }

    /**
     * The path under which this server plays a provider: the builder's
     * {@link Builder#pathPrefix(LlmProvider, String)}, else the prefix the fixture set's stubs use
     * (read at {@link #start()}), else {@link LlmProvider#basePath()}.
     *
     * @param provider the provider
     * @return such as {@code /openai/v1}, {@code /v1}, or {@code ""} for the root
     */
    public String pathPrefix(LlmProvider provider) {
        return runtime.paths().prefix(Objects.requireNonNull(provider, "provider"));
    }

    /**
     * The resolved mode.
     *
     * @return the mode given to the builder, else {@link FixtureMode#resolve(Function)}'s
     */
    public FixtureMode mode() {
        return mode;
    }

    /**
     * The resolved playback latency.
     *
     * @return the latency given to the builder, else {@link PlaybackLatency#resolve(Function)}'s
     */
    public PlaybackLatency latency() {
        return latency;
    }

    /**
     * The real provider's base URL, where recordings come from and live mode goes.
     *
     * @param provider the provider
     * @return the builder's upstream, else the setting {@code llmunit.upstream.<id>}, else {@link LlmProvider#defaultUpstream()}
     */
    public URI upstream(LlmProvider provider) {
        return upstreams.get(Objects.requireNonNull(provider, "provider"));
    }

    /**
     * Where fixtures are read and, for a directory, written.
     *
     * @return an absolute directory or {@code classpath:<location>}; empty when the server has no fixture location (or in live mode)
     */
    public Optional<String> fixtureLocation() {
        return Optional.ofNullable(location).map(FixtureLocation::describe);
    }

    /**
     * The underlying WireMock server, for what llmunit does not wrap.
     *
     * @return the server
     */
    public WireMockServer wireMock() {
        return wireMock;
    }

    /** Stops the server; it cannot be started again. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        closed = true;
        if (wireMock.isRunning()) {
            wireMock.stop();
        }
    }

    private boolean recording() {
        return mode == FixtureMode.RECORD || mode == FixtureMode.AUTO;
    }

    /**
     * Configures a {@link FixtureServer}. Every setter checks its value at once; {@link #build()}
     * resolves what was left unset from settings ({@code llmunit.mode}, {@code llmunit.latency},
     * {@code llmunit.upstream.<id>}: the {@link #configuration(Function) configuration lookup},
     * then system properties, then environment variables where stated) and checks the fixture
     * location against the mode.
     */
    public static final class Builder {
        private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

        private @Nullable String fixtureSet;
        private @Nullable Path fixtureDirectory;
        private @Nullable String fixtureClasspath;
        private Path projectDirectory = Path.of("");
        private @Nullable FixtureMode mode;
        private @Nullable PlaybackLatency latency;
        private final Map<LlmProvider, URI> upstreams = new EnumMap<>(LlmProvider.class);
        private final Map<LlmProvider, String> apiKeys = new EnumMap<>(LlmProvider.class);
        private final Map<LlmProvider, String> pathPrefixes = new EnumMap<>(LlmProvider.class);
        private @Nullable Set<LlmProvider> providers;
        private Set<String> volatileFields = RequestMatching.DEFAULT_VOLATILE_FIELDS;
        private Function<String, Optional<String>> configuration = name -> Optional.empty();
        private Function<String, @Nullable String> environment = System::getenv;
        private @Nullable ClassLoader classLoader;

        private Builder() {}

        /**
         * Uses a named fixture set in the project's conventional place: played back from the
         * classpath location {@code llmunit/fixtures/<name>} (falling back to the directory below
         * when it is not on the classpath), recorded into the directory
         * {@code <project>/src/test/resources/llmunit/fixtures/<name>}. Replaces
         * {@link #fixtureDirectory(Path)} and {@link #fixtureClasspath(String)}.
         *
         * @param name letters, digits, {@code .}, {@code _}, {@code -}, optionally nested with {@code /}; such as {@code triage}
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is not such a name
         */
        public Builder fixtureSet(String name) {
            Objects.requireNonNull(name, "name");
            if (!SET_NAME.matcher(name).matches() || Arrays.asList(name.split("/")).contains("..")) {
                throw new IllegalArgumentException("fixture set name must be letters, digits, '.', '_' or '-', optionally nested"
                        + " with '/', but was '" + name + "'");
            }
            this.fixtureSet = name;
            this.fixtureDirectory = null;
            this.fixtureClasspath = null;
            return this;
        }

        /**
         * Reads and writes fixtures in a directory holding {@code mappings/} and {@code __files/}.
         * In playback mode it must exist; recording creates it. Replaces
         * {@link #fixtureSet(String)} and {@link #fixtureClasspath(String)}.
         *
         * @param directory the directory, such as {@code src/test/resources/llmunit/fixtures/triage}
         * @return this builder
         */
        public Builder fixtureDirectory(Path directory) {
            this.fixtureDirectory = Objects.requireNonNull(directory, "directory");
            this.fixtureSet = null;
            this.fixtureClasspath = null;
            return this;
        }

        /**
         * Reads fixtures from a classpath location (in a directory or a jar) holding
         * {@code mappings/} and {@code __files/}. Read-only, so for playback only. Replaces
         * {@link #fixtureSet(String)} and {@link #fixtureDirectory(Path)}.
         *
         * @param location a resource path such as {@code llmunit/fixtures/triage}
         * @return this builder
         * @throws IllegalArgumentException when the location is blank
         */
        public Builder fixtureClasspath(String location) {
            Objects.requireNonNull(location, "location");
            if (location.isBlank()) {
                throw new IllegalArgumentException("fixture classpath location must not be blank, but was '" + location + "'");
            }
            this.fixtureClasspath = location;
            this.fixtureSet = null;
            this.fixtureDirectory = null;
            return this;
        }

        /**
         * The project directory under which {@link #fixtureSet(String)} records
         * ({@code src/test/resources/llmunit/fixtures/<name>}).
         *
         * @param directory the project directory; default the working directory, which Maven and Gradle set to the module's
         * @return this builder
         */
        public Builder projectDirectory(Path directory) {
            this.projectDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * The mode.
         *
         * @param mode the mode; default {@link FixtureMode#resolve(Function)} over the {@link #configuration(Function) configuration lookup}
         * @return this builder
         */
        public Builder mode(FixtureMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * How recorded latency is played back.
         *
         * @param latency the playback latency; default {@link PlaybackLatency#resolve(Function)}, {@link PlaybackLatency#VIRTUAL} when unset
         * @return this builder
         */
        public Builder latency(PlaybackLatency latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /**
         * Where a provider is recorded from (and what live mode talks to).
         *
         * @param provider the provider
         * @param baseUrl an absolute http(s) URL such as {@code https://api.openai.com/v1}; default the setting
         *     {@code llmunit.upstream.<id>}, else {@link LlmProvider#defaultUpstream()}
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is not an absolute http(s) URL
         */
        public Builder upstream(LlmProvider provider, URI baseUrl) {
            Objects.requireNonNull(provider, "provider");
            upstreams.put(provider, withApiPath(provider, checkedUpstream(Objects.requireNonNull(baseUrl, "baseUrl").toString(),
                    "upstream of " + provider.id())));
            return this;
        }

        /**
         * Where on the server a provider is played, for recordings made by other tools at the
         * provider's real paths. Without it, {@link FixtureServer#start()} reads the prefix from
         * the fixture set: the path before {@code /chat/completions} (OpenAI), {@code /messages}
         * (Anthropic) or {@code /models/{model}:generateContent} (Gemini) in its stubs' URLs.
         * {@link FixtureServer#baseUrl(LlmProvider)}, and so {@link FixtureModels} and
         * {@code @LlmTest(providers = ..)}, use it.
         *
         * @param provider the provider
         * @param prefix such as {@code /v1}, or {@code ""} (or {@code /}) for the root; default the
         *     set's own prefix, else {@link LlmProvider#basePath()}
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is not a path such as {@code /v1}
         */
        public Builder pathPrefix(LlmProvider provider, String prefix) {
            Objects.requireNonNull(provider, "provider");
            pathPrefixes.put(provider, ProviderPaths.checkedPrefix(Objects.requireNonNull(prefix, "prefix")));
            return this;
        }

        /**
         * The API key used to record a provider (and in live mode), instead of its environment variable.
         *
         * @param provider the provider
         * @param key the key; never written to a fixture
         * @return this builder
         * @throws IllegalArgumentException when the key is blank
         */
        public Builder apiKey(LlmProvider provider, String key) {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(key, "key");
            if (key.isBlank()) {
                throw new IllegalArgumentException("API key of " + provider.id() + " must not be blank");
            }
            apiKeys.put(provider, key);
            return this;
        }

        /**
         * The providers this server plays. Declaring them also makes {@link FixtureServer#start()}
         * check their API keys in record and auto mode; otherwise a missing key is reported at the
         * provider's first request.
         *
         * @param first a provider
         * @param more further providers
         * @return this builder
         */
        public Builder providers(LlmProvider first, LlmProvider... more) {
            EnumSet<LlmProvider> set = EnumSet.of(Objects.requireNonNull(first, "first"));
            for (LlmProvider provider : more) {
                set.add(Objects.requireNonNull(provider, "providers must not contain null"));
            }
            this.providers = set;
            return this;
        }

        /**
         * The top-level request body fields that matching and fixture names ignore.
         *
         * @param fields field names; default {@link RequestMatching#DEFAULT_VOLATILE_FIELDS}
         * @return this builder
         * @throws IllegalArgumentException when a name is blank
         */
        public Builder volatileFields(Set<String> fields) {
            Objects.requireNonNull(fields, "fields");
            for (String field : fields) {
                if (field == null || field.isBlank()) {
                    throw new IllegalArgumentException("volatile field names must not be blank, but were " + fields);
                }
            }
            this.volatileFields = Set.copyOf(fields);
            return this;
        }

        /**
         * The class loader that finds classpath fixtures.
         *
         * @param loader the loader; default the thread's context class loader, else this library's
         * @return this builder
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * Where settings are looked up before system properties, such as JUnit configuration parameters.
         *
         * @param lookup returns a setting's value, empty when unset; default always empty
         * @return this builder
         */
        public Builder configuration(Function<String, Optional<String>> lookup) {
            this.configuration = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * Where API keys are read when {@link #apiKey(LlmProvider, String)} gives none, by
         * environment variable name ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY}).
         * Read only in record, auto and live mode.
         *
         * @param lookup returns a variable's value, null when unset; default {@link System#getenv(String)}
         * @return this builder
         */
        public Builder environment(Function<String, @Nullable String> lookup) {
            this.environment = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * Builds the server, not started.
         *
         * @return the server
         * @throws IllegalArgumentException when a setting has an invalid value, naming the setting and the value
         * @throws FixtureException when the fixture location does not suit the mode: a playback location
         *     that does not exist, a classpath location or no location at all for recording
         */
        public FixtureServer build() {
            FixtureMode resolvedMode = mode != null ? mode : FixtureMode.resolve(configuration);
            PlaybackLatency resolvedLatency = latency != null ? latency : PlaybackLatency.resolve(configuration);
            Map<LlmProvider, URI> resolvedUpstreams = new EnumMap<>(LlmProvider.class);
            for (LlmProvider provider : LlmProvider.values()) {
                resolvedUpstreams.put(provider, resolveUpstream(provider));
            }
            FixtureLocation location = resolvedMode == FixtureMode.LIVE ? null : resolveLocation(resolvedMode);
            return new FixtureServer(this, resolvedMode, resolvedLatency, resolvedUpstreams, location);
        }

        private URI resolveUpstream(LlmProvider provider) {
            URI configured = upstreams.get(provider);
            if (configured != null) {
                return configured;
            }
            String setting = UPSTREAM_PROPERTY_PREFIX + provider.id();
            Optional<String> parameter = configuration.apply(setting);
            if (parameter.isPresent()) {
                return withApiPath(provider, checkedUpstream(parameter.get(), "configuration parameter " + setting));
            }
            String property = System.getProperty(setting);
            if (property != null) {
                return withApiPath(provider, checkedUpstream(property, "system property " + setting));
            }
            return provider.defaultUpstream();
        }

        /**
         * A bare host ({@code https://api.openai.com}, or a gateway at {@code http://127.0.0.1:4000})
         * means the provider's API at its usual path: LangChain4j clients and llmunit's playback paths
         * put the version ({@code /v1}) in the base URL, so without it every recorded call would 404.
         * A URL with any path is taken as written.
         */
        private static URI withApiPath(LlmProvider provider, URI upstream) {
            String path = upstream.getRawPath();
            if (path != null && !path.isEmpty() && !path.equals("/")) {
                return upstream;
            }
            try {
                return new URI(upstream.getScheme(), upstream.getRawAuthority(), provider.defaultUpstream().getPath(),
                        upstream.getRawQuery(), null);
            } catch (URISyntaxException e) {
                return upstream; // cannot happen: the parts come from valid URIs
            }
        }

        private static URI checkedUpstream(String value, String setting) {
            URI uri;
            try {
                uri = new URI(value.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(setting + " is '" + value + "', which is not a URL: " + e.getMessage(), e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException(setting + " is '" + value
                        + "', which is not an absolute http(s) URL such as https://api.openai.com/v1");
            }
            return uri;
        }

        private @Nullable FixtureLocation resolveLocation(FixtureMode resolvedMode) {
            boolean recording = resolvedMode == FixtureMode.RECORD || resolvedMode == FixtureMode.AUTO;
            String modeName = resolvedMode.name().toLowerCase(Locale.ROOT);
            ClassLoader loader = classLoader();
            if (fixtureDirectory != null) {
                FixtureLocation location = FixtureLocation.directory(fixtureDirectory);
                Path directory = Objects.requireNonNull(location.directory());
                if (Files.exists(directory) && !Files.isDirectory(directory)) {
                    throw new FixtureException("Fixture directory " + directory + " is a file, not a directory");
                }
                if (!recording && !Files.isDirectory(directory)) {
                    throw new FixtureException("Fixture directory " + directory + " does not exist (mode " + modeName
                            + "); fix the path, or record into it with -Dllmunit.mode=auto");
                }
                return location;
            }
            if (fixtureClasspath != null) {
                if (recording) {
                    throw new FixtureException("Fixture classpath location " + fixtureClasspath + " is read-only, so " + modeName
                            + " mode cannot record into it; use fixtureDirectory(..) or fixtureSet(..)");
                }
                FixtureLocation location = FixtureLocation.classpath(fixtureClasspath, loader);
                if (!location.exists()) {
                    throw new FixtureException("Fixture classpath location " + fixtureClasspath
                            + " does not exist; check the name and that the fixtures are in src/test/resources");
                }
                return location;
            }
            if (fixtureSet != null) {
                Path directory = projectDirectory.resolve(TEST_RESOURCES).resolve(DEFAULT_FIXTURE_ROOT).resolve(fixtureSet);
                if (recording) {
                    return FixtureLocation.directory(directory);
                }
                FixtureLocation classpath = FixtureLocation.classpath(DEFAULT_FIXTURE_ROOT + "/" + fixtureSet, loader);
                if (classpath.exists()) {
                    return classpath;
                }
                if (Files.isDirectory(directory)) {
                    return FixtureLocation.directory(directory);
                }
                throw new FixtureException("Fixture set '" + fixtureSet + "' not found: neither classpath:" + DEFAULT_FIXTURE_ROOT + "/"
                        + fixtureSet + " nor the directory " + directory.toAbsolutePath().normalize()
                        + " exists; record it with -Dllmunit.mode=auto");
            }
            if (recording) {
                throw new FixtureException(modeName + " mode needs somewhere to write fixtures: call fixtureSet(..) or"
                        + " fixtureDirectory(..) on FixtureServer.builder()");
            }
            return null;
        }

        private ClassLoader classLoader() {
            if (classLoader != null) {
                return classLoader;
            }
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : FixtureServer.class.getClassLoader();
        }
    }
}
