package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.FixtureMode;
import dev.llmunit.wiremock.LlmProvider;
import dev.llmunit.wiremock.MissingFixture;
import dev.llmunit.wiremock.RecordedFixture;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The state a fixture server shares with its WireMock extensions: resolved settings, the stubs
 * llmunit added itself, and what was missing or recorded. Thread-safe.
 */
public final class FixtureRuntime {

    private final FixtureMode mode;
    private final Set<String> volatileFields;
    private final @Nullable FixtureLocation location;
    private final Map<LlmProvider, URI> upstreams;
    private final Function<LlmProvider, Optional<String>> apiKeys;
    private final Set<UUID> internalStubs = ConcurrentHashMap.newKeySet();
    // Queues, not copy-on-write lists: every miss (or recording) appends, so a copy-on-write list
    // copied the whole list per append, n^2/2 element copies over a run of n misses.
    private final Queue<MissingFixture> missing = new ConcurrentLinkedQueue<>();
    private final Queue<RecordedFixture> recorded = new ConcurrentLinkedQueue<>();
    private final Set<String> sampledRequests = ConcurrentHashMap.newKeySet();
    private final Map<UUID, String> mappingFiles = new ConcurrentHashMap<>();
    private final Map<UUID, String> fixtureNames = new ConcurrentHashMap<>();
    private final ClosestFixtures closest = new ClosestFixtures();
    private volatile ProviderPaths paths = ProviderPaths.of(Map.of());
    private volatile dev.llmunit.wiremock.Excerpts excerpts = dev.llmunit.wiremock.Excerpts.KEEP;
    private volatile @Nullable WireMockServer wireMock;
    private volatile @Nullable IndexedStubMappingStore stubs;
    /** How many times a stub was marked internal: part of {@link #stubSetVersion()}, since the search skips internal stubs. */
    private final java.util.concurrent.atomic.AtomicLong internalMarks = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Creates the shared state.
     *
     * @param mode the resolved mode
     * @param volatileFields top-level body fields ignored by matching and hashing
     * @param location where fixtures are read (and, for a directory, written); null for none
     * @param upstreams each provider's real base URL
     * @param apiKeys each provider's API key, read only when recording
     */
    public FixtureRuntime(FixtureMode mode, Set<String> volatileFields, @Nullable FixtureLocation location,
            Map<LlmProvider, URI> upstreams, Function<LlmProvider, Optional<String>> apiKeys) {
        this.mode = mode;
        this.volatileFields = Set.copyOf(volatileFields);
        this.location = location;
        this.upstreams = Map.copyOf(upstreams);
        this.apiKeys = apiKeys;
    }

    /**
     * Attaches the server this state belongs to, and the store its stubs are kept in.
     *
     * @param server the WireMock server
     * @param stubs its stub store, whose version says when the stub set changed
     */
    public void attach(WireMockServer server, IndexedStubMappingStore stubs) {
        this.wireMock = server;
        this.stubs = stubs;
    }

    /**
     * The version of the server's stub set: it changes whenever a stub is added, replaced or removed,
     * or one is marked as llmunit's own.
     *
     * @return the version; -1 before a server is attached
     */
    public long stubSetVersion() {
        IndexedStubMappingStore store = stubs;
        return store == null ? -1 : store.version() + internalMarks.get();
    }

    /** Returns the WireMock server; fails before {@link #attach(WireMockServer, IndexedStubMappingStore)}. */
    public WireMockServer wireMock() {
        WireMockServer server = wireMock;
        if (server == null) {
            throw new IllegalStateException("no WireMock server attached");
        }
        return server;
    }

    /** Returns the resolved mode. */
    public FixtureMode mode() {
        return mode;
    }

    /** Returns the top-level body fields ignored by matching and hashing. */
    public Set<String> volatileFields() {
        return volatileFields;
    }

    /** Returns the fixture location, null when the server has none. */
    public @Nullable FixtureLocation location() {
        return location;
    }

    /**
     * The real provider's base URL.
     *
     * @param provider the provider
     * @return the upstream, such as {@code https://api.openai.com/v1}
     */
    public URI upstream(LlmProvider provider) {
        return upstreams.get(provider);
    }

    /**
     * The API key used to record a provider.
     *
     * @param provider the provider
     * @return the key; empty when neither the builder nor the environment supplies one
     */
    public Optional<String> apiKey(LlmProvider provider) {
        return apiKeys.apply(provider).filter(key -> !key.isBlank());
    }

    /**
     * The message for a missing API key, naming the provider and the environment variable.
     *
     * @param provider the provider
     * @return the message
     */
    public String missingKeyMessage(LlmProvider provider) {
        return "llmunit cannot record " + provider.id() + " in " + mode.name().toLowerCase(java.util.Locale.ROOT)
                + " mode: no API key. Set the environment variable " + provider.apiKeyVariable()
                + " (read only in record, auto and live mode) or call FixtureServer.builder().apiKey(LlmProvider."
                + provider.name() + ", key); or play back recorded fixtures with -Dllmunit.mode=playback";
    }

