package dev.llmunit.wiremock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.common.Pair;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.ContentPattern;
import com.github.tomakehurst.wiremock.matching.EqualToJsonPattern;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.RequestMatcherExtension;
import com.github.tomakehurst.wiremock.matching.RequestPattern;
import com.github.tomakehurst.wiremock.store.StubMappingStore;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.SubEvent;
import dev.llmunit.wiremock.RequestMatching;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * WireMock's stub store with an index, so a request is compared with the few stubs that can
 * match it instead of every stub loaded. WireMock's own store tries every stub's matcher in turn
 * (for fixtures, one whole-body {@code equalToJson} each), so playback slows with every fixture.
 *
 * <p>A stub whose body pattern is a strict {@code equalToJson} of a JSON object (what
 * {@link RequestMatching} writes for recordings and {@code whenRequestMatches(..)}) is indexed by
 * the hash of its expected body in {@link CanonicalBody canonical form}, leaving out the top-level
 * fields it ignores ({@value RequestMatching#IGNORE_ELEMENT}). Any request that such a stub matches
 * has the same canonical body, so a request need only be compared with the stubs under its own
 * hash. Everything else is never ruled out: stubs with other matchers (hand-written fixtures,
 * {@code anyRequest()}, llmunit's catch-alls, custom matchers, lenient {@code equalToJson},
 * other JsonUnit placeholders) and, for a request whose body is not a JSON object, every stub.
 *
 * <p>The index only narrows: each candidate is still matched by WireMock's own
 * {@link RequestPattern#match(Request, Map)}, in WireMock's own order (priority, then newest
 * first), and WireMock's scenario-state filter runs on the result as before. So the stub served is
 * the one WireMock's store would serve, scenario stubs (repeat samples with the same request)
 * included. The one difference is diagnostic: sub-events of stubs ruled out by the index, such as
 * a JSON parse warning, are not raised. Mutations keep WireMock's store semantics: insertion
 * order, removal by id (else by equal request pattern), replacement in place. Thread-safe.
 */
final class IndexedStubMappingStore implements StubMappingStore {

    /** WireMock's order (as its {@code SortedConcurrentMappingSet}): lower priority number first, then newest first. */
    static final Comparator<StubMapping> WIREMOCK_ORDER = (a, b) -> {
        int priority = a.comparePriorityWith(b);
        return priority != 0 ? priority : Long.compare(b.getInsertionIndex(), a.getInsertionIndex());
    };

    private final AtomicLong insertions = new AtomicLong();
    private final NavigableSet<StubMapping> all = new ConcurrentSkipListSet<>(WIREMOCK_ORDER);
    /** The stubs no request can be ruled out for. */
    private final NavigableSet<StubMapping> unindexed = new ConcurrentSkipListSet<>(WIREMOCK_ORDER);
    /** Indexed stubs, by the fields they ignore (usually one set for a whole fixture set), then by body hash. */
    private final Map<Set<String>, Map<String, NavigableSet<StubMapping>>> indexed = new ConcurrentHashMap<>();
    /** Every stub by its id (one each, unless a caller added two with one id). */
    private final Map<UUID, NavigableSet<StubMapping>> byId = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    /** Raised by every change of the stub set, so what is derived from all stubs can be kept until it changes. */
    private final AtomicLong version = new AtomicLong();

    /**
     * The version of the stub set: it grows with every add, replace, remove and clear.
     *
     * @return the current version
     */
    public long version() {
        return version.get();
    }

    @Override
    public Stream<StubMapping> getAll() {
        return all.stream();
    }

    @Override
    public Optional<StubMapping> get(UUID id) {
        // By id, not a scan: WireMock looks a stub up by id each time one is added, so a scan made
        // loading n fixtures cost n^2/2 comparisons. Of several stubs with one id, the first in
        // WireMock's order, as its store answers.
        NavigableSet<StubMapping> withId = byId.get(id);
        if (withId == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(withId.first());
        } catch (NoSuchElementException removedMeanwhile) {
            return Optional.empty();
        }
    }

    @Override
    public Stream<StubMapping> findAllMatchingRequest(Request request, Map<String, RequestMatcherExtension> customMatchers,
            Consumer<SubEvent> subEventConsumer) {
        // The same pipeline as WireMock's default, over the candidates only: lazy, so the caller's
        // findFirst stops at the first stub that matches (and suits the scenario state).
        return candidates(request).stream()
                .map(stub -> Pair.pair(stub, stub.getRequest().match(request, customMatchers)))
                .peek(pair -> pair.b.getSubEvents().forEach(subEventConsumer))
                .filter(pair -> pair.b.isExactMatch())
                .map(pair -> pair.a);
    }

    /**
     * The stubs that may match a request, in WireMock's order: the unindexed ones and those under
     * the request's body hash; every stub when the request's body is not a JSON object.
     *
     * @param request the request
     * @return the candidates
     */
    Collection<StubMapping> candidates(Request request) {
        if (indexed.isEmpty()) {
            return all;
        }
        // A null body skips WireMock's body patterns altogether, and a body that is not strict JSON
        // may still be read by WireMock's lenient parser: the index cannot decide either.
        ObjectNode body = request.getBody() == null ? null : CanonicalBody.parseObject(request.getBodyAsString());
        if (body == null) {
            return all;
        }
        List<StubMapping> candidates = new ArrayList<>(unindexed);
        int unindexedCount = candidates.size();
        for (Map.Entry<Set<String>, Map<String, NavigableSet<StubMapping>>> group : indexed.entrySet()) {
            NavigableSet<StubMapping> bucket = group.getValue().get(CanonicalBody.hash(body, group.getKey()));
            if (bucket != null) {
                candidates.addAll(bucket);
            }
        }
        if (candidates.size() > unindexedCount) {
            candidates.sort(WIREMOCK_ORDER);
        }
        return candidates;
    }

    @Override
    public void add(StubMapping stub) {
        StubNames.makeSafe(stub); // WireMock echoes the name as a header: see StubNames
        synchronized (writeLock) {
            stub.setInsertionIndex(insertions.getAndIncrement());
            all.add(stub);
            index(stub);
            version.incrementAndGet();
        }
    }

    @Override
    public void replace(StubMapping existing, StubMapping updated) {
        StubNames.makeSafe(updated);
        synchronized (writeLock) {
            // WireMock keeps the order: the caller gave the update the existing stub's insertion index.
            if (all.remove(existing)) {
                unindex(existing);
                all.add(updated);
                index(updated);
            }
            version.incrementAndGet();
        }
    }

    @Override
    public void remove(StubMapping stub) {
        synchronized (writeLock) {
            // As WireMock's store: the stubs with the stub's id, else those with an equal request pattern.
            NavigableSet<StubMapping> withId = stub.getId() == null ? null : byId.get(stub.getId());
            List<StubMapping> removed = withId == null ? List.of() : List.copyOf(withId);
            if (removed.isEmpty()) {
                removed = all.stream().filter(existing -> Objects.equals(existing.getRequest(), stub.getRequest())).toList();
            }
            for (StubMapping existing : removed) {
                all.remove(existing);
                unindex(existing);
            }
            version.incrementAndGet();
        }
    }

    @Override
    public void clear() {
        synchronized (writeLock) {
            all.clear();
            byId.clear();
            unindexed.clear();
            indexed.clear();
            version.incrementAndGet();
        }
    }

    private void index(StubMapping stub) {
        if (stub.getId() != null) {
            byId.computeIfAbsent(stub.getId(), id -> new ConcurrentSkipListSet<>(WIREMOCK_ORDER)).add(stub);
        }
        Key key = key(stub);
        if (key == null) {
            unindexed.add(stub);
        } else {
            indexed.computeIfAbsent(key.ignored(), ignored -> new ConcurrentHashMap<>())
                    .computeIfAbsent(key.hash(), hash -> new ConcurrentSkipListSet<>(WIREMOCK_ORDER))
                    .add(stub);
        }
    }

    private void unindex(StubMapping stub) {
        NavigableSet<StubMapping> withId = stub.getId() == null ? null : byId.get(stub.getId());
        if (withId != null) {
            withId.remove(stub);
            if (withId.isEmpty()) {
                byId.remove(stub.getId());
            }
        }
        Key key = key(stub);
        if (key == null) {
            unindexed.remove(stub);
            return;
        }
        Map<String, NavigableSet<StubMapping>> group = indexed.get(key.ignored());
        NavigableSet<StubMapping> bucket = group == null ? null : group.get(key.hash());
        if (bucket == null) {
            return;
        }
        bucket.remove(stub);
        if (bucket.isEmpty()) {
            group.remove(key.hash());
            if (group.isEmpty()) {
                indexed.remove(key.ignored());
            }
        }
    }

    /**
     * Where a stub is indexed.
     *
     * @param ignored the top-level fields its body pattern ignores
     * @param hash the hash of its expected body without them
     */
    record Key(Set<String> ignored, String hash) {}

    /**
     * The index key of a stub: from its first strict {@code equalToJson} body pattern of a JSON
     * object with no JsonUnit placeholder but top-level {@value RequestMatching#IGNORE_ELEMENT}.
     *
     * @param stub the stub
     * @return the key; null when no request can be ruled out for the stub
     */
    static @Nullable Key key(StubMapping stub) {
        RequestPattern pattern = stub.getRequest();
        if (pattern == null || pattern.hasInlineCustomMatcher() || pattern.getBodyPatterns() == null) {
            return null;
        }
        // Body patterns are all required, so one indexable pattern is enough to rule requests out.
        for (ContentPattern<?> bodyPattern : pattern.getBodyPatterns()) {
            if (bodyPattern.getClass() != EqualToJsonPattern.class) {
                continue;
            }
            EqualToJsonPattern json = (EqualToJsonPattern) bodyPattern;
            if (Boolean.TRUE.equals(json.isIgnoreArrayOrder()) || Boolean.TRUE.equals(json.isIgnoreExtraElements())) {
                continue;
            }
            // The JSON as written is enough (and cheap) unless it is lenient JSON, such as single-quoted;
            // then the form WireMock itself parsed it to.
            ObjectNode expected = CanonicalBody.parseObject(json.getEqualToJson());
            if (expected == null) {
                expected = CanonicalBody.parseObject(json.getExpected());
            }
            if (expected == null) {
                continue;
            }
            Set<String> ignored = new TreeSet<>();
            boolean otherPlaceholder = false;
            for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual() && field.getValue().textValue().equals(RequestMatching.IGNORE_ELEMENT)) {
                    ignored.add(field.getKey());
                } else if (hasPlaceholder(field.getValue())) {
                    otherPlaceholder = true;
                }
            }
            if (!otherPlaceholder) {
                return new Key(Set.copyOf(ignored), CanonicalBody.hash(expected, ignored));
            }
        }
        return null;
    }

    /** Whether a value holds a JsonUnit placeholder anywhere ({@code ${json-unit.any-string}}, a regex, …), which matches more than itself. */
    private static boolean hasPlaceholder(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().contains("json-unit.");
        }
        for (JsonNode child : node) {
            if (hasPlaceholder(child)) {
                return true;
            }
        }
        return false;
    }
}
