package dev.llmunit.wiremock.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.FixtureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Load-time checks and repairs of a stub's response body, so a broken recording fails when the
 * fixture set loads, naming the file and line, instead of reaching a client as a parse error that
 * the router reads as an unavailable provider (and retries, and falls back).
 *
 * <ul>
 *   <li>A body that is gzip-compressed (as {@code base64Body} of VCR cassettes, or a gzip body file)
 *       is decompressed and served plain, without {@code Content-Encoding}: the JDK client behind
 *       LangChain4j does not decompress.
 *   <li>A {@code Content-Encoding: gzip} header on a plain body (WireMock's recorder keeps the
 *       header after decompressing) is dropped, with a note: the official SDKs would try to gunzip it.
 *   <li>A JSON body ({@code Content-Type} with {@code json}, or a {@code .json} body file without a
 *       content type) must parse; so must each {@code data:} line of an event stream (but
 *       {@code [DONE]}) and each line of NDJSON.
 * </ul>
 */
final class FixtureBodies {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FixtureBodies() {}

    /**
     * Checks a loaded stub's body and returns the stub to serve.
     *
     * @param stub the stub as parsed
     * @param mappingFile how messages name its mapping file
     * @param location the fixture set, to read body files
     * @param notes receives a line for each repair
     * @return the stub, repaired in place when needed
     * @throws FixtureException naming the body (file and line) when it is malformed or outside the set
     */
    static StubMapping checked(StubMapping stub, String mappingFile, FixtureLocation location, List<String> notes) {
        ResponseDefinition response = stub.getResponse();
        if (response == null || response.getFault() != null || response.isProxyResponse()) {
            return stub;
        }
        String bodyFile = response.getBodyFileName();
        if (bodyFile != null && bodyFile.contains("{{")) {
            return stub; // a templated name resolves per request
        }
        byte[] body;
        String what;
        if (bodyFile != null) {
            body = location.bodyFile(bodyFile, mappingFile);
            what = "Fixture body file " + location.describeBodyFile(bodyFile) + " (named by " + mappingFile + ")";
        } else if (response.specifiesBinaryBodyContent()) {
            body = response.getByteBody();
            what = "The base64Body of fixture mapping file " + mappingFile;
        } else if (response.specifiesTextBodyContent() && response.getJsonBody() == null) {
            body = response.getByteBody();
            what = "The body of fixture mapping file " + mappingFile;
        } else {
            return stub; // no body, or a jsonBody that WireMock has parsed already
        }
        HttpHeaders headers = response.getHeaders() == null ? new HttpHeaders() : response.getHeaders();
        boolean declaredGzip = "gzip".equalsIgnoreCase(first(headers, "Content-Encoding"))
                || "x-gzip".equalsIgnoreCase(first(headers, "Content-Encoding"));
        boolean changed = false;
        if (Gzip.isGzip(body)) {
            body = gunzip(body, what);
            changed = true;
        } else if (declaredGzip) {
            notes.add("Fixture mapping file " + mappingFile + " says Content-Encoding: gzip, but its body is not gzip-compressed"
                    + " (WireMock's recorder keeps the header after decompressing); llmunit serves it without that header,"
                    + " because the official SDKs would fail to gunzip it. Delete the header from the file.");
            changed = true;
        }
        checkSyntax(body, contentType(headers), bodyFile, response.getStatus(), what);
        if (!changed) {
            return stub;
        }
        List<HttpHeader> kept = new ArrayList<>();
        for (HttpHeader header : headers.all()) {
            // The body changed size, and it is no longer encoded.
            if (!header.keyEquals("Content-Encoding") && !header.keyEquals("Content-Length")) {
                kept.add(header);
            }
        }
        stub.setResponse(ResponseDefinitionBuilder.like(response)
                .withBodyFile(null)
                .withBody(body)
                .withHeaders(new HttpHeaders(kept))
                .build());
        return stub;
    }

    private static void checkSyntax(byte[] body, String contentType, @Nullable String bodyFile, int status, String what) {
        String type = contentType.toLowerCase(Locale.ROOT);
        boolean noType = type.isEmpty();
        String text = new String(body, StandardCharsets.UTF_8);
        if (type.contains("text/event-stream")) {
            checkLines(text, what, "event-stream data line", true);
        } else if (type.contains("ndjson") || type.contains("jsonl")) {
            checkLines(text, what, "NDJSON line", false);
        } else if (type.contains("json") || noType && bodyFile != null && bodyFile.toLowerCase(Locale.ROOT).endsWith(".json")) {
            if (text.isBlank()) {
                if (status >= 200 && status < 300 && status != 204) {
                    throw new FixtureException(what + " is empty, but a " + status + " JSON response needs a body; restore it or"
                            + " record the fixture again (-Dllmunit.mode=record)");
                }
                return;
            }
            try {
                JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw malformed(what, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                        e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), e.getOriginalMessage(), e);
            }
        }
    }

    /** Each {@code data:} line (SSE) or each non-blank line (NDJSON) must be one JSON value. */
    private static void checkLines(String text, String what, String kind, boolean sse) {
        List<String> lines = text.lines().toList();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            String payload;
            int column;
            if (sse) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                payload = line.substring(5).strip();
                column = line.indexOf(payload.isEmpty() ? "data:" : payload) + 1;
                if (payload.isEmpty() || payload.equals("[DONE]")) {
                    continue;
                }
            } else {
                payload = line.strip();
                column = 1;
                if (payload.isEmpty()) {
                    continue;
                }
            }
            try {
                JSON.readTree(payload);
            } catch (JsonProcessingException e) {
                int offset = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getColumnNr() - 1);
                throw malformed(what, index + 1, column + offset, kind + " is not JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    private static FixtureException malformed(String what, int line, int column, String problem, Exception cause) {
        return new FixtureException(what + " is not valid JSON at line " + line + ", column " + column + ": "
                + problem.replaceAll("\\s+", " ") + "; fix the file, or delete the fixture and record it again"
                + " (-Dllmunit.mode=auto)", cause);
    }

    private static byte[] gunzip(byte[] body, String what) {
        try {
            return Gzip.gunzip(body);
        } catch (IOException e) {
            throw new FixtureException(what + " starts like gzip but cannot be decompressed (" + e.getMessage()
                    + "); restore it or record the fixture again (-Dllmunit.mode=record)", e);
        }
    }

    private static String contentType(HttpHeaders headers) {
        String value = first(headers, "Content-Type");
        return value == null ? "" : value;
    }

    private static @Nullable String first(HttpHeaders headers, String name) {
        HttpHeader header = headers.getHeader(name);
        return header == null || !header.isPresent() || header.values().isEmpty() ? null : header.firstValue();
    }
}
