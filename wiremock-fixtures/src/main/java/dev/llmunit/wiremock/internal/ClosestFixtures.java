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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The closest-fixture search of a missed request, over every stub the server holds (whatever
 * its path, metadata or provider), kept cheap for large fixture sets: each stub is summarised
 * once (provider, method, path, model, the words of its last user message), a miss ranks all
 * summaries with plain comparisons, and only the best {@value #SHORTLIST} get WireMock's full
 * near-miss distance. A summary is cached by stub id and rebuilt when the stub is replaced.
 * Thread-safe.
 */
public final class ClosestFixtures {

    /** How many stubs of the cheap ranking are compared by WireMock's own distance. */
    static final int SHORTLIST = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentHashMap<UUID, Summary> summaries = new ConcurrentHashMap<>();

    /** What a stub, or a request, is about, for a cheap comparison. */
    record Summary(@Nullable StubMapping stub, @Nullable LlmProvider provider, @Nullable String method, @Nullable String path,
            @Nullable String model, Set<String> words) {}

    /**
     * The stub closest to a request.
     *
     * @param stubs the candidates (the server's stubs but llmunit's own)
     * @param request the request no stub matched
     * @param facts what llmunit read from the request
     * @param provider the provider the request's path is for
     * @return the closest stub, or null when there are none
     */
    @Nullable StubMapping closest(List<StubMapping> stubs, Request request, RequestFacts facts, LlmProvider provider) {
        Summary wanted = new Summary(null, provider, facts.method(), facts.path(), facts.model(), words(facts.lastUserMessage()));
        List<Ranked> ranked = new ArrayList<>(stubs.size());
        for (StubMapping stub : stubs) {
            ranked.add(new Ranked(stub, score(summary(stub), wanted)));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score));
        StubMapping best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Ranked candidate : ranked.subList(0, Math.min(SHORTLIST, ranked.size()))) {
            double distance;
            try {
                distance = candidate.stub().getRequest().match(request).getDistance();
            } catch (RuntimeException customMatcher) {
                distance = 1.0; // a matcher that cannot run here is still a candidate, just not a close one
            }
            if (best == null || distance < bestDistance) {
                best = candidate.stub();
                bestDistance = distance;
            }
        }
        return best;
    }

    private record Ranked(StubMapping stub, double score) {}

    /** Lower is closer: another provider weighs most, then method, path, model and the user message. */
    static double score(Summary stub, Summary wanted) {
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
        return score + 3 * (1 - jaccard(stub.words(), wanted.words()));
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

    static Summary summarise(StubMapping stub) {
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
        return new Summary(stub, provider, method, path, model, words(message));
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int common = 0;
        for (String word : a) {
            if (b.contains(word)) {
                common++;
            }
        }
        return (double) common / (a.size() + b.size() - common);
    }
}
