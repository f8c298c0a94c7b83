package dev.llmunit.wiremock;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Finds secrets in a fixture directory before they are committed: API keys, bearer tokens,
 * {@code key=} query parameters and private headers (see {@code providers.md}). Call it from any
 * test:
 *
 * <pre>{@code
 * @Test
 * void fixturesHoldNoSecrets() {
 *     LeakScanner.assertNoLeaks(Path.of("src/test/resources/llmunit"));
 * }
 * }</pre>
 *
 * <p>Every regular file under the directory is read, at any depth ({@code mappings/*.json},
 * {@code __files/*}, anything else); files with a NUL byte in their first 8 KiB are taken for
 * binary and skipped, as {@code grep -I} does. In every text file, each line is searched for
 * <ul>
 *   <li>OpenAI keys: {@code sk-} or {@code sk-proj-} and 20 or more of {@code [A-Za-z0-9_-]};</li>
 *   <li>Anthropic keys: {@code sk-ant-} and 20 or more of the same;</li>
 *   <li>Google keys: {@code AIza} and 35 of {@code [0-9A-Za-z_-]};</li>
 *   <li>{@code Bearer} tokens, except tokens made of letters only (prose such as "Bearer authentication");</li>
 *   <li>{@code ?key=} and {@code &key=} query values.</li>
 * </ul>
 * In every {@code .json} file, private headers are looked for as keys of any {@code headers}
 * object (WireMock's request matchers and response headers), ignoring case: {@code authorization},
 * {@code x-api-key}, {@code api-key}, {@code x-goog-api-key}, {@code openai-organization},
 * {@code openai-project}, {@code anthropic-organization-id}, {@code cookie}, {@code set-cookie}
 * and any {@code cf-*}; so is a {@code key} in a {@code queryParameters} object. A {@code .json}
 * file that is not valid JSON gets the line search only.
 *
 * <p><b>Allowed values.</b> A finding is dropped when an allowed pattern matches the whole of its
 * value: the key or token for the line search; each string under a private header (after a
 * leading {@code Bearer }) for the header search, where a header with no string value at all,
 * such as {@code {"absent": true}}, is not a leak. Allowed by default: redaction placeholders
 * ({@code REDACTED}, {@code <redacted>}, {@code [REDACTED]}, any case) and
 * {@link FixtureModels#PLAYBACK_API_KEY}. The scanner cannot tell a fake key from a real one, so
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
    private static final Pattern ANTHROPIC_KEY = Pattern.compile(START + "sk-ant-[A-Za-z0-9_-]{20,}");
    private static final Pattern OPENAI_KEY = Pattern.compile(START + "sk-(?!ant-)[A-Za-z0-9_-]{20,}");
    private static final Pattern GOOGLE_KEY = Pattern.compile(START + "AIza[0-9A-Za-z_-]{35}");
    // RFC 6750 token characters; a token never ends in '.', which is the full stop of a sentence.
    private static final Pattern BEARER =
            Pattern.compile("(?i)\\bBearer\\s+([A-Za-z0-9_~+/-](?:[A-Za-z0-9._~+/-]*[A-Za-z0-9_~+/-])?=*)");
    private static final Pattern LETTERS = Pattern.compile("[A-Za-z]+");
    // "\\u0026" is '&' as JSON escapes it.
    private static final Pattern QUERY_KEY = Pattern.compile("(?:[?&]|\\\\u0026)key=([^&\\s\"'#\\\\]+)");
    private static final Pattern BEARER_PREFIX = Pattern.compile("(?i)^Bearer\\s+");

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
        PRIVATE_HEADER("private header");

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
        for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE_BYTES); i++) {
            if (bytes[i] == 0) {
                return;
            }
        }
        String text = decode(bytes);
        scanLines(file, text, leaks);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            scanJson(file, text, leaks);
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

    private void scanLines(Path file, String text, List<Leak> leaks) {
        List<String> lines = text.lines().toList();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            List<Span> spans = new ArrayList<>(); // never overlapping
            addKeys(line, ANTHROPIC_KEY, LeakKind.ANTHROPIC_API_KEY, spans);
            addKeys(line, OPENAI_KEY, LeakKind.OPENAI_API_KEY, spans);
            addKeys(line, GOOGLE_KEY, LeakKind.GOOGLE_API_KEY, spans);
            // Tokens that are themselves keys are reported once, as the more specific key kind.
            addTokens(line, BEARER, LeakKind.BEARER_TOKEN, spans);
            addTokens(line, QUERY_KEY, LeakKind.QUERY_KEY, spans);
            spans.sort(Comparator.comparingInt(Span::start));
            for (Span span : spans) {
                leaks.add(new Leak(file, index + 1, span.start() + 1, span.kind(), excerpt(line, spans, span)));
            }
        }
    }

    private void addKeys(String line, Pattern pattern, LeakKind kind, List<Span> spans) {
        Matcher matcher = pattern.matcher(line);
        while (matcher.find()) {
            if (!isAllowed(matcher.group())) {
                spans.add(new Span(matcher.start(), matcher.end(), kind));
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

    private void scanJson(Path file, String text, List<Leak> leaks) {
        try (JsonParser parser = JSON.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    continue;
                }
                String name = parser.currentName();
                JsonStreamContext owner = parser.getParsingContext().getParent();
                String ownerName = owner == null ? null : owner.getCurrentName();
                LeakKind kind = null;
                if ("headers".equalsIgnoreCase(ownerName) && isPrivateHeader(name)) {
                    kind = LeakKind.PRIVATE_HEADER;
                } else if ("queryParameters".equals(ownerName) && "key".equals(name)) {
                    kind = LeakKind.QUERY_KEY;
                }
                if (kind == null) {
                    continue;
                }
                JsonLocation location = parser.currentTokenLocation();
                parser.nextToken();
                // A header without any string value, such as {"absent": true}, holds nothing to leak.
                String secret = firstDisallowedString(parser.readValueAsTree());
                if (secret != null) {
                    leaks.add(new Leak(file, location.getLineNr(), location.getColumnNr(), kind,
                            name + ": " + mask(secret)));
                }
            }
        } catch (JsonProcessingException e) {
            // Not JSON (a deliberately broken body, say): the line search has covered it.
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file + ": " + e.getMessage(), e);
        }
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
