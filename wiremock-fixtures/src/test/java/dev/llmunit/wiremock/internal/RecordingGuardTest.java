package dev.llmunit.wiremock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.wiremock.LlmProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What record mode relays and what it never writes, rule by rule. */
class RecordingGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:8080", "localhost", "LOCALHOST:1", "localhost.:9", "[::1]", "[::1]:4010",
            "127.1.2.3:80"})
    void loopbackHostsAreRelayed(String host) {
        assertThat(RecordingGuard.isLoopbackHost(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "attacker.example", "attacker.example:8080", "localhost.attacker.example", "127.0.0.1.nip.io",
            "10.0.0.1", "[::2]", "[::1]x", "localhost:80:80", "localhost:port", "0.0.0.0"})
    void otherHostsAreNot(String host) {
        assertThat(RecordingGuard.isLoopbackHost(host)).isFalse();
    }

    @Test
    void anAbsentHostIsNotRelayed() {
        assertThat(RecordingGuard.isLoopbackHost(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "OPENAI, POST, /chat/completions, true",
            "OPENAI, POST, /responses, true",
            "OPENAI, POST, /embeddings, true",
            "OPENAI, GET, /chat/completions, false",
            "OPENAI, DELETE, /files/file-1, false",
            "OPENAI, POST, /files, false",
            "OPENAI, POST, /chat/completions/x, false",
            "OPENAI, GET, /models, false",
            "ANTHROPIC, POST, /messages, true",
            "ANTHROPIC, POST, /messages/batches, false",
            "ANTHROPIC, POST, /messages/count_tokens, false",
            "GEMINI, POST, /models/gemini-2.0-flash:generateContent, true",
            "GEMINI, POST, /models/gemini-2.0-flash:streamGenerateContent, true",
            "GEMINI, POST, /models/text-embedding-004:embedContent, true",
            "GEMINI, POST, /models/gemini-2.0-flash:countTokens, false",
            "GEMINI, GET, /models, false",
            "GEMINI, POST, /models/../files:generateContent, false",
    })
    void onlyAProvidersModelCallsAreRelayed(LlmProvider provider, String method, String rest, boolean relayed) {
        assertThat(RecordingGuard.isModelCall(provider, method, rest)).isEqualTo(relayed);
    }

    @Test
    void keysAreReplacedInBodiesByteForByteElsewhere() {
        String key = "sk-" + "proj-AbCdEfGhIjKlMnOpQrSt";
        byte[] binary = {(byte) 0xff, 0, (byte) 0x80};
        byte[] body = concat(binary, ("é " + key + " é").getBytes(StandardCharsets.UTF_8));

        byte[] written = RecordingGuard.withoutKeys(body, List.of(key));

        assertThat(written).isEqualTo(concat(binary, ("é " + RecordingGuard.REDACTED + " é").getBytes(StandardCharsets.UTF_8)));
        assertThat(RecordingGuard.containsAny(written, List.of(key))).isFalse();
        byte[] clean = "no key here".getBytes(StandardCharsets.UTF_8);
        assertThat(RecordingGuard.withoutKeys(clean, List.of(key))).isSameAs(clean);
    }

    @Test
    void shortPlaceholderKeysAreNotSearchedFor() {
        assertThat(RecordingGuard.isGuardedKey("test")).isFalse();
        assertThat(RecordingGuard.isGuardedKey("sk-" + "proj-AbCdEfGh")).isTrue();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
