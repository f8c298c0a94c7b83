package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmunit.wiremock.LeakScanner.Leak;
import dev.llmunit.wiremock.LeakScanner.LeakKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LeakScanner} over fixture directories written to a temporary folder. */
class LeakScannerTest {

    // Fake secrets are assembled at run time so that no key-shaped literal sits in the sources.
    private static final String TAIL = "FAKE0123456789abcdefghijKLMNOPqrst"; // 34 characters
    private static final String OPENAI_KEY = "sk-" + "proj-" + TAIL;
    private static final String ANTHROPIC_KEY = "sk-" + "ant-api03-" + TAIL;
    private static final String GOOGLE_KEY = "AI" + "za" + TAIL + "9";

    private static final String CLEAN_MAPPING = """
            {
              "request": {
                "method": "POST",
                "urlPath": "/openai/v1/chat/completions",
                "headers": { "Content-Type": { "contains": "application/json" } },
                "bodyPatterns": [ { "matchesJsonPath": { "expression": "$['model']", "equalTo": "gpt-4o-mini" } } ]
              },
              "response": {
                "status": 200,
                "headers": { "Content-Type": "application/json", "x-request-id": "req_5f3b2c", "openai-processing-ms": "312" },
                "bodyFileName": "chat-1.json"
              }
            }
            """;
    private static final String CLEAN_BODY = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1735000000,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Bearer tokens go in the Authorization header."},
             "finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18}}
            """;

    @TempDir
    Path dir;

    @Test
    void passesACleanFixtureDirectory() throws IOException {
        // GIVEN
        write("mappings/chat-1.json", CLEAN_MAPPING);
        write("__files/chat-1.json", CLEAN_BODY);

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).isEmpty();
        assertThatCode(() -> LeakScanner.assertNoLeaks(dir)).doesNotThrowAnyException();
    }

    @Test
    void findsAnOpenAiKeyWithFileLineAndColumn() throws IOException {
        // GIVEN
        Path file = write("__files/stream.txt", "data: {}\n\ndata: {\"note\":\"" + OPENAI_KEY + "\"}\n");

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).singleElement().satisfies(leak -> {
            assertThat(leak.file()).isEqualTo(file);
            assertThat(leak.line()).isEqualTo(3);
            assertThat(leak.column()).isEqualTo(16);
            assertThat(leak.kind()).isEqualTo(LeakKind.OPENAI_API_KEY);
        });
    }

    @Test
    void findsAnAnthropicKeyAsAnthropicRatherThanOpenAi() throws IOException {
        // GIVEN
        write("mappings/messages.json", "{\n  \"note\": \"" + ANTHROPIC_KEY + "\"\n}\n");

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).extracting(Leak::line, Leak::kind).containsExactly(
                tuple(2, LeakKind.ANTHROPIC_API_KEY));
    }

    @Test
    void findsAGoogleKey() throws IOException {
        // GIVEN
        write("notes.md", "# Gemini\n\nused " + GOOGLE_KEY + " once\n");

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).extracting(Leak::line, Leak::kind).containsExactly(
                tuple(3, LeakKind.GOOGLE_API_KEY));
    }

    @Test
    void findsABearerTokenThatIsNotKeyShaped() throws IOException {
        // GIVEN
        write("mappings/chat.json", "{\n  \"comment\": \"Authorization: Bearer ya29.a0AfH6SMBx-1\"\n}\n");

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).extracting(Leak::line, Leak::kind).containsExactly(
                tuple(2, LeakKind.BEARER_TOKEN));
    }

    @Test
    void reportsAKeyInABearerValueOnceAsTheKeyKind() throws IOException {
        // GIVEN
        write("mappings/chat.json", "{ \"comment\": \"Bearer " + OPENAI_KEY + "\" }\n");

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).extracting(Leak::kind).containsExactly(LeakKind.OPENAI_API_KEY);
    }

    @Test
    void acceptsRedactionPlaceholdersAndThePlaceholderKeyAsBearerTokens() throws IOException {
        // GIVEN
        write("mappings/chat.json", """
                { "comments": ["Bearer REDACTED", "Bearer <redacted>", "bearer [redacted]", "Bearer llmunit-placeholder-key"] }
                """);

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).isEmpty();
    }

    @Test
    void takesNoLettersOnlyWordAfterBearerForAToken() throws IOException {
        // GIVEN
        write("__files/answer.json", "{\"content\":\"Use Bearer authentication with a Bearer token.\"}\n");

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).isEmpty();
    }

    @Test
    void takesNoKeyInsideAWordForAKey() throws IOException {
        // GIVEN: "task-" ends in "sk-" but starts no key
        write("__files/answer.json", "{\"content\":\"task-queue-processing-system-v2-final\"}\n");

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).isEmpty();
    }

    @Test
    void findsAKeyQueryParameterInAUrl() throws IOException {
        // GIVEN
        write("mappings/gemini.json", """
                {
                  "request": {
                    "method": "POST",
                    "url": "/gemini/v1beta/models/gemini-2.5-flash:generateContent?alt=json&key=abc123secret"
                  }
                }
                """);

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).extracting(Leak::line, Leak::kind).containsExactly(
                tuple(4, LeakKind.QUERY_KEY));
    }

    @Test
    void findsAKeyInAQueryParametersMatcher() throws IOException {
        // GIVEN
        write("mappings/gemini.json", """
                {
                  "request": {
                    "urlPath": "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
                    "queryParameters": {
                      "key": { "equalTo": "abc123secret" }
                    }
                  }
                }
                """);

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).extracting(Leak::line, Leak::column, Leak::kind).containsExactly(
                tuple(5, 7, LeakKind.QUERY_KEY));
    }

    @Test
    void findsAPrivateHeaderInARequestMatcher() throws IOException {
        // GIVEN
        write("mappings/chat.json", """
                {
                  "request": {
                    "urlPath": "/openai/v1/chat/completions",
                    "headers": {
                      "Content-Type": { "contains": "application/json" },
                      "OpenAI-Organization": { "equalTo": "org-abc123" }
                    }
                  }
                }
                """);

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).singleElement().satisfies(leak -> {
            assertThat(leak.line()).isEqualTo(6);
            assertThat(leak.kind()).isEqualTo(LeakKind.PRIVATE_HEADER);
            assertThat(leak.excerpt()).startsWith("OpenAI-Organization: ");
        });
    }

    @Test
    void findsPrivateResponseHeadersIgnoringCase() throws IOException {
        // GIVEN
        write("mappings/chat.json", """
                {
                  "response": {
                    "status": 200,
                    "headers": {
                      "Content-Type": "application/json",
                      "Set-Cookie": ["__cf_bm=abc.def-123; path=/", "_cfuvid=xyz-456; path=/"],
                      "CF-RAY": "8f1e2d3c4b5a6978-AMS",
                      "anthropic-organization-id": "00000000-0000-4000-8000-00000000f4e3",
                      "openai-project": "proj_abc123"
                    }
                  }
                }
                """);

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).extracting(Leak::line, Leak::kind).containsExactly(
                tuple(6, LeakKind.PRIVATE_HEADER),
                tuple(7, LeakKind.PRIVATE_HEADER),
                tuple(8, LeakKind.PRIVATE_HEADER),
                tuple(9, LeakKind.PRIVATE_HEADER));
    }

    @Test
    void acceptsAPrivateHeaderThatHoldsNoValue() throws IOException {
        // GIVEN: matchers that require the header to be absent, or redacted
        write("mappings/chat.json", """
                {
                  "request": { "headers": { "Authorization": { "absent": true }, "x-api-key": { "equalTo": "REDACTED" } } },
                  "response": { "headers": { "set-cookie": "<redacted>" } }
                }
                """);

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).isEmpty();
    }

    @Test
    void masksTheSecretInTheExcerpt() throws IOException {
        // GIVEN
        write("__files/body.json", "{\"note\":\"" + OPENAI_KEY + "\"}\n");

        // WHEN
        Leak leak = LeakScanner.scan(dir).get(0);

        // THEN
        assertThat(leak.excerpt())
                .isEqualTo("{\"note\":\"sk-p****qrst\"}")
                .doesNotContain(TAIL.substring(4, 30));
    }

    @Test
    void masksEverySecretOnTheLineInEachExcerpt() throws IOException {
        // GIVEN
        write("__files/body.json", "{\"a\":\"" + OPENAI_KEY + "\",\"b\":\"" + ANTHROPIC_KEY + "\"}\n");

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).hasSize(2).allSatisfy(leak -> assertThat(leak.excerpt())
                .doesNotContain(OPENAI_KEY).doesNotContain(ANTHROPIC_KEY).doesNotContain(TAIL.substring(4, 30)));
    }

    @Test
    void masksAPrivateHeaderValue() throws IOException {
        // GIVEN
        write("mappings/chat.json", "{ \"response\": { \"headers\": { \"openai-organization\": \"org-abcdefghij123\" } } }");

        // WHEN
        Leak leak = LeakScanner.scan(dir).get(0);

        // THEN
        assertThat(leak.excerpt()).isEqualTo("openai-organization: org****123");
    }

    @Test
    void skipsBinaryFilesWithoutFailing() throws IOException {
        // GIVEN: a NUL byte marks the file as binary, whatever follows
        byte[] binary = new byte[4096];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        byte[] key = OPENAI_KEY.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(key, 0, binary, 100, key.length);
        Files.createDirectories(dir.resolve("__files"));
        Files.write(dir.resolve("__files/audio.bin"), binary);

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).isEmpty();
    }

    @Test
    void scansTextThatIsNotUtf8() throws IOException {
        // GIVEN: Latin-1 "café", invalid as UTF-8
        byte[] prefix = "caf\u00e9 ".getBytes(StandardCharsets.ISO_8859_1);
        byte[] key = OPENAI_KEY.getBytes(StandardCharsets.US_ASCII);
        byte[] text = new byte[prefix.length + key.length];
        System.arraycopy(prefix, 0, text, 0, prefix.length);
        System.arraycopy(key, 0, text, prefix.length, key.length);
        Files.write(dir.resolve("notes.txt"), text);

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).extracting(Leak::kind).containsExactly(LeakKind.OPENAI_API_KEY);
    }

    @Test
    void searchesJsonThatDoesNotParseLineByLine() throws IOException {
        // GIVEN: a deliberately truncated body
        write("__files/truncated.json", "{\"choices\":[{\"message\":{\"content\":\"" + GOOGLE_KEY);

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).extracting(Leak::kind).containsExactly(LeakKind.GOOGLE_API_KEY);
    }

    @Test
    void dropsFindingsTheAllowlistMatchesWhole() throws IOException {
        // GIVEN
        write("__files/body.json", "{\"note\":\"" + OPENAI_KEY + "\"}\n");
        LeakScanner scanner = LeakScanner.builder().allow(Pattern.compile("sk-proj-FAKE[0-9A-Za-z]+")).build();

        // WHEN / THEN
        assertThat(scanner.findLeaks(dir)).isEmpty();
    }

    @Test
    void keepsFindingsTheAllowlistMatchesOnlyInPart() throws IOException {
        // GIVEN
        write("__files/body.json", "{\"note\":\"" + OPENAI_KEY + "\"}\n");
        LeakScanner scanner = LeakScanner.builder().allow(Pattern.compile("FAKE")).build();

        // WHEN / THEN
        assertThat(scanner.findLeaks(dir)).extracting(Leak::kind).containsExactly(LeakKind.OPENAI_API_KEY);
    }

    @Test
    void appliesTheAllowlistToPrivateHeaderValues() throws IOException {
        // GIVEN
        write("mappings/chat.json", "{ \"request\": { \"headers\": { \"x-api-key\": { \"equalTo\": \"test-key-1\" } } } }");
        LeakScanner scanner = LeakScanner.builder().allow(Pattern.compile("test-key-\\d+")).build();

        // WHEN / THEN
        assertThat(scanner.findLeaks(dir)).isEmpty();
    }

    @Test
    void failsListingEachLeakAsPathLineKindExcerpt() throws IOException {
        // GIVEN
        Path body = write("__files/body.json", "{\n\"note\":\"" + OPENAI_KEY + "\"\n}\n");
        Path mapping = write("mappings/chat.json", "{ \"response\": { \"headers\": { \"cf-ray\": \"8f1e2d3c4b5a6978-AMS\" } } }");

        // WHEN
        AssertionError error = catchThrowableOfType(AssertionError.class, () -> LeakScanner.assertNoLeaks(dir));

        // THEN
        assertThat(error).hasMessageContainingAll(
                dir.toAbsolutePath().toString(),
                "but found 2:",
                body + ":2: OpenAI API key: \"note\":\"sk-p****qrst\"",
                mapping + ":1: private header: cf-ray: 8f1e****-AMS");
        assertThat(error.getMessage()).doesNotContain(OPENAI_KEY);
    }

    @Test
    void rejectsADirectoryThatDoesNotExistNamingIt() {
        // GIVEN
        Path missing = dir.resolve("no-such-fixtures");

        // WHEN / THEN
        assertThatThrownBy(() -> LeakScanner.assertNoLeaks(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void rejectsAFileGivenAsTheDirectory() throws IOException {
        // GIVEN
        Path file = write("mapping.json", CLEAN_MAPPING);

        // WHEN / THEN
        assertThatThrownBy(() -> LeakScanner.scan(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a directory");
    }

    private Path write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
