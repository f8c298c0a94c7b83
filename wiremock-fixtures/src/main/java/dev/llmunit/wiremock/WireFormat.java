package dev.llmunit.wiremock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the provider fixture DSLs share: JSON writing in the providers' own layout, deterministic
 * ids (so a fixture written twice is byte-identical), the default split of content into stream
 * chunks, and the checks that reject bad input where it enters. Not API.
 */
final class WireFormat {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter COMPACT = JSON.writer();
    /** OpenAI pretty-prints non-streamed bodies with two-space indents and {@code "key": value}. */
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=\\S)(?=\\s)");
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private WireFormat() {}

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String compact(JsonNode node) {
        try {
            return COMPACT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e); // a tree of plain nodes always writes
        }
    }

    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Splits text into words, each after the first keeping its leading blank, as models stream tokens. */
    static List<String> words(String content) {
        List<String> words = new ArrayList<>();
        for (String word : WORD_BOUNDARY.split(content)) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words.isEmpty() ? List.of(content) : words;
    }

    /** A stable identifier of the given length in base 62, derived from the seed. */
    static String stableId(String seed, int length) {
        StringBuilder id = new StringBuilder(length);
        byte[] block = seed.getBytes(StandardCharsets.UTF_8);
        while (id.length() < length) {
            block = sha256(block);
            for (int i = 0; i < block.length && id.length() < length; i++) {
                id.append(BASE62[(block[i] & 0xff) % BASE62.length]);
            }
        }
        return id.toString();
    }

    /** A stable lower-case hex identifier, as in {@code x-request-id}. */
    static String stableHex(String seed, int length) {
        StringBuilder hex = new StringBuilder(length);
        byte[] block = seed.getBytes(StandardCharsets.UTF_8);
        while (hex.length() < length) {
            block = sha256(block);
            for (int i = 0; i < block.length && hex.length() < length; i++) {
                hex.append(Character.forDigit((block[i] >> 4) & 0xf, 16));
                if (hex.length() < length) {
                    hex.append(Character.forDigit(block[i] & 0xf, 16));
                }
            }
        }
        return hex.toString();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    // ---- validation at the edge: every message names the value ------------------------------------

    static String requireText(String name, @Nullable String value) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, but was '" + value + "'");
        }
        return value;
    }

    static int requireNonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value);
        }
        return value;
    }

    static String requireOneOf(String name, @Nullable String value, Set<String> allowed) {
        requireText(name, value);
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(name + " must be one of " + String.join(", ", new TreeSet<>(allowed))
                    + ", but was '" + value + "'");
        }
        return value;
    }

    static Duration requireNonNegative(String name, @Nullable Duration value) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value);
        }
        if (value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE + " ms, but was " + value);
        }
        return value;
    }

    static int requireStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status must be between 400 and 599, but was " + status);
        }
        return status;
    }

    /** Checks explicit stream chunks against the content they must spell. */
    static List<String> requireChunksOf(String content, @Nullable List<String> chunks) {
        if (chunks == null) {
            return words(content);
        }
        String joined = String.join("", chunks);
        if (!joined.equals(content)) {
            throw new IllegalArgumentException("chunks must join to the content '" + content + "', but join to '" + joined + "'");
        }
        return chunks;
    }

    static List<String> copyChunks(@Nullable List<String> chunks) {
        if (chunks == null) {
            throw new NullPointerException("chunks must not be null");
        }
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("chunks must not be empty, but was []");
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i) == null) {
                throw new NullPointerException("chunks[" + i + "] must not be null, in " + chunks);
            }
        }
        return List.copyOf(chunks);
    }

    /** How OpenAI words a wait: {@code 20ms}, {@code 1.5s}. */
    static String humanWait(Duration wait) {
        long millis = wait.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        return (millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0)) + "s";
    }

    /** Whole seconds, rounded up, as {@code Retry-After} carries them. */
    static long ceilSeconds(Duration wait) {
        long millis = wait.toMillis();
        return (millis + 999) / 1000;
    }
}
