package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.matching.RequestPattern;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.FixtureException;
import dev.llmunit.wiremock.FixtureMetadata;
import dev.llmunit.wiremock.LlmProvider;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where on the fixture server each provider is played: its path prefix, such as llmunit's own
 * {@code /openai/v1}, a real provider's {@code /v1}, or the root {@code ""}. Recordings made by
 * other tools sit at the providers' real paths ({@code /v1/chat/completions},
 * {@code /chat/completions}, {@code /v1/messages}); {@link #detect} reads each provider's prefix
 * from the stubs of a fixture set, so clients built on {@code FixtureServer.baseUrl(..)} reach
 * them. Several providers may share a prefix ({@code /v1} for OpenAI and Anthropic): a request is
 * then told apart by its endpoint. Immutable.
 */
public final class ProviderPaths {

    /** A literal path: segments of unreserved characters, or nothing (the root). */
    private static final Pattern LITERAL_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*");
    private static final Pattern GEMINI_ENDPOINT = Pattern.compile("/models/[^/]+:(stream)?[gG]enerateContent");

    private final Map<LlmProvider, String> prefixes;

    private ProviderPaths(Map<LlmProvider, String> prefixes) {
        this.prefixes = prefixes;
    }

    /**
     * llmunit's own prefixes, {@link LlmProvider#basePath()}, with some replaced.
     *
     * @param declared prefixes that replace the defaults, by provider
     * @return the paths
     */
    public static ProviderPaths of(Map<LlmProvider, String> declared) {
        Map<LlmProvider, String> prefixes = new EnumMap<>(LlmProvider.class);
        for (LlmProvider provider : LlmProvider.values()) {
            prefixes.put(provider, declared.getOrDefault(provider, provider.basePath()));
        }
        return new ProviderPaths(prefixes);
    }

    /**
     * Checks a declared prefix: empty (the root) or a literal path such as {@code /v1}, without a trailing slash.
     *
     * @param prefix the prefix as given
     * @return the prefix, a single {@code /} read as the root
     * @throws IllegalArgumentException naming the value when it is not such a path
     */
    public static String checkedPrefix(String prefix) {
        String trimmed = prefix.strip();
        if (trimmed.equals("/")) {
            return "";
        }
        if (!LITERAL_PATH.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("a provider path prefix is empty (the root) or a path such as '/v1', starting with"
                    + " '/' and without a trailing '/', but was '" + prefix + "'");
        }
        return trimmed;
    }

    /**
     * Reads each provider's prefix from the stubs of a fixture set: the path before the
     * provider's endpoint ({@code /chat/completions}, {@code /messages},
     * {@code /models/{model}:generateContent}) in each stub's URL. A provider no stub serves keeps
     * its default; a declared prefix wins over what the stubs say.
     *
     * @param stubs the loaded stubs
     * @param mappingFiles each stub's mapping file, for messages
     * @param declared prefixes given to the builder
     * @return the paths
     * @throws FixtureException when a provider's stubs use several prefixes and none is declared,
     *     naming a file for each and how to choose
     */
    public static ProviderPaths detect(List<StubMapping> stubs, Map<java.util.UUID, String> mappingFiles,
            Map<LlmProvider, String> declared) {
        Map<LlmProvider, Map<String, String>> seen = new EnumMap<>(LlmProvider.class);
        for (StubMapping stub : stubs) {
            Endpoint endpoint = endpointOf(stub);
            if (endpoint != null) {
                seen.computeIfAbsent(endpoint.provider(), p -> new LinkedHashMap<>())
                        .putIfAbsent(endpoint.prefix(), mappingFiles.getOrDefault(stub.getId(), String.valueOf(stub.getId())));
            }
        }
        Map<LlmProvider, String> prefixes = new EnumMap<>(declared);
        for (Map.Entry<LlmProvider, Map<String, String>> entry : seen.entrySet()) {
            LlmProvider provider = entry.getKey();
            if (declared.containsKey(provider)) {
                continue;
            }
            Map<String, String> found = entry.getValue();
            if (found.size() > 1) {
                List<String> listed = new ArrayList<>();
                found.forEach((prefix, file) -> listed.add("'" + prefix + "' (" + file + ")"));
                throw new FixtureException("The " + provider.id() + " fixtures of this set sit under " + found.size()
                        + " path prefixes: " + String.join(", ", listed) + "; a client has one base URL, so keep them under one"
                        + " prefix, or choose one with FixtureServer.builder().pathPrefix(LlmProvider." + provider.name()
                        + ", \"" + found.keySet().iterator().next() + "\")");
            }
            prefixes.put(provider, found.keySet().iterator().next());
        }
        return of(prefixes);
    }

    /**
     * A provider's prefix.
     *
     * @param provider the provider
     * @return such as {@code /openai/v1}, {@code /v1}, or {@code ""} for the root
     */
    public String prefix(LlmProvider provider) {
        return prefixes.get(provider);
    }

    /**
     * The distinct prefixes, for the catch-all stubs.
     *
     * @return each prefix once
     */
    public List<String> distinctPrefixes() {
        return prefixes.values().stream().distinct().toList();
    }

    /**
     * The provider a request path is for: among the providers whose prefix starts the path, the
     * one whose endpoint follows it; when only one prefix fits, its provider, whatever follows.
     *
     * @param path a request path without query, such as {@code /v1/messages}
     * @return the provider, or null when no prefix fits
     */
    public @Nullable LlmProvider providerFor(String path) {
        List<LlmProvider> fitting = new ArrayList<>();
        for (LlmProvider provider : LlmProvider.values()) {
            String prefix = prefixes.get(provider);
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                fitting.add(provider);
            }
        }
        if (fitting.size() <= 1) {
            return fitting.isEmpty() ? null : fitting.get(0);
        }
        LlmProvider longest = null;
        for (LlmProvider provider : fitting) {
            String rest = path.substring(prefixes.get(provider).length());
            if (endpointProvider(rest) == provider) {
                return provider;
            }
            if (longest == null || prefixes.get(provider).length() > prefixes.get(longest).length()) {
                longest = provider;
            }
        }
        return longest;
    }

    /**
     * The path after a provider's prefix, to append to its upstream base URL.
     *
     * @param provider the provider
     * @param path a request path that {@link #providerFor(String)} gave this provider for
     * @return such as {@code /chat/completions}
     */
    public String rest(LlmProvider provider, String path) {
        return path.substring(prefixes.get(provider).length());
    }

    /**
     * The provider and prefix of a stub: its {@code metadata.llmunit} provider, or the provider
     * whose endpoint its URL names; the prefix is what comes before that endpoint.
     *
     * @param stub a stub
     * @return the endpoint, or null when the stub's URL is not a literal path to a provider endpoint
     */
    static @Nullable Endpoint endpointOf(StubMapping stub) {
        RequestPattern request = stub.getRequest();
        if (request == null) {
            return null;
        }
        String path = literalPath(request);
        if (path == null) {
            return null;
        }
        LlmProvider declared = null;
        try {
            Optional<FixtureMetadata> metadata = FixtureMetadata.from(stub);
            if (metadata.isPresent()) {
                declared = LlmProvider.forId(metadata.get().provider());
            }
        } catch (IllegalArgumentException malformed) {
            // the loader reports it; here the URL alone decides
        }
        for (int start = path.indexOf('/'); start >= 0; start = path.indexOf('/', start + 1)) {
            LlmProvider provider = endpointProvider(path.substring(start));
            if (provider != null && (declared == null || declared == provider)) {
                String prefix = path.substring(0, start);
                return LITERAL_PATH.matcher(prefix).matches() ? new Endpoint(provider, prefix) : null;
            }
        }
        return null;
    }

    /** A provider and the prefix before its endpoint. */
    record Endpoint(LlmProvider provider, String prefix) {}

    private static @Nullable LlmProvider endpointProvider(String rest) {
        if (rest.equals("/chat/completions") || rest.startsWith("/chat/completions?")) {
            return LlmProvider.OPENAI;
        }
        if (rest.equals("/messages") || rest.startsWith("/messages?")) {
            return LlmProvider.ANTHROPIC;
        }
        Matcher gemini = GEMINI_ENDPOINT.matcher(rest);
        if (gemini.lookingAt()) {
            return LlmProvider.GEMINI;
        }
        return null;
    }

    /** The URL a stub names, as a path: exact paths as they are, a regex or template up to its endpoint. */
    private static @Nullable String literalPath(RequestPattern request) {
        String exact = request.getUrlPath() != null ? request.getUrlPath() : request.getUrl();
        if (exact != null) {
            int query = exact.indexOf('?');
            return query < 0 ? exact : exact.substring(0, query);
        }
        String template = request.getUrlPathTemplate();
        if (template != null) {
            return template.replaceAll("\\{[^/}]+}", "m");
        }
        String regex = request.getUrlPathPattern() != null ? request.getUrlPathPattern() : request.getUrlPattern();
        if (regex == null) {
            return null;
        }
        // "^/v1/chat/completions.*" or "/v1/messages(\?.*)?": unescape and keep what reads as a path.
        String plain = regex.replaceFirst("^\\^", "").replace("\\/", "/").replace("\\.", ".");
        Matcher literal = Pattern.compile("^[A-Za-z0-9._~/:-]*").matcher(plain);
        return literal.find() ? literal.group() : null;
    }

    @Override
    public String toString() {
        return prefixes.toString();
    }
}
