package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmunit.wiremock.LeakScanner.Leak;
import dev.llmunit.wiremock.LeakScanner.LeakKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Twelve secret shapes planted in twelve places where recordings of any tool keep them: a header
 * of any name in a request matcher and in a response, a URL's query string, a request body
 * pattern, an inline body, a {@code base64Body}, a gzip {@code base64Body}, a gzip body file, a
 * JSON body file, an event stream, a YAML cassette's header and a YAML cassette's {@code !!binary}
 * gzip body. Each must be found as its kind, and no finding may show the whole secret.
 */
class LeakScannerShapesTest {

    /**
     * One secret shape. Fakes are assembled at run time from a seeded generator, so no key-shaped
     * literal sits in the sources.
     *
     * @param kind what the scanner must call it
     * @param secret the part that must never be shown whole
     * @param form how it is written: the secret, or the secret with its name ({@code Bearer …}, {@code access_token=…})
     * @param queryLike whether it is a query parameter by nature
     */
    record Shape(LeakKind kind, String secret, String form, boolean queryLike) {
        /** How it sits in headers, bodies and text. */
        String text() {
            return queryLike ? "/v1/chat/completions?alt=sse&" + form : form;
        }

        /** How it sits in a recorded URL. */
        String url() {
            return queryLike ? "/v1/chat/completions?alt=sse&" + form : "/v1/chat/completions?trace=" + form.replace(" ", "%20");
        }

        @Override
        public String toString() {
            return kind.name();
        }
    }

    static List<Shape> shapes() {
        Random random = new Random(13);
        String jwtHeader = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String jwtPayload = base64Url("{\"sub\":\"fake-user-42\",\"iat\":1741570283}");
        String bearer = "FAKEopaque" + chars(random, 30, ALNUM + "._~-") + "z";
        String access = "FAKEya29" + chars(random, 30, ALNUM + "-_");
        String cookie = "FAKE" + chars(random, 28, ALNUM);
        String queryKey = "FAKEgem" + chars(random, 30, ALNUM + "_-");
        return List.of(
                new Shape(LeakKind.OPENAI_API_KEY, "sk-" + "proj-FAKE" + chars(random, 40, ALNUM + "_-"), null, false),
                new Shape(LeakKind.ANTHROPIC_API_KEY, "sk-" + "ant-api03-FAKE" + chars(random, 40, ALNUM + "_-"), null, false),
                new Shape(LeakKind.GOOGLE_API_KEY, "AI" + "zaFAKE" + chars(random, 31, ALNUM + "_-"), null, false),
                new Shape(LeakKind.AWS_ACCESS_KEY, "AK" + "IAFAKE" + chars(random, 12, UPPER + DIGITS), null, false),
                new Shape(LeakKind.JSON_WEB_TOKEN, jwtHeader + "." + jwtPayload + "." + chars(random, 43, ALNUM + "-_"), null, false),
                new Shape(LeakKind.BEARER_TOKEN, bearer, "Bearer " + bearer, false),
                new Shape(LeakKind.ACCESS_TOKEN, access, "access_token=" + access, true),
                new Shape(LeakKind.ORGANIZATION_ID, "org-" + "FAKE" + chars(random, 20, ALNUM), null, false),
                new Shape(LeakKind.PROJECT_ID, "proj_" + "FAKE" + chars(random, 20, ALNUM), null, false),
                new Shape(LeakKind.COOKIE, cookie, "session=" + cookie, true),
                new Shape(LeakKind.HEX_KEY, "9f" + chars(random, 36, "0123456789abcdef") + "e1", null, false),
                new Shape(LeakKind.QUERY_KEY, queryKey, "key=" + queryKey, true))
                .stream().map(shape -> shape.form() == null ? new Shape(shape.kind(), shape.secret(), shape.secret(), false) : shape)
                .toList();
    }

    /** A place where a recording keeps a value: writes the files holding the shape into a fixture directory. */
    interface Place {
        void plant(Path dir, Shape shape) throws IOException;
    }

