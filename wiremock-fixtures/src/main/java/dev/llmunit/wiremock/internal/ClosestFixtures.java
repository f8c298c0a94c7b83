package dev.llmunit.wiremock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.matching.ContentPattern;
import com.github.tomakehurst.wiremock.matching.EqualToJsonPattern;
import com.github.tomakehurst.wiremock.matching.MatchesJsonPathPattern;
import com.github.tomakehurst.wiremock.matching.RequestPattern;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.FixtureMetadata;
import dev.llmunit.wiremock.LlmProvider;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The closest-fixture search of a missed request, over every stub the server holds (whatever
 * its path, metadata or provider), kept cheap for large fixture sets: each stub is summarised
 * once (provider, method, path, model, the words of its last user message), a miss ranks all
 * summaries with plain comparisons, and only the best {@value #SHORTLIST} get WireMock's full
 * near-miss distance. A summary is cached by stub id and rebuilt when the stub is replaced; the
 * summaries of the whole stub set and an index of their words are kept until the set changes, so a
 * miss reads no stub list and counts shared words through the index. Thread-safe.
 */
public final class ClosestFixtures {

    /** How many stubs of the cheap ranking are compared by WireMock's own distance. */
    static final int SHORTLIST = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentHashMap<UUID, Summary> summaries = new ConcurrentHashMap<>();

    /**
     * What a stub, or a request, is about, for a cheap comparison. The words of the last user message
     * are ids from {@link #words}, sorted and distinct, so comparing two summaries is a merge of two
     * int arrays, not hashing strings; {@code unknownWords} counts a request's words no stub has.
     */
    record Summary(@Nullable StubMapping stub, @Nullable LlmProvider provider, @Nullable String method, @Nullable String path,
            @Nullable String model, int[] words, int unknownWords) {}

    /** Every word of every summarised stub, numbered; grows only with the fixture set. */
    private final ConcurrentHashMap<String, Integer> words = new ConcurrentHashMap<>();
    private final AtomicInteger nextWord = new AtomicInteger();
    /** The stubs' methods, paths and models, each kept once: a miss compares them with 5,000 stubs' by identity first. */
    private final ConcurrentHashMap<String, String> fields = new ConcurrentHashMap<>();

    /**
     * The summaries of one version of the stub set, in WireMock's order, and which of them hold each
     * word ({@code postings[word]}: their indexes, ascending), so a miss counts every stub's words in
     * common with the request by walking the request's words only, not comparing it with each stub.
     */
    private record Snapshot(long version, Summary[] summaries, int[][] postings) {}

    private volatile @Nullable Snapshot snapshot;

    /**
     * The stub closest to a request.
     *
     * @param version the stub set's version ({@link FixtureRuntime#stubSetVersion()}): the summaries and
     *     their word index are kept until it changes; negative to build them afresh
     * @param stubs the candidates (the server's stubs but llmunit's own), in WireMock's order: of equally
     *     close stubs the first wins; read only when {@code version} is new
     * @param request the request no stub matched
     * @param facts what llmunit read from the request
     * @param provider the provider the request's path is for
     * @return the closest stub, or null when there are none
     */
    @Nullable StubMapping closest(long version, Supplier<List<StubMapping>> stubs, Request request, RequestFacts facts,
            LlmProvider provider) {
        Snapshot current = snapshot;
        if (current == null || version < 0 || current.version() != version) {
            current = snapshot(version, stubs.get());
            snapshot = current;
        }
        Summary[] summaries = current.summaries();
        Summary wanted = wanted(provider, facts);
        int[] common = new int[summaries.length];
        for (int word : wanted.words()) {
            if (word < current.postings().length) {
                for (int holder : current.postings()[word]) {
                    common[holder]++;
                }
            }
        }
        // The SHORTLIST lowest scores, earliest first among equal ones (what a stable sort's first entries would be).
        StubMapping[] shortlist = new StubMapping[Math.min(SHORTLIST, summaries.length)];
        double[] scores = new double[shortlist.length];
        int listed = 0;
        for (int i = 0; i < summaries.length; i++) {
            Summary summary = summaries[i];
            double score = score(summary, wanted, common[i]);
            if (listed == shortlist.length && score >= scores[listed - 1]) {
                continue;
            }
            int at = listed == shortlist.length ? listed - 1 : listed;
            while (at > 0 && scores[at - 1] > score) {
                shortlist[at] = shortlist[at - 1];
                scores[at] = scores[at - 1];
                at--;
            }
            shortlist[at] = Objects.requireNonNull(summary.stub());
            scores[at] = score;
            listed = Math.min(listed + 1, shortlist.length);
        }
        StubMapping best = null;
        double bestDistance = Double.MAX_VALUE;
        for (int i = 0; i < listed; i++) {
            StubMapping candidate = shortlist[i];
            double distance;
            try {
                distance = candidate.getRequest().match(request).getDistance();
            } catch (RuntimeException customMatcher) {
                distance = 1.0; // a matcher that cannot run here is still a candidate, just not a close one
            }
            if (best == null || distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Summarises the stubs (each summary is kept by stub id across versions) and indexes their words. */
    private Snapshot snapshot(long version, List<StubMapping> stubs) {
        Summary[] summaries = new Summary[stubs.size()];
        for (int i = 0; i < summaries.length; i++) {
            summaries[i] = summary(stubs.get(i));
        }
        int wordCount = 0;
        for (Summary summary : summaries) {
            for (int word : summary.words()) {
                wordCount = Math.max(wordCount, word + 1);
            }
        }
        int[] holders = new int[wordCount];
        for (Summary summary : summaries) {
            for (int word : summary.words()) {
                holders[word]++;
            }
        }
        int[][] postings = new int[wordCount][];
        for (int word = 0; word < wordCount; word++) {
            postings[word] = new int[holders[word]];
            holders[word] = 0;
        }
        for (int i = 0; i < summaries.length; i++) {
            for (int word : summaries[i].words()) {
                postings[word][holders[word]++] = i;
            }
        }
        return new Snapshot(version, summaries, postings);
    }

    /**
     * Lower is closer: another provider weighs most, then method, path, model and the user message.
     *
     * @param commonWords how many words of the user message the two share
     */
    private static double score(Summary stub, Summary wanted, int commonWords) {
        double score = 0;
        if (stub.provider() != null && stub.provider() != wanted.provider()) {
            score += 8;
        }
        if (stub.method() != null && !stub.method().equals(wanted.method())) {
            score += 4;
        }
        if (stub.path() != null && !stub.path().equals(wanted.path())) {
            score += 2;
        }
        if (stub.model() != null && !stub.model().equals(wanted.model())) {
            score += 2;
        }
        return score + 3 * (1 - jaccard(stub, wanted, commonWords));
    }

    private Summary summary(StubMapping stub) {
        Summary known = summaries.get(stub.getId());
        if (known != null && known.stub() == stub) {
            return known;
        }
        Summary made = summarise(stub);
        summaries.put(stub.getId(), made);
        return made;
    }

    private Summary wanted(LlmProvider provider, RequestFacts facts) {
        Set<String> text = wordsOf(facts.lastUserMessage());
        int[] ids = new int[text.size()];
        int known = 0;
        for (String word : text) {
            Integer id = words.get(word);
            if (id != null) {
                ids[known++] = id;
            }
        }
        int[] sorted = Arrays.copyOf(ids, known);
        Arrays.sort(sorted);
        return new Summary(null, provider, known(facts.method()), known(facts.path()), known(facts.model()), sorted, text.size() - known);
    }

    /** The summary of a stub: its words numbered in this instance's dictionary. */
    Summary summarise(StubMapping stub) {
        Described described = describe(stub);
        Set<String> text = wordsOf(described.message());
        int[] ids = new int[text.size()];
        int i = 0;
        for (String word : text) {
            ids[i++] = words.computeIfAbsent(word, key -> nextWord.getAndIncrement());
        }
        Arrays.sort(ids);
        return new Summary(stub, described.provider(), canonical(described.method()), canonical(described.path()),
                canonical(described.model()), ids, 0);
    }

    /** One instance per distinct method, path and model of the stubs, so a miss's equal ones compare by identity. */
    private @Nullable String canonical(@Nullable String value) {
        return value == null ? null : fields.computeIfAbsent(value, same -> same);
    }

    /** A request's method, path or model as the stubs' instance when a stub has it. */
    private @Nullable String known(@Nullable String value) {
        return value == null ? null : fields.getOrDefault(value, value);
    }

    private record Described(@Nullable LlmProvider provider, @Nullable String method, @Nullable String path, @Nullable String model,
            String message) {}

    private static Described describe(StubMapping stub) {
        RequestPattern request = stub.getRequest();
        ProviderPaths.Endpoint endpoint = ProviderPaths.endpointOf(stub);
        LlmProvider provider = endpoint == null ? null : endpoint.provider();
        String model = null;
        try {
            Optional<FixtureMetadata> metadata = FixtureMetadata.from(stub);
            if (metadata.isPresent()) {
                provider = LlmProvider.forId(metadata.get().provider());
                model = metadata.get().model();
            }
        } catch (IllegalArgumentException malformed) {
            // summarise from the request pattern alone
        }
        String method = null;
        String path = null;
        String message = "";
        if (request != null) {
            RequestMethod stubMethod = request.getMethod();
            method = stubMethod == null || RequestMethod.ANY.equals(stubMethod) ? null : stubMethod.getName();
            path = request.getUrlPath() != null ? request.getUrlPath() : request.getUrl();
            if (path != null && path.indexOf('?') >= 0) {
                path = path.substring(0, path.indexOf('?'));
            }
            List<ContentPattern<?>> bodies = request.getBodyPatterns();
            for (ContentPattern<?> body : bodies == null ? List.<ContentPattern<?>>of() : bodies) {
                if (body instanceof EqualToJsonPattern whole) {
                    JsonNode json = FixtureDifference.parse(whole.getExpected());
                    if (json != null) {
                        model = model != null ? model : json.path("model").isTextual() ? json.path("model").asText() : null;
                        message = message.isEmpty() ? RequestFacts.lastUserMessage(json) : message;
                    }
                } else if (body instanceof MatchesJsonPathPattern field && field.getValuePattern() != null) {
                    String expression = field.getMatchesJsonPath();
                    StringValuePattern value = field.getValuePattern();
                    if (expression.equals("$['model']") || expression.equals("$.model")) {
                        model = model != null ? model : value.getExpected();
                    } else if ((expression.equals("$['messages']") || expression.equals("$.messages")
                            || expression.equals("$['contents']") || expression.equals("$.contents")) && message.isEmpty()) {
                        JsonNode messages = FixtureDifference.parse(value.getExpected());
                        if (messages != null) {
                            String key = expression.contains("contents") ? "contents" : "messages";
                            message = RequestFacts.lastUserMessage(JSON.createObjectNode().set(key, messages));
                        }
                    }
                }
            }
        }
        return new Described(provider, method, path, model, message);
    }

    private static Set<String> wordsOf(String text) {
        Set<String> words = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** The Jaccard similarity of two summaries' words, given how many they share. */
    private static double jaccard(Summary a, Summary b, int common) {
        int sizeA = a.words().length + a.unknownWords();
        int sizeB = b.words().length + b.unknownWords();
        if (sizeA == 0 && sizeB == 0) {
            return 1;
        }
        return (double) common / (sizeA + sizeB - common);
    }
}
