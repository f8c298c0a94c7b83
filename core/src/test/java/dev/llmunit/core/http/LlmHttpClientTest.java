package dev.llmunit.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LlmHttpClient} against a real WireMock server on loopback. */
class LlmHttpClientTest {

    private static final String PATH = "/v1/chat/completions";
    private static final String REQUEST_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String RATE_LIMIT_BODY = """
            {
                "error": {
                    "message": "Rate limit reached for gpt-4o-mini in organization org-llmunit on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 150ms.",
                    "type": "requests",
                    "param": null,
                    "code": "rate_limit_exceeded"
                }
            }
            """;

    private static WireMockServer server;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void resetServer() {
        server.resetAll();
    }

    @Test
    void returnsBodyAndHeadersOfA200() {
        // GIVEN
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-request-id", "req_5f3b2c")
                .withBody("{\"id\":\"chatcmpl-1\"}")));

        // WHEN
        SuccessfulHttpResponse response = client(Duration.ofSeconds(5)).execute(request());

        // THEN
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":\"chatcmpl-1\"}");
        assertThat(response.headers()).containsEntry("x-request-id", List.of("req_5f3b2c"));
        assertThat(response.contentType()).isEqualTo("application/json");
    }

    @Test
    void sendsMethodHeadersAndBodyAsGiven() {
        // GIVEN
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("{}")));

        // WHEN
        client(Duration.ofSeconds(5)).execute(request());

        // THEN
        server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer test-key"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson(REQUEST_BODY)));
    }

    @Test
    void throwsAnHttpErrorResponseWithStatusBodyAndHeadersOfA429() {
        // GIVEN
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse()
                .withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("retry-after-ms", "150")
                .withHeader("x-ratelimit-remaining-requests", "0")
                .withBody(RATE_LIMIT_BODY)));

        // WHEN
        Throwable thrown = catchThrowable(() -> client(Duration.ofSeconds(5)).execute(request()));

        // THEN
        assertThat(thrown).isInstanceOfSatisfying(HttpErrorResponse.class, error -> {
            assertThat(error.statusCode()).isEqualTo(429);
            assertThat(error.body()).isEqualTo(RATE_LIMIT_BODY);
            assertThat(error.header("x-ratelimit-remaining-requests")).hasValue("0");
        });
    }

    @Test
    void readsErrorResponseHeadersWithoutRegardToCase() {
        // GIVEN
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse()
                .withStatus(429)
                .withHeader("retry-after-ms", "150")
                .withBody(RATE_LIMIT_BODY)));

        // WHEN
        Throwable thrown = catchThrowable(() -> client(Duration.ofSeconds(5)).execute(request()));

        // THEN
        assertThat(thrown).isInstanceOfSatisfying(HttpErrorResponse.class, error -> {
            assertThat(error.header("Retry-After-Ms")).hasValue("150");
            assertThat(error.header("retry-after-ms")).hasValue("150");
            assertThat(error.header("RETRY-AFTER-MS")).hasValue("150");
            assertThat(error.headers()).containsKey("Retry-After-Ms");
        });
    }

    @Test
    void throwsLangChain4jTimeoutExceptionWhenTheServerAnswersTooLate() {
        // GIVEN
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(1_000)));

        // WHEN
        Throwable thrown = catchThrowable(() -> client(Duration.ofMillis(100)).execute(request()));

        // THEN
        assertThat(thrown).isInstanceOf(TimeoutException.class).hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void throwsUncheckedIoExceptionWhenNothingListens() throws Exception {
        // GIVEN a loopback port that was free a moment ago
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).url("http://127.0.0.1:" + port + PATH).body("{}").build();

        // WHEN
        Throwable thrown = catchThrowable(() -> client(Duration.ofSeconds(5)).execute(request));

        // THEN
        assertThat(thrown).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void rejectsMultipartFormDataNamingTheUrl() {
        // GIVEN
        HttpRequest upload = HttpRequest.builder().method(HttpMethod.POST).url(server.baseUrl() + "/v1/audio/transcriptions")
                .addFormDataField("model", "whisper-1").build();

        // WHEN / THEN
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).execute(upload))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("/v1/audio/transcriptions");
    }

    @Test
    void deliversServerSentEventsInOrderThenCloses() throws Exception {
        // GIVEN
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n")));
        RecordingListener listener = new RecordingListener();

        // WHEN
        client(Duration.ofSeconds(5)).execute(request(), listener);

        // THEN
        listener.done.get(5, TimeUnit.SECONDS);
        assertThat(listener.opened).singleElement().satisfies(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.contentType()).isEqualTo("text/event-stream");
        });
        assertThat(listener.events).extracting(ServerSentEvent::data).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void reportsA500OnTheStreamingPathAsHttpErrorResponse() throws Exception {
        // GIVEN
        String body = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}";
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse()
                .withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy")
                .withBody(body)));
        RecordingListener listener = new RecordingListener();

        // WHEN
        client(Duration.ofSeconds(5)).execute(request(), listener);

        // THEN
        Throwable error = listener.failed.get(5, TimeUnit.SECONDS);
        assertThat(error).isInstanceOfSatisfying(HttpErrorResponse.class, response -> {
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).isEqualTo(body);
            assertThat(response.header("Request-Id")).hasValue("req_011CSHoEeqs5C35K2UUqR7Fy");
        });
        assertThat(listener.opened).isEmpty();
        assertThat(listener.events).isEmpty();
    }

    @Test
    void reportsAStreamingTimeoutAsLangChain4jTimeoutException() throws Exception {
        // GIVEN
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody("data: {\"n\":1}\n\n")
                .withFixedDelay(1_000)));
        RecordingListener listener = new RecordingListener();

        // WHEN
        client(Duration.ofMillis(100)).execute(request(), listener);

        // THEN
        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void reportsAStreamBrokenAfterTheHeadersAsAnError() throws Exception {
        // GIVEN a 200 whose chunked body is garbage, then the connection closes
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        RecordingListener listener = new RecordingListener();

        // WHEN
        client(Duration.ofSeconds(5)).execute(request(), listener);

        // THEN
        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(listener.events).isEmpty();
    }

    @Test
    void keepsTimeoutsSetOnTheBuilder() {
        // GIVEN
        LlmHttpClient.Builder builder = LlmHttpClient.builder();

        // WHEN
        builder.connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(30));

        // THEN
        assertThat(builder.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(builder.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    static LlmHttpClient client(Duration readTimeout) {
        return LlmHttpClient.builder().connectTimeout(Duration.ofSeconds(2)).readTimeout(readTimeout).build();
    }

    private static HttpRequest request() {
        return request(server.baseUrl() + PATH);
    }

    /** A chat completion request as an OpenAI client sends it, to any URL. */
    static HttpRequest request(String url) {
        return HttpRequest.builder()
                .method(HttpMethod.POST)
                .url(url)
                .addHeader("Content-Type", "application/json")
                .addHeader("Authorization", "Bearer test-key")
                .body(REQUEST_BODY)
                .build();
    }

    /** Records what the client reports; completes {@code done} on close and {@code failed} on error. */
    static class RecordingListener implements ServerSentEventListener {
        final List<SuccessfulHttpResponse> opened = new CopyOnWriteArrayList<>();
        final List<ServerSentEvent> events = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            opened.add(response);
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            events.add(event);
        }

        @Override
        public void onError(Throwable throwable) {
            errors.add(throwable);
            failed.complete(throwable);
            done.completeExceptionally(throwable);
        }

        @Override
        public void onClose() {
            done.complete(null);
        }
    }
}
