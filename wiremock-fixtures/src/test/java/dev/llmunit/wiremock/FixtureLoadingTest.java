package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fixture set that WireMock would only find broken when serving it fails when it loads, before
 * any test runs, naming the file (and for a body, the line) and the fix; the server never starts.
 */
class FixtureLoadingTest {

    private static final String CHAT_REQUEST = "\"request\":{\"method\":\"POST\",\"url\":\"/v1/chat/completions\"}";

    @TempDir
    Path fixtures;

    private Path mappings;
    private Path files;

    @BeforeEach
    void createFolders() throws IOException {
        mappings = Files.createDirectories(fixtures.resolve("mappings"));
        files = Files.createDirectories(fixtures.resolve("__files"));
    }

    @Test
    void aMalformedJsonBodyFileFailsAtLoadNamingTheFileAndLine() throws IOException {
        // GIVEN a body file cut off in its second line, as a failed copy leaves it
        Files.writeString(mappings.resolve("chat.json"), "{" + CHAT_REQUEST + ",\"response\":{\"status\":200,"
                + "\"bodyFileName\":\"chat-body.json\",\"headers\":{\"Content-Type\":\"application/json\"}}}");
        Files.writeString(files.resolve("chat-body.json"), "{\"id\":\"chatcmpl-1\",\n \"choices\":[{\"index\":0,\"message\":{\"role\"");

        // WHEN
        FixtureServer server = server();
        Throwable error = catchThrowable(server::start);

        // THEN no "connection failed", no retries: the load names the body file and where it breaks
        assertThat(error).isInstanceOf(FixtureException.class)
                .hasMessageStartingWith("Fixture body file " + files.resolve("chat-body.json") + " (named by "
                        + mappings.resolve("chat.json") + ") is not valid JSON at line 2, column ")
                .hasMessageContaining("record it again (-Dllmunit.mode=auto)");
        assertThat(server.wireMock().isRunning()).isFalse();
    }

    @Test
    void aMalformedJsonBodyFileWithoutContentTypeIsCheckedByItsExtension() throws IOException {
        Files.writeString(mappings.resolve("chat.json"), "{" + CHAT_REQUEST + ",\"response\":{\"status\":200,"
                + "\"bodyFileName\":\"chat-body.json\"}}");
        Files.writeString(files.resolve("chat-body.json"), "{\"id\": \"chatcmpl-1\",}");

        assertThat(catchThrowable(server()::start)).isInstanceOf(FixtureException.class)
                .hasMessageContaining("chat-body.json").hasMessageContaining("is not valid JSON at line 1, column ");
    }

    @Test
    void aMalformedEventStreamDataLineFailsAtLoadNamingItsLine() throws IOException {
        // GIVEN a stream whose third event lost its closing brace
        Files.writeString(mappings.resolve("stream.json"), "{" + CHAT_REQUEST + ",\"response\":{\"status\":200,"
                + "\"bodyFileName\":\"stream.txt\",\"headers\":{\"Content-Type\":\"text/event-stream\"}}}");
        Files.writeString(files.resolve("stream.txt"), "data: {\"choices\":[]}\n\ndata: {\"choices\":[{\"delta\":{}}]\n\ndata: [DONE]\n\n");

        assertThat(catchThrowable(server()::start)).isInstanceOf(FixtureException.class)
                .hasMessageContaining("stream.txt")
                .hasMessageContaining("is not valid JSON at line 3, column ")
                .hasMessageContaining("event-stream data line is not JSON");
    }

    @Test
    void aMalformedInlineJsonBodyFailsNamingTheMappingFile() throws IOException {
        Files.writeString(mappings.resolve("inline.json"), "{" + CHAT_REQUEST + ",\"response\":{\"status\":200,"
                + "\"body\":\"{\\\"id\\\": \",\"headers\":{\"content-type\":\"application/json; charset=utf-8\"}}}");

        assertThat(catchThrowable(server()::start)).isInstanceOf(FixtureException.class)
                .hasMessageStartingWith("The body of fixture mapping file " + mappings.resolve("inline.json") + " is not valid JSON");
    }

    @Test
    void aWronglyTypedLatencyInLlmunitMetadataFailsAtLoadNamingFileAndField() throws IOException {
        // GIVEN
        Path file = mappings.resolve("slow.json");
        Files.writeString(file, "{" + CHAT_REQUEST + ",\"response\":{\"status\":200},"
                + "\"metadata\":{\"llmunit\":{\"provider\":\"openai\",\"latencyMs\":\"fast\"}}}");

        // WHEN / THEN
        assertThat(catchThrowable(server()::start)).isInstanceOf(FixtureException.class)
                .hasMessageStartingWith("Fixture mapping file " + file + " has bad llmunit metadata: ")
                .hasMessageContaining("metadata.llmunit.latencyMs must be a whole number of milliseconds such as 812,"
                        + " but was the string \"fast\"");
    }

