package dev.llmunit.wiremock;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmunit.wiremock.internal.Gzip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Finds secrets in a fixture directory before they are committed: API keys, tokens, account ids,
 * cookies and private headers (see {@code providers.md}), in llmunit's own recordings and in
 * those of other tools (WireMock's recorder, converted VCR cassettes, HAR-like YAML). Call it from any
 * test:
 *
 * <pre>{@code
 * @Test
 * void fixturesHoldNoSecrets() {
 *     LeakScanner.assertNoLeaks(Path.of("src/test/resources/llmunit"));
 * }
 * }</pre>
 *
 * <p>Every regular file under the directory is read, at any depth, whatever its name or extension
 * ({@code mappings/*.json}, {@code __files/*}, {@code *.yaml} cassettes, notes). A gzip file is
 * decompressed first; other files with a NUL byte in their first 8 KiB are taken for binary and
 * skipped, as {@code grep -I} does. Encoded bodies are decoded and searched too: a mapping's
 * {@code base64Body} (gzip inside it included) and a YAML {@code !!binary} block. In all text,
 * each line is searched for
 * <ul>
 *   <li>OpenAI keys: {@code sk-} or {@code sk-proj-} and 20 or more of {@code [A-Za-z0-9_-]};</li>
 *   <li>Anthropic keys: {@code sk-ant-} and 20 or more of the same;</li>
 *   <li>Google keys: {@code AIza} and 35 of {@code [0-9A-Za-z_-]};</li>
 *   <li>AWS access key ids: {@code AKIA} or {@code ASIA} and 16 of {@code [A-Z0-9]};</li>
 *   <li>JSON web tokens: three dot-separated base64url parts, the first two starting {@code eyJ};</li>
 *   <li>{@code Bearer} tokens (also URL-encoded, {@code Bearer%20…}), except tokens made of letters only
 *       (prose such as "Bearer authentication");</li>
 *   <li>opaque tokens named {@code access_token}, {@code refresh_token}, {@code id_token},
 *       {@code client_secret} or {@code api_key}, as a query parameter or a JSON field;</li>
 *   <li>OpenAI organisation and project ids: {@code org-} or {@code proj_} and 20 or more letters and
 *       digits (OpenAI's own 429 text says "in organization org-…");</li>
 *   <li>cookie values of 16 or more characters, after {@code Cookie:} / {@code Set-Cookie:} or under a
 *       session cookie name ({@code session}, {@code sid}, {@code __cf_bm}, {@code __Secure-…}, …);</li>
 *   <li>generic keys: 32 or more hexadecimal digits mixing digits and letters, standing alone
 *       (not the tail of an id such as {@code req_…});</li>
 *   <li>{@code ?key=} and {@code &key=} query values.</li>
 * </ul>
 * These shapes are found in headers of any name, query strings and bodies alike. In JSON files,
 * private headers are looked for as keys of any {@code headers} object (WireMock's request
 * matchers and response headers), ignoring case: {@code authorization}, {@code x-api-key},
 * {@code api-key}, {@code x-goog-api-key}, {@code openai-organization}, {@code openai-project},
 * {@code anthropic-organization-id}, {@code cookie}, {@code set-cookie} and any {@code cf-*}; so are
 * the token parameters above and {@code key} in a {@code queryParameters} object, and any cookie in
 * a {@code cookies} object. In YAML files, the same header names are looked for as keys anywhere.
 * A file that does not parse gets the line search only.
 *
 * <p><b>Allowed values.</b> A finding is dropped when an allowed pattern matches the whole of its
 * value: the key or token for the line search; each string under a private header (after a
 * leading {@code Bearer }) for the header search, where a header with no string value at all,
 * such as {@code {"absent": true}}, is not a leak. Allowed by default: redaction placeholders
 * ({@code REDACTED}, {@code <redacted>}, {@code [REDACTED]}, any case) and
 * {@link FixtureServer#PLACEHOLDER_API_KEY}. The scanner cannot tell a fake key from a real one, so
 * fakes are flagged too; allow them deliberately:
 *
 * <pre>{@code
 * LeakScanner.builder().allow(Pattern.compile("sk-(ant-)?test-[a-z0-9-]+")).build().assertClean(dir);
 * }</pre>
 *
 * <p>Findings never show a whole secret: values are masked to their first and last few characters.
 * A scanner is immutable and thread-safe.
 */
public final class LeakScanner {

    /** Placeholders redaction writes in place of a secret: {@code REDACTED}, {@code <redacted>}, {@code [REDACTED]}, any case. */
    static final Pattern REDACTION_PLACEHOLDER = Pattern.compile("(?i)[^a-z0-9]*redacted[^a-z0-9]*");

    private static final List<Pattern> DEFAULT_ALLOWED =
            List.of(REDACTION_PLACEHOLDER, Pattern.compile(Pattern.quote(FixtureServer.PLACEHOLDER_API_KEY)));

    // A key starts where no key character precedes it, so "task-..." is no "sk-..." key.
    private static final String START = "(?<![A-Za-z0-9_-])";
    private static final String END = "(?![A-Za-z0-9_-])";
    private static final Pattern ANTHROPIC_KEY = Pattern.compile(START + "sk-ant-[A-Za-z0-9_-]{20,}");
    private static final Pattern OPENAI_KEY = Pattern.compile(START + "sk-(?!ant-)[A-Za-z0-9_-]{20,}");
    private static final Pattern GOOGLE_KEY = Pattern.compile(START + "AIza[0-9A-Za-z_-]{35}");
    private static final Pattern AWS_KEY = Pattern.compile("(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])");
    private static final Pattern JWT = Pattern.compile(START + "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}" + END);
    private static final Pattern ORGANIZATION_ID = Pattern.compile(START + "org-[A-Za-z0-9]{20,}" + END);
    private static final Pattern PROJECT_ID = Pattern.compile(START + "proj_[A-Za-z0-9]{20,}" + END);
    // Mixing digits and letters, so a run of one digit or a word of a-f is no key.
    private static final Pattern HEX_KEY = Pattern.compile(START + "(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{32,}" + END);
    // RFC 6750 token characters; a token never ends in '.', which is the full stop of a sentence.
    private static final Pattern BEARER = Pattern.compile(
            "(?i)\\bBearer(?:\\s+|%20|\\+)([A-Za-z0-9_~+/-](?:[A-Za-z0-9._~+/-]*[A-Za-z0-9_~+/-])?=*)");
    // A name, an optional (escaped) quote, '=' or ':', an optional quote: a query parameter or a JSON field.
    private static final String TOKEN_NAMES = "access_token|refresh_token|id_token|client_secret|api_key|apikey";
    private static final Pattern TOKEN_PARAMETER = Pattern.compile("(?i)(?<![A-Za-z0-9_])(?:" + TOKEN_NAMES
            + ")(?:\\\\?[\"'])?\\s*[=:]\\s*(?:\\\\?[\"'])?([A-Za-z0-9._~+/%-]{8,})");
    private static final Pattern COOKIE_HEADER = Pattern.compile("(?i)(?<![A-Za-z0-9-])(?:set-)?cookie(?:\\\\?[\"'])?\\s*[:=]\\s*"
            + "(?:\\[\\s*)?(?:-\\s*)?(?:\\\\?[\"'])?[A-Za-z0-9_.-]+=([^;\\s\"'\\\\&,]{16,})");
    private static final Pattern SESSION_COOKIE = Pattern.compile("(?i)(?<![A-Za-z0-9_.-])(?:__cf_bm|_cfuvid|__Secure-[A-Za-z0-9._-]+"
            + "|__Host-[A-Za-z0-9._-]+|sessionid|session_id|session|sess|sid|connect\\.sid|jsessionid|phpsessid|csrftoken"
            + "|_[A-Za-z0-9]+_session)=([A-Za-z0-9%._~+/=-]{16,})");
    private static final Pattern LETTERS = Pattern.compile("[A-Za-z]+");
    // "\\u0026" is '&' as JSON escapes it.
    private static final Pattern QUERY_KEY = Pattern.compile("(?:[?&]|\\\\u0026)key=([^&\\s\"'#\\\\]+)");
    private static final Pattern BEARER_PREFIX = Pattern.compile("(?i)^Bearer\\s+");
    private static final Set<String> TOKEN_PARAMETERS = Set.of(TOKEN_NAMES.split("\\|"));
    // A YAML mapping key, plain or quoted, possibly as a list item: "  Set-Cookie:", "- 'authorization': x".
    private static final Pattern YAML_KEY = Pattern.compile("^(\\s*)(?:-\\s+)?[\"']?([A-Za-z0-9_.-]+)[\"']?\\s*:(?:\\s+(.*))?$");
    private static final Pattern YAML_BINARY = Pattern.compile("!!binary(?:\\s+(.*))?$");

    private static final int BINARY_PROBE_BYTES = 8192;
    private static final int EXCERPT_CONTEXT = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What kind of secret a {@link Leak} is. */
    public enum LeakKind {
        /** An OpenAI API key, {@code sk-…} or {@code sk-proj-…}. */
        OPENAI_API_KEY("OpenAI API key"),
        /** An Anthropic API key, {@code sk-ant-…}. */
        ANTHROPIC_API_KEY("Anthropic API key"),
        /** A Google API key, {@code AIza…}. */
        GOOGLE_API_KEY("Google API key"),
        /** The token of an {@code Authorization: Bearer} value. */
        BEARER_TOKEN("bearer token"),
        /** A {@code key} query parameter, as Gemini accepts its API key. */
        QUERY_KEY("key query parameter"),
        /** A private header stored in a mapping. */
        PRIVATE_HEADER("private header"),
        /** An AWS access key id, {@code AKIA…} or {@code ASIA…}. */
        AWS_ACCESS_KEY("AWS access key"),
        /** A JSON web token, {@code eyJ….eyJ….…}. */
        JSON_WEB_TOKEN("JSON web token"),
        /** An opaque token named {@code access_token} (or refresh, id, client secret, api key) in a query or a body. */
        ACCESS_TOKEN("access token"),
        /** An OpenAI organisation id, {@code org-…}. */
        ORGANIZATION_ID("organization id"),
        /** An OpenAI project id, {@code proj_…}. */
        PROJECT_ID("project id"),
        /** A cookie value. */
        COOKIE("cookie value"),
        /** A long hexadecimal key of no known provider. */
        HEX_KEY("hex key");

        private final String description;

        LeakKind(String description) {
            this.description = description;
        }

        /**
         * How failure messages name the kind.
         *
         * @return a short description, such as {@code OpenAI API key}
         */
        public String description() {
            return description;
        }
    }

    /**
     * One secret found.
     *
     * @param file the file, as found under the scanned directory (the directory path resolved with the relative path)
     * @param line the line, counted from 1
     * @param column the column where the secret (or the header name) starts, counted from 1
     * @param kind what was found
     * @param excerpt the surroundings, with every secret on the line masked; never the whole secret
     */
    public record Leak(Path file, int line, int column, LeakKind kind, String excerpt) {

        /** Rejects positions before the start of a file. */
        public Leak {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(excerpt, "excerpt");
            if (line < 1 || column < 1) {
                throw new IllegalArgumentException("line and column count from 1, but were " + line + " and " + column);
            }
        }

        /**
         * The leak as failure messages list it.
         *
         * @return {@code path:line: kind: excerpt}
         */
        @Override
        public String toString() {
            return file + ":" + line + ": " + kind.description() + ": " + excerpt;
        }
    }

    private final List<Pattern> allowed;

    private LeakScanner(Builder builder) {
        this.allowed = List.copyOf(builder.allowed);
    }

    /**
     * Starts a builder whose scanner allows only the default placeholders.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scans a fixture directory with the default allowlist; the same as
     * {@code builder().build().findLeaks(dir)}.
     *
     * @param dir the fixture directory
     * @return the leaks, by file, line and column; empty when the directory is clean
     * @throws IllegalArgumentException when {@code dir} does not exist or is not a directory
     * @throws UncheckedIOException when a file cannot be read
     */
    public static List<Leak> scan(Path dir) {
        return builder().build().findLeaks(dir);
    }

    /**
     * Fails when a fixture directory holds a secret, using the default allowlist; the same as
     * {@code builder().build().assertClean(dir)}.
     *
     * @param dir the fixture directory
     * @throws AssertionError listing each leak as {@code path:line: kind: excerpt}
     * @throws IllegalArgumentException when {@code dir} does not exist or is not a directory
     * @throws UncheckedIOException when a file cannot be read
     */
    public static void assertNoLeaks(Path dir) {
        builder().build().assertClean(dir);
    }

    /**
     * Scans a fixture directory.
     *
     * @param dir the fixture directory
     * @return the leaks, by file, line and column; empty when the directory is clean
     * @throws IllegalArgumentException when {@code dir} does not exist or is not a directory
     * @throws UncheckedIOException when a file cannot be read
     */
    public List<Leak> findLeaks(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("Cannot scan fixture directory " + dir + " (" + dir.toAbsolutePath()
                    + "): it does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Cannot scan fixture directory " + dir + " (" + dir.toAbsolutePath()
                    + "): it is a file, not a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list fixture directory " + dir + ": " + e.getMessage(), e);
        }
        List<Leak> leaks = new ArrayList<>();
        for (Path file : files) {
            scanFile(file, leaks);
        }
        leaks.sort(Comparator.comparing(Leak::file).thenComparingInt(Leak::line).thenComparingInt(Leak::column));
        return List.copyOf(leaks);
    }

    /**
     * Fails when a fixture directory holds a secret.
     *
     * @param dir the fixture directory
     * @throws AssertionError listing each leak as {@code path:line: kind: excerpt}
     * @throws IllegalArgumentException when {@code dir} does not exist or is not a directory
     * @throws UncheckedIOException when a file cannot be read
     */
    public void assertClean(Path dir) {
        List<Leak> leaks = findLeaks(dir);
        if (!leaks.isEmpty()) {
            throw new AssertionError(String.format("%nExpecting no secrets in fixture directory:%n  %s%nbut found %d:%n%s%n"
                    + "Redact them, or allow deliberate fakes with LeakScanner.builder().allow(Pattern).",
                    dir.toAbsolutePath(), leaks.size(),
                    leaks.stream().map(leak -> "  " + leak).collect(Collectors.joining(System.lineSeparator()))));
        }
    }

    private void scanFile(Path file, List<Leak> leaks) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read fixture file " + file + ": " + e.getMessage(), e);
        }
        String note = "";
        if (Gzip.isGzip(bytes)) {
            byte[] plain = gunzip(bytes);
            if (plain == null) {
                return; // not really gzip: binary
            }
            bytes = plain;
            note = "gunzipped: ";
        }
        if (isBinary(bytes)) {
            return;
        }
        String text = decode(bytes);
        scanLines(file, text, null, note, leaks);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            scanJson(file, text, leaks);
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            scanYaml(file, text, leaks);
        }
    }

    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE_BYTES); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static byte @Nullable [] gunzip(byte[] bytes) {
        try {
            return Gzip.gunzip(bytes);
        } catch (IOException corrupt) {
            return null;
        }
    }

    /**
     * Searches an encoded body (base64, possibly of gzip) as text, reporting its findings at the
     * place the encoded value starts; undecodable or binary content holds nothing to find.
     */
    private void scanEncoded(Path file, String base64, int line, int column, String what, List<Leak> leaks) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException notBase64) {
            return;
        }
        String note = what + ", decoded: ";
        if (Gzip.isGzip(bytes)) {
            bytes = gunzip(bytes);
            note = what + ", gunzipped: ";
            if (bytes == null) {
                return;
            }
        }
        if (!isBinary(bytes)) {
            scanLines(file, decode(bytes), new int[] {line, column}, note, leaks);
        }
    }

    // Text that is not UTF-8 is still scanned: undecodable bytes become U+FFFD instead of failing.
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    private record Span(int start, int end, LeakKind kind) {}

    /**
     * Searches each line for secret shapes.
     *
     * @param at the line and column to report every finding at (decoded content), or null for the text's own
     * @param note put before each excerpt, saying how the text was decoded
     */
    private void scanLines(Path file, String text, int @Nullable [] at, String note, List<Leak> leaks) {
        List<String> lines = text.lines().toList();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            List<Span> spans = new ArrayList<>(); // never overlapping
            addKeys(line, ANTHROPIC_KEY, LeakKind.ANTHROPIC_API_KEY, spans);
            addKeys(line, OPENAI_KEY, LeakKind.OPENAI_API_KEY, spans);
            addKeys(line, GOOGLE_KEY, LeakKind.GOOGLE_API_KEY, spans);
            addKeys(line, AWS_KEY, LeakKind.AWS_ACCESS_KEY, spans);
            addKeys(line, JWT, LeakKind.JSON_WEB_TOKEN, spans);
            addKeys(line, ORGANIZATION_ID, LeakKind.ORGANIZATION_ID, spans);
            addKeys(line, PROJECT_ID, LeakKind.PROJECT_ID, spans);
            // Tokens that are themselves keys are reported once, as the more specific key kind.
            addTokens(line, BEARER, LeakKind.BEARER_TOKEN, spans);
            addTokens(line, TOKEN_PARAMETER, LeakKind.ACCESS_TOKEN, spans);
            addTokens(line, COOKIE_HEADER, LeakKind.COOKIE, spans);
            addTokens(line, SESSION_COOKIE, LeakKind.COOKIE, spans);
            addTokens(line, QUERY_KEY, LeakKind.QUERY_KEY, spans);
            // Last: a hex run inside a named token is that token, not a key of its own.
            addKeys(line, HEX_KEY, LeakKind.HEX_KEY, spans);
            spans.sort(Comparator.comparingInt(Span::start));
            for (Span span : spans) {
                int lineNumber = at == null ? index + 1 : at[0];
                int column = at == null ? span.start() + 1 : at[1];
                leaks.add(new Leak(file, lineNumber, column, span.kind(), note + excerpt(line, spans, span)));
            }
        }
    }

    private void addKeys(String line, Pattern pattern, LeakKind kind, List<Span> spans) {
        Matcher matcher = pattern.matcher(line);
        while (matcher.find()) {
            int start = matcher.start();
            int end = matcher.end();
            boolean overlaps = spans.stream().anyMatch(span -> span.start() < end && start < span.end());
            if (!overlaps && !isAllowed(matcher.group())) {
                spans.add(new Span(start, end, kind));
            }
        }
    }
    private void addTokens(String line, Pattern pattern, LeakKind kind, List<Span> spans) {
        Matcher matcher = pattern.matcher(line);
        while (matcher.find()) {
            String token = matcher.group(1);
            int start = matcher.start(1);
            int end = matcher.end(1);
            boolean prose = kind == LeakKind.BEARER_TOKEN && LETTERS.matcher(token).matches();
            boolean overlaps = spans.stream().anyMatch(span -> span.start() < end && start < span.end());
            if (!prose && !overlaps && !isAllowed(token)) {
                spans.add(new Span(start, end, kind));
            }
        }
    }

    private boolean isAllowed(String value) {
        for (Pattern pattern : allowed) {
            if (pattern.matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String excerpt(String line, List<Span> spans, Span leak) {
        StringBuilder masked = new StringBuilder();
        int from = 0;
        int leakStart = 0;
        int leakEnd = 0;
        for (Span span : spans) {
            masked.append(line, from, span.start());
            if (span == leak) {
                leakStart = masked.length();
            }
            masked.append(mask(line.substring(span.start(), span.end())));
            if (span == leak) {
                leakEnd = masked.length();
            }
            from = span.end();
        }
        masked.append(line.substring(from));
        int start = Math.max(0, leakStart - EXCERPT_CONTEXT);
        int end = Math.min(masked.length(), leakEnd + EXCERPT_CONTEXT);
        return (start > 0 ? "…" : "") + masked.substring(start, end).strip() + (end < masked.length() ? "…" : "");
    }

    /**
     * Masks a secret: keeps a fifth of it, at most four characters, at each end.
     * {@code sk-proj-AbCd…WxYz} (48 characters) becomes {@code sk-p****WxYz}.
     */
    static String mask(String secret) {
        int keep = Math.min(4, secret.length() / 5);
        return secret.substring(0, keep) + "****" + secret.substring(secret.length() - keep);
    }

    /**
     * The structure of a JSON file: private headers under {@code headers}, token parameters under
     * {@code queryParameters}, cookies under {@code cookies}, and the decoded {@code base64Body}.
     */
    private void scanJson(Path file, String text, List<Leak> leaks) {
        try (JsonParser parser = JSON.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    continue;
                }
                String name = parser.currentName();
                JsonStreamContext owner = parser.getParsingContext().getParent();
                String ownerName = owner == null ? null : owner.getCurrentName();
                JsonLocation location = parser.currentTokenLocation();
                if ("base64Body".equals(name)) {
                    if (parser.nextToken() == JsonToken.VALUE_STRING) {
                        scanEncoded(file, parser.getText(), location.getLineNr(), location.getColumnNr(), "base64Body", leaks);
                    }
                    continue;
                }
                LeakKind kind = null;
                String lower = name.toLowerCase(Locale.ROOT);
                if ("headers".equalsIgnoreCase(ownerName) && isPrivateHeader(name)) {
                    kind = LeakKind.PRIVATE_HEADER;
                } else if ("queryParameters".equals(ownerName) && Redaction.PRIVATE_QUERY_PARAMETERS.contains(lower)) {
                    kind = LeakKind.QUERY_KEY;
                } else if ("queryParameters".equals(ownerName) && TOKEN_PARAMETERS.contains(lower)) {
                    kind = LeakKind.ACCESS_TOKEN;
                } else if ("cookies".equals(ownerName)) {
                    kind = LeakKind.COOKIE;
                }
                if (kind == null) {
                    continue;
                }
                parser.nextToken();
                // A header without any string value, such as {"absent": true}, holds nothing to leak.
                String secret = firstDisallowedString(parser.readValueAsTree());
                if (secret != null) {
                    leaks.add(new Leak(file, location.getLineNr(), location.getColumnNr(), kind, name + ": " + mask(secret)));
                }
            }
        } catch (JsonProcessingException e) {
            // Not JSON (a deliberately broken body, say): the line search has covered it.
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The structure of a YAML file, such as a VCR cassette, read line by line (a cassette that does
     * not parse is still searched): private header names as keys, their value inline or as the
     * first item of the list below; and {@code !!binary} blocks, decoded.
     */
    private void scanYaml(Path file, String text, List<Leak> leaks) {
        List<String> lines = text.lines().toList();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            Matcher binary = YAML_BINARY.matcher(line);
            if (binary.find()) {
                String inline = binary.group(1) == null ? "" : binary.group(1).strip();
                String encoded;
                if (inline.isEmpty() || inline.startsWith("|") || inline.startsWith(">")) {
                    int indent = indentOf(line);
                    StringBuilder block = new StringBuilder();
                    for (int next = index + 1; next < lines.size() && (lines.get(next).isBlank() || indentOf(lines.get(next)) > indent); next++) {
                        block.append(lines.get(next).strip());
                    }
                    encoded = block.toString();
                } else {
                    encoded = inline.replaceAll("^[\"']|[\"']$", "");
                }
                scanEncoded(file, encoded, index + 1, binary.start() + 1, "!!binary", leaks);
                continue;
            }
            Matcher key = YAML_KEY.matcher(line);
            if (!key.matches() || !isPrivateHeader(key.group(2))) {
                continue;
            }
            String value = key.group(3) == null ? "" : key.group(3).strip();
            if (value.isEmpty() && index + 1 < lines.size()) {
                value = lines.get(index + 1).strip().replaceFirst("^-\\s*", "");
            }
            value = value.replaceAll("^[\"']|[\"']$", "");
            if (!value.isEmpty() && !value.equals("[]") && !value.equals("{}") && !isAllowed(value)
                    && !isAllowed(BEARER_PREFIX.matcher(value).replaceFirst(""))) {
                leaks.add(new Leak(file, index + 1, key.start(2) + 1, LeakKind.PRIVATE_HEADER, key.group(2) + ": " + mask(value)));
            }
        }
    }

    private static int indentOf(String line) {
        int indent = 0;
        while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '-')) {
            indent++;
        }
        return indent;
    }

    private @Nullable String firstDisallowedString(@Nullable JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            return isAllowed(text) || isAllowed(BEARER_PREFIX.matcher(text).replaceFirst("")) ? null : text;
        }
        for (JsonNode child : node) {
            String found = firstDisallowedString(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** One list for redaction and scanning: {@link Redaction}'s. */
    private static boolean isPrivateHeader(String name) {
        return Redaction.isPrivateRequestHeader(name) || Redaction.isPrivateResponseHeader(name);
    }

    /** Configures a {@link LeakScanner}. */
    public static final class Builder {
        private final List<Pattern> allowed = new ArrayList<>(DEFAULT_ALLOWED);

        private Builder() {}

        /**
         * Allows values that the pattern matches entirely, on top of the default placeholders:
         * for deliberate fakes such as {@code sk-test-0000…}.
         *
         * @param pattern matched against the whole flagged value (key, token, query value or header value)
         * @return this builder
         */
        public Builder allow(Pattern pattern) {
            allowed.add(Objects.requireNonNull(pattern, "pattern"));
            return this;
        }

        /**
         * Builds the scanner.
         *
         * @return an immutable scanner
         */
        public LeakScanner build() {
            return new LeakScanner(this);
        }
    }
}
