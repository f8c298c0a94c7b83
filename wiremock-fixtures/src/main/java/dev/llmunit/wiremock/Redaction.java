package dev.llmunit.wiremock;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a recording must never store, and what it stores normalised. The {@link FixtureServer}
 * applies these rules before anything is written; a leak scanner can reuse the same lists to
 * check fixture files written by other tools.
 *
 * <ul>
 *   <li>Request headers and query parameters are never stored at all (fixtures match on method,
 *       URL path and body); {@link #PRIVATE_REQUEST_HEADERS} and {@link #PRIVATE_QUERY_PARAMETERS}
 *       name the ones that carry secrets.
 *   <li>Response headers in {@link #PRIVATE_RESPONSE_HEADERS}, every {@code cf-*} header and the
 *       {@link #VOLATILE_RESPONSE_HEADERS} are dropped, and so are llmunit's own {@code x-llmunit-*}
 *       playback headers ({@link #isStoredResponseHeader(String)}).
 *   <li>Response ids that differ on every call ({@code chatcmpl-…}, {@code msg_…}) are replaced
 *       by ids derived from the fixture's hash ({@link #normaliseResponseIds(String, String)});
 *       ids a later request can refer to ({@code call_…}, {@code toolu_…}) are kept.
 * </ul>
 *
 * <p>Header names are compared without regard to case.
 */
public final class Redaction {

    /** Request headers that carry credentials or account ids, lower case. */
    public static final Set<String> PRIVATE_REQUEST_HEADERS = Set.of(
            "authorization", "x-api-key", "api-key", "x-goog-api-key", "openai-organization", "openai-project",
            "cookie", "proxy-authorization");

    /** Query parameters that carry credentials: Gemini's {@code ?key=}. */
    public static final Set<String> PRIVATE_QUERY_PARAMETERS = Set.of("key");

    /** Response headers that identify the account or session, lower case; every {@code cf-*} header is private too. */
    public static final Set<String> PRIVATE_RESPONSE_HEADERS = Set.of(
            "openai-organization", "openai-project", "anthropic-organization-id", "set-cookie");

    /** The prefix of Cloudflare's response headers ({@code cf-ray}, {@code cf-cache-status}, …), all private. */
    public static final String PRIVATE_RESPONSE_HEADER_PREFIX = "cf-";

    /** Response headers that change on every call and would churn fixture files, lower case. */
    public static final Set<String> VOLATILE_RESPONSE_HEADERS = Set.of("x-request-id", "request-id", "date");
    /** The prefix of the headers llmunit's fixture server adds in playback; never recorded. */
    public static final String LLMUNIT_HEADER_PREFIX = "x-llmunit-";

    /**
     * Headers that describe one connection or one serving, not the response (and WireMock's
     * {@code Matched-Stub-*} headers); never stored, lower case.
     */
    public static final Set<String> TRANSPORT_HEADERS = Set.of(
            "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer",
            "upgrade", "matched-stub-id", "matched-stub-name");

    /** Id prefixes replaced by {@link #normaliseResponseIds(String, String)}: OpenAI chat completions and Anthropic messages. */
    public static final Set<String> VOLATILE_ID_PREFIXES = Set.of("chatcmpl-", "msg_");

    private static final Pattern VOLATILE_ID = Pattern.compile("\"(chatcmpl-|msg_)([A-Za-z0-9_-]+)\"");

    private Redaction() {}

    /**
     * A URL without its credential query parameters ({@code ?key=}), for upstream calls and for
     * anything shown to a person.
     *
     * @param url a URL or a path with an optional query, such as {@code /gemini/v1beta/models/m:generateContent?key=..}
     * @return the same URL with every {@link #PRIVATE_QUERY_PARAMETERS} parameter removed
     */
    public static String withoutPrivateQueryParameters(String url) {
        int question = url.indexOf('?');
        if (question < 0) {
            return url;
        }
        String query = java.util.Arrays.stream(url.substring(question + 1).split("&"))
                .filter(parameter -> !PRIVATE_QUERY_PARAMETERS.contains(parameter.split("=", 2)[0].toLowerCase(Locale.ROOT)))
                .collect(java.util.stream.Collectors.joining("&"));
        return url.substring(0, question) + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * Whether a request header carries a secret.
     *
     * @param name the header name, in any case
     * @return true for {@code Authorization}, {@code x-api-key}, {@code api-key}, {@code x-goog-api-key}, …
     */
    public static boolean isPrivateRequestHeader(String name) {
        return PRIVATE_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a response header identifies the account or session.
     *
     * @param name the header name, in any case
     * @return true for the {@link #PRIVATE_RESPONSE_HEADERS} and every header starting with {@code cf-}
     */
    public static boolean isPrivateResponseHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return PRIVATE_RESPONSE_HEADERS.contains(lower) || lower.startsWith(PRIVATE_RESPONSE_HEADER_PREFIX);
    }

    /**
     * Whether a response header changes on every call.
     *
     * @param name the header name, in any case
     * @return true for the {@link #VOLATILE_RESPONSE_HEADERS}
     */
    public static boolean isVolatileResponseHeader(String name) {
        return VOLATILE_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a recording keeps a response header.
     *
     * @param name the header name, in any case
     * @return false for private, volatile and transport headers, HTTP/2 pseudo-headers and llmunit's
     *     own {@code x-llmunit-*} headers (an upstream that is itself a fixture server must not leave
     *     its playback facts in a new recording), true otherwise
     */
    public static boolean isStoredResponseHeader(String name) {
        return !name.startsWith(":")
                && !name.toLowerCase(Locale.ROOT).startsWith(LLMUNIT_HEADER_PREFIX)
                && !isPrivateResponseHeader(name)
                && !isVolatileResponseHeader(name)
                && !TRANSPORT_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Replaces volatile response ids by deterministic ones: each distinct {@code "chatcmpl-…"} or
     * {@code "msg_…"} JSON string becomes the prefix followed by {@code llmunit} and the seed (a
     * second distinct id of the same prefix gets {@code -2}, and so on). Works on JSON bodies and
     * on whole SSE or NDJSON streams, where every chunk repeats the id.
     *
     * @param body the response body as text
     * @param seed the fixture's hash, such as {@code 3f9a1c0b7d2e}
     * @return the body with the ids replaced; the same text when it holds none
     */
    public static String normaliseResponseIds(String body, String seed) {
        Matcher matcher = VOLATILE_ID.matcher(body);
        Map<String, String> replacements = new LinkedHashMap<>();
        Map<String, Integer> perPrefix = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder(body.length());
        while (matcher.find()) {
            String prefix = matcher.group(1);
            String original = matcher.group(1) + matcher.group(2);
            String replacement = replacements.computeIfAbsent(original, id -> {
                int index = perPrefix.merge(prefix, 1, Integer::sum);
                return prefix + "llmunit" + seed + (index == 1 ? "" : "-" + index);
            });
            matcher.appendReplacement(out, Matcher.quoteReplacement("\"" + replacement + "\""));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