    @Test
    void aProviderThatIsNoStringInLlmunitMetadataFailsAtLoad() throws IOException {
        Files.writeString(mappings.resolve("odd.json"), "{" + CHAT_REQUEST + ",\"response\":{\"status\":200},"
                + "\"metadata\":{\"llmunit\":{\"provider\":7,\"stream\":\"yes\"}}}");

        assertThat(catchThrowable(server()::start)).isInstanceOf(FixtureException.class)
                .hasMessageContaining("odd.json")
                .hasMessageContaining("metadata.llmunit.provider must be a provider id such as \"openai\", but was the number 7");
    }

    @Test
    void aBodyFileOutsideTheSetFailsAtLoad() throws IOException {
        // GIVEN a body file next to the set, not inside its __files
        Files.writeString(fixtures.resolve("outside.json"), "{}");
        Path file = mappings.resolve("escape.json");
        Files.writeString(file, "{" + CHAT_REQUEST + ",\"response\":{\"status\":200,\"bodyFileName\":\"../outside.json\"}}");

        assertThat(catchThrowable(server()::start)).isInstanceOf(FixtureException.class)
                .hasMessage("Fixture mapping file " + file + " names the body file '../outside.json', which is outside the"
                        + " fixture set; body files are paths inside " + fixtures.toAbsolutePath().normalize() + "/__files,"
                        + " such as 'openai-gpt-4o-mini-3f9a1c0b7d2e.json'");
    }

    @Test
    void anAbsoluteBodyFileNameFailsAtLoad() throws IOException {
        Files.writeString(mappings.resolve("absolute.json"), "{" + CHAT_REQUEST
                + ",\"response\":{\"status\":200,\"bodyFileName\":\"/etc/hostname\"}}");

        assertThat(catchThrowable(server()::start)).isInstanceOf(FixtureException.class)
                .hasMessageContaining("'/etc/hostname', which is outside the fixture set");
    }

    @Test
    void theSameStubIdInTwoFilesFailsAtLoadNamingBothFiles() throws IOException {
        // GIVEN a recording copied under a second name, as happens when merging recordings
        String mapping = "{\"id\":\"8c5a2f1e-3b7d-4e9a-b6c0-1d2e3f4a5b6c\"," + CHAT_REQUEST + ",\"response\":{\"status\":200}}";
        Files.writeString(mappings.resolve("first.json"), mapping);
        Files.writeString(mappings.resolve("second.json"), mapping);

        // WHEN / THEN not WireMock's raw exception, but both files and the fix
        assertThat(catchThrowable(server()::start)).isInstanceOf(FixtureException.class)
                .hasMessage("Fixture mapping files " + mappings.resolve("first.json") + " and " + mappings.resolve("second.json")
                        + " both hold the stub id 8c5a2f1e-3b7d-4e9a-b6c0-1d2e3f4a5b6c; WireMock serves each id once. Give one of"
                        + " them a new \"id\" (and \"uuid\"), or delete the copy");
    }

    @Test
    void aGzipBodyFileIsServedDecompressed() throws IOException {
        // GIVEN a gzip body file, as a recorder that stores raw bytes writes it
        Files.writeString(mappings.resolve("gz.json"), "{\"request\":{\"method\":\"POST\",\"url\":\"/v1/chat/completions\"},"
                + "\"response\":{\"status\":200,\"bodyFileName\":\"gz.bin\",\"headers\":{\"Content-Type\":\"application/json\","
                + "\"Content-Encoding\":\"gzip\",\"Content-Length\":\"999\"}}}");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write(("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":"
                    + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"unzipped\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.write(files.resolve("gz.bin"), bytes.toByteArray());

        // WHEN / THEN the JDK client behind LangChain4j, which does not gunzip, reads it
        try (FixtureServer server = server().start()) {
            assertThat(Clients.chat(FixtureModels.openAiChat(server, "gpt-4o-mini"), "Hi").aiMessage().text()).isEqualTo("unzipped");
            assertThat(server.loadNotes()).isEmpty();
        }
    }

    private FixtureServer server() {
        return FixtureServer.builder().mode(FixtureMode.PLAYBACK).fixtureDirectory(fixtures).build();
    }
}