    /**
     * Marks a stub as llmunit's own (a catch-all), so near-miss reports skip it.
     *
     * @param stub the stub
     */
    public void markInternal(StubMapping stub) {
        internalStubs.add(stub.getId());
        internalMarks.incrementAndGet();
    }

    /**
     * Whether llmunit added a stub itself.
     *
     * @param stub the stub
     * @return true for the catch-alls
     */
    public boolean isInternal(StubMapping stub) {
        return internalStubs.contains(stub.getId());
    }

    /**
     * What the missing-fixture error keeps of prompts.
     *
     * @return the setting; {@link dev.llmunit.wiremock.Excerpts#KEEP} unless set
     */
    public dev.llmunit.wiremock.Excerpts excerpts() {
        return excerpts;
    }

    /**
     * Sets what the missing-fixture error keeps of prompts.
     *
     * @param setting the resolved setting
     */
    public void excerpts(dev.llmunit.wiremock.Excerpts setting) {
        this.excerpts = java.util.Objects.requireNonNull(setting, "setting");
    }

    /**
     * Where each provider is played on the server.
     *
     * @return the paths; llmunit's defaults until the server starts
     */
    public ProviderPaths paths() {
        return paths;
    }

    /**
     * Sets where each provider is played, once the fixture set is loaded.
     *
     * @param resolved the declared or detected paths
     */
    public void paths(ProviderPaths resolved) {
        this.paths = resolved;
    }

    /**
     * Remembers which mapping file each loaded stub came from.
     *
     * @param files mapping file names relative to {@code mappings/}, by stub id
     */
    public void addMappingFiles(Map<UUID, String> files) {
        mappingFiles.putAll(files);
    }

    /**
     * The mapping file a stub was loaded from.
     *
     * @param stub a stub
     * @return the file name relative to {@code mappings/}, such as {@code openai-gpt-4o-mini-3f9a1c0b7d2e.json};
     *     empty for a stub added in code
     */
    public Optional<String> mappingFile(StubMapping stub) {
        return Optional.ofNullable(mappingFiles.get(stub.getId()));
    }

    /**
     * Names stubs after the files they are in, for {@link #fixtureName(StubMapping)}.
     *
     * @param names fixture names by stub id, such as {@code openai-gpt-4o-mini-3f9a1c0b7d2e} (see
     *     {@link FixtureLocation#fixtureName(String, int, int)})
     */
    public void addFixtureNames(Map<UUID, String> names) {
        fixtureNames.putAll(names);
    }

    /**
     * How a fixture is named to clients and the call ledger: the mapping file it was loaded from or
     * recorded into (without {@code .json}, plus {@code #n} when the file holds several stubs), so a
     * user finds it in the fixture set and can write {@code usedFixture("<file name>")}; a stub added
     * in code goes by its name, else its id.
     *
     * @param stub a stub that answered
     * @return the name
     */
    public String fixtureName(StubMapping stub) {
        String fromFile = fixtureNames.get(stub.getId());
        if (fromFile != null) {
            return fromFile;
        }
        return stub.getName() != null && !stub.getName().isBlank() ? stub.getName() : stub.getId().toString();
    }

    /**
     * The closest-fixture search over this server's stubs.
     *
     * @return the search, with its per-stub summaries
     */
    public ClosestFixtures closestFixtures() {
        return closest;
    }

    /** Reports a request that had no fixture. */
    public void addMissing(MissingFixture fixture) {
        missing.add(fixture);
    }

    /** Returns the requests that had no fixture, oldest first. */
    public List<MissingFixture> missing() {
        return List.copyOf(missing);
    }

    /** Forgets the missing fixtures reported so far. */
    public void clearMissing() {
        missing.clear();
    }

    /** Reports a fixture written. */
    public void addRecorded(RecordedFixture fixture) {
        recorded.add(fixture);
    }

    /** Returns the fixtures written, oldest first. */
    public List<RecordedFixture> recorded() {
        return List.copyOf(recorded);
    }

    /**
     * Notes a stub that is one of a request's recorded samples (see {@link Samples}).
     *
     * @param stub a stub being added to the server
     */
    public void registerSample(StubMapping stub) {
        String request = Samples.sampledRequest(stub);
        if (request != null) {
            sampledRequests.add(request);
        }
    }

    /** Notes that a request (by fixture name) has samples, so each of its requests selects one. */
    public void markSampled(String fixtureName) {
        sampledRequests.add(fixtureName);
    }

    /** Whether a request (by fixture name) has samples. */
    public boolean isSampled(String fixtureName) {
        return sampledRequests.contains(fixtureName);
    }

    /** Whether any request has samples: without any, requests skip sample selection. */
    public boolean hasSamples() {
        return !sampledRequests.isEmpty();
    }
}
