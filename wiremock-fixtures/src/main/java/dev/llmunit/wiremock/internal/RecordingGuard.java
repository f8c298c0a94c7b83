package dev.llmunit.wiremock.internal;

import dev.llmunit.wiremock.LlmProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What record mode relays with the real API key, and what it never writes. The recorder adds the
 * configured key to every request it relays, so it is a credentialed proxy on this machine: it
 * must not relay an arbitrary method and path (a {@code DELETE /v1/files/…} would run with the
 * key), nor a request addressed to another host name (a web page that rebinds its own domain to
 * 127.0.0.1 reaches the port but still sends its own Host), and nothing it writes may hold a key.
 */
final class RecordingGuard {

    /** Keys shorter than this are test placeholders ({@code test}, {@code sk-x}): replacing them in bodies would mangle answers. */
    static final int MIN_GUARDED_KEY_LENGTH = 12;
    /** What replaces a configured key found in a recorded body. */
    static final String REDACTED = "[redacted: an API key]";

    private static final Pattern OPENAI_MODEL_CALL = Pattern.compile("/(chat/completions|responses|embeddings)");
    private static final Pattern ANTHROPIC_MODEL_CALL = Pattern.compile("/messages");
    private static final Pattern GEMINI_MODEL_CALL =
            Pattern.compile("/models/[A-Za-z0-9._-]+:(generateContent|streamGenerateContent|embedContent|batchEmbedContents)");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    private RecordingGuard() {}

    /**
     * Whether a request is a model call of its provider: a POST to an endpoint a chat, streaming or
     * embedding call uses, after the provider's prefix on the fixture server.
     *
     * @param provider the provider the path is for
     * @param method the HTTP method
     * @param rest the path after the provider's prefix, such as {@code /chat/completions}
     * @return true for OpenAI's {@code /chat/completions}, {@code /responses} and {@code /embeddings},
     *     Anthropic's {@code /messages}, Gemini's {@code /models/{model}:generateContent} (and stream,
     *     embed, batch embed)
     */
    static boolean isModelCall(LlmProvider provider, String method, String rest) {
        if (!"POST".equals(method)) {
            return false;
        }
        Pattern endpoints = switch (provider) {
            case OPENAI -> OPENAI_MODEL_CALL;
            case ANTHROPIC -> ANTHROPIC_MODEL_CALL;
            case GEMINI -> GEMINI_MODEL_CALL;
        };
        return endpoints.matcher(rest).matches();
    }

    /**
     * The model calls a provider's recorder relays, for an error message.
     *
     * @param provider the provider
     * @param prefix its prefix on the fixture server, such as {@code /openai/v1}
     * @return such as {@code POST /openai/v1/chat/completions, /openai/v1/responses or /openai/v1/embeddings}
     */
    static String modelCalls(LlmProvider provider, String prefix) {
        return switch (provider) {
            case OPENAI -> "POST " + prefix + "/chat/completions, " + prefix + "/responses or " + prefix + "/embeddings";
            case ANTHROPIC -> "POST " + prefix + "/messages";
            case GEMINI -> "POST " + prefix + "/models/{model}:generateContent, :streamGenerateContent, :embedContent or"
                    + " :batchEmbedContents";
        };
    }

    /**
     * Whether a Host header names this machine: {@code localhost}, {@code 127.x.x.x} or {@code [::1]}, with any port.
     *
     * @param host the Host header, null when absent
     * @return false when absent, blank or naming any other host
     */
    static boolean isLoopbackHost(@Nullable String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end > 0 && name.substring(1, end).equals("::1") && portOrNothing(name.substring(end + 1));
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
            if (!portOrNothing(name.substring(colon))) {
                return false;
            }
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.equals("localhost") || IPV4_LOOPBACK.matcher(name).matches();
    }

    private static boolean portOrNothing(String rest) {
        return rest.isEmpty() || rest.matches(":\\d{1,5}");
    }

    /**
     * Whether a configured key is long enough to look for in what is written: a real key always is.
     *
     * @param key a configured key
     * @return whether it has at least {@link #MIN_GUARDED_KEY_LENGTH} characters
     */
    static boolean isGuardedKey(String key) {
        return key.strip().length() >= MIN_GUARDED_KEY_LENGTH;
    }

    /**
     * Whether a text holds any of the keys.
     *
     * @param text a header value or any other text
     * @param keys the configured keys
     * @return whether one of them occurs in it
     */
    static boolean containsAny(String text, List<String> keys) {
        for (String key : keys) {
            if (text.contains(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A body with every configured key replaced by {@link #REDACTED}, byte for byte elsewhere (the
     * bytes are read as ISO-8859-1, which maps each byte to one character, so binary bodies survive).
     *
     * @param body the body as received
     * @param keys the configured keys
     * @return the same array when it holds no key
     */
    static byte[] withoutKeys(byte[] body, List<String> keys) {
        String bytes = new String(body, StandardCharsets.ISO_8859_1);
        String replaced = bytes;
        for (String key : keys) {
            replaced = replaced.replace(asBytes(key), asBytes(REDACTED));
        }
        return replaced.equals(bytes) ? body : replaced.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether bytes hold any of the keys, in their UTF-8 form.
     *
     * @param content bytes about to be written
     * @param keys the configured keys
     * @return whether one of them occurs
     */
    static boolean containsAny(byte[] content, List<String> keys) {
        String bytes = new String(content, StandardCharsets.ISO_8859_1);
        for (String key : keys) {
            if (bytes.contains(asBytes(key))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A header or path as it may be shown in an error: control characters escaped ({@link StubNames#safe}), at most 200 characters.
     *
     * @param value what the client sent
     * @return the printable form
     */
    static String printable(String value) {
        String safe = StubNames.safe(value);
        return safe.length() <= 200 ? safe : safe.substring(0, 200) + "…";
    }

    /** A text's UTF-8 bytes as ISO-8859-1 characters, to search bytes as a string. */
    private static String asBytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