    static List<Arguments> places() {
        List<Arguments> places = new ArrayList<>();
        places.add(Arguments.of("request header of any name", (Place) (dir, shape) -> write(dir, "mappings/m.json", """
                {
                  "request" : {
                    "method" : "POST",
                    "urlPath" : "/v1/chat/completions",
                    "headers" : {
                      "X-Trace-Context" : {
                        "equalTo" : "%s"
                      }
                    }
                  },
                  "response" : { "status" : 200 }
                }
                """.formatted(shape.text()))));
        places.add(Arguments.of("response header of any name", (Place) (dir, shape) -> write(dir, "mappings/m.json", """
                {
                  "request" : { "method" : "POST", "url" : "/v1/chat/completions" },
                  "response" : {
                    "status" : 200,
                    "headers" : {
                      "Content-Type" : "application/json",
                      "X-Upstream-Echo" : "%s"
                    }
                  }
                }
                """.formatted(shape.text()))));
        places.add(Arguments.of("query string of a recorded URL", (Place) (dir, shape) -> write(dir, "mappings/m.json", """
                {
                  "request" : { "method" : "GET", "url" : "%s" },
                  "response" : { "status" : 200 }
                }
                """.formatted(shape.url()))));
        places.add(Arguments.of("request body pattern", (Place) (dir, shape) -> write(dir, "mappings/m.json", """
                {
                  "request" : {
                    "method" : "POST",
                    "url" : "/v1/chat/completions",
                    "bodyPatterns" : [ {
                      "equalToJson" : "{\\"model\\":\\"gpt-4o-mini\\",\\"messages\\":[{\\"role\\":\\"user\\",\\"content\\":\\"%s\\"}]}",
                      "ignoreExtraElements" : true
                    } ]
                  },
                  "response" : { "status" : 200 }
                }
                """.formatted(shape.text()))));
        places.add(Arguments.of("inline response body", (Place) (dir, shape) -> write(dir, "mappings/m.json", """
                {
                  "request" : { "method" : "POST", "url" : "/v1/chat/completions" },
                  "response" : { "status" : 200, "body" : "{\\"note\\":\\"%s\\"}" }
                }
                """.formatted(shape.text()))));
        places.add(Arguments.of("base64Body", (Place) (dir, shape) -> write(dir, "mappings/m.json", """
                {
                  "request" : { "method" : "POST", "url" : "/v1/chat/completions" },
                  "response" : { "status" : 200, "base64Body" : "%s" }
                }
                """.formatted(Base64.getEncoder().encodeToString(body(shape).getBytes(StandardCharsets.UTF_8))))));
        places.add(Arguments.of("gzip base64Body", (Place) (dir, shape) -> write(dir, "mappings/m.json", """
                {
                  "request" : { "method" : "POST", "url" : "/v1/chat/completions" },
                  "response" : { "status" : 200, "base64Body" : "%s",
                                 "headers" : { "Content-Encoding" : "gzip" } }
                }
                """.formatted(Base64.getEncoder().encodeToString(gzip(body(shape)))))));
        places.add(Arguments.of("gzip body file", (Place) (dir, shape) -> {
            Files.createDirectories(dir.resolve("__files"));
            Files.write(dir.resolve("__files/chat-1.json"), gzip(body(shape)));
        }));
        places.add(Arguments.of("JSON body file", (Place) (dir, shape) -> write(dir, "__files/chat-1.json", body(shape))));
        places.add(Arguments.of("event stream", (Place) (dir, shape) -> write(dir, "__files/stream-1.txt",
                "data: {\"choices\":[{\"delta\":{\"content\":\"" + shape.text() + "\"}}]}\n\ndata: [DONE]\n\n")));
        places.add(Arguments.of("YAML cassette header", (Place) (dir, shape) -> write(dir, "cassettes/chat.yaml", """
                interactions:
                - request:
                    body: '{"model": "gpt-4o-mini"}'
                    headers:
                      X-Trace-Context:
                      - %s
                    method: POST
                    uri: https://api.openai.com/v1/chat/completions
                  response:
                    status:
                      code: 200
                      message: OK
                version: 1
                """.formatted(shape.text()))));
        places.add(Arguments.of("YAML cassette !!binary gzip body", (Place) (dir, shape) -> write(dir, "cassettes/chat.yaml", """
                interactions:
                - request:
                    method: POST
                    uri: https://api.openai.com/v1/chat/completions
                  response:
                    body:
                      string: !!binary |
                %s
                    headers:
                      Content-Encoding:
                      - gzip
                    status:
                      code: 200
                version: 1
                """.formatted(Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(gzip(body(shape))).lines().map(line -> "          " + line)
                        .reduce((a, b) -> a + "\n" + b).orElseThrow()))));
        return places;
    }

    static Stream<Arguments> everyShapeInEveryPlace() {
        return places().stream().flatMap(place -> shapes().stream()
                .map(shape -> Arguments.argumentSet(shape + " in " + place.get()[0], shape, place.get()[1])));
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("everyShapeInEveryPlace")
    void findsTheShapeAsItsKindAndNeverShowsItWhole(Shape shape, Place place) throws IOException {
        // GIVEN
        place.plant(dir, shape);

        // WHEN
        List<Leak> leaks = LeakScanner.scan(dir);

        // THEN
        assertThat(leaks).extracting(Leak::kind).contains(shape.kind());
        assertThat(leaks).allSatisfy(leak -> assertThat(leak.toString()).doesNotContain(shape.secret()));
        AssertionError failure = catchThrowableOfType(AssertionError.class, () -> LeakScanner.assertNoLeaks(dir));
        assertThat(failure.getMessage()).doesNotContain(shape.secret());
    }

    @ParameterizedTest
    @MethodSource("places")
    void findsNothingWhereNothingSecretIsPlanted(String place, Place planter) throws IOException {
        // GIVEN the same places holding what recordings hold that is not secret
        planter.plant(dir, new Shape(LeakKind.HEX_KEY, "", "req_7f3c1e9a0b2d4c6e8f1a3b5c7d9e0f21 fp_06737a9306 Bearer authentication",
                false));

        // WHEN / THEN
        assertThat(LeakScanner.scan(dir)).isEmpty();
    }

    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String DIGITS = "0123456789";
    private static final String ALNUM = UPPER + UPPER.toLowerCase(java.util.Locale.ROOT) + DIGITS;

    private static String chars(Random random, int length, String alphabet) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(Shape shape) {
        return "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + shape.text() + "\"}}]}";
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(Path dir, String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
