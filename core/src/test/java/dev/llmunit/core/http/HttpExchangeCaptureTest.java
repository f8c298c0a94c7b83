package dev.llmunit.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.llmunit.core.http.LlmHttpClientTest.client;
import static dev.llmunit.core.http.LlmHttpClientTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.langchain4j.exception.TimeoutException;
import dev.llmunit.core.http.LlmHttpClientTest.RecordingListener;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HttpExchangeCapture} collecting what {@link LlmHttpClient} exchanges with a real WireMock server on loopback. */
class HttpExchangeCaptureTest {

    private static final String PATH = "/v1/chat/completions";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

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
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Request-Id", "req_5f3b2c")
                .withBody("{\"id\":\"chatcmpl-1\"}")));
    }

    @Test
    void recordsUrlStatusHeadersAndTimesOfASuccessfulCall() {
        // GIVEN
        HttpExchangeCapture capture = new HttpExchangeCapture();
        long before = System.nanoTime();

        // WHEN
        capture.run(() -> client(TIMEOUT).execute(request(url())));

        // THEN
        long after = System.nanoTime();
        assertThat(capture.exchanges()).singleElement().satisfies(exchange -> {
            assertThat(exchange.url()).isEqualTo(url());
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.headers()).containsEntry("x-request-id", List.of("req_5f3b2c"));
            assertThat(exchange.startNanos()).isBetween(before, exchange.endNanos());
            assertThat(exchange.endNanos()).isLessThanOrEqualTo(after);
            assertThat(exchange.duration()).isEqualTo(Duration.ofNanos(exchange.endNanos() - exchange.startNanos()));
        });
    }

    @Test
    void looksUpResponseHeadersWithoutRegardToCase() {
        // GIVEN
        HttpExchangeCapture capture = new HttpExchangeCapture();

        // WHEN
        capture.run(() -> client(TIMEOUT).execute(request(url())));

        // THEN
        HttpExchange exchange = capture.exchanges().get(0);
        assertThat(exchange.header("X-Request-Id")).hasValue("req_5f3b2c");
        assertThat(exchange.header("x-request-id")).hasValue("req_5f3b2c");
        assertThat(exchange.header("X-REQUEST-ID")).hasValue("req_5f3b2c");
        assertThat(exchange.header("content-TYPE")).hasValue("application/json");
        assertThat(exchange.header("retry-after")).isEmpty();
        assertThat(exchange.headers().keySet()).allSatisfy(name -> assertThat(name).isLowerCase());
    }

    @Test
    void recordsAnErrorResponseBeforeTheHttpErrorResponseIsThrown() {
        // GIVEN
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse()
                .withStatus(429)
                .withHeader("Retry-After", "2")
                .withBody("{\"error\":{\"type\":\"rate_limit_error\"}}")));
        HttpExchangeCapture capture = new HttpExchangeCapture();

        // WHEN the work looks at the capture as soon as the error reaches it
        List<HttpExchange> seenOnThrow = capture.run(() -> {
            Throwable thrown = catchThrowable(() -> client(TIMEOUT).execute(request(url())));
            assertThat(thrown).isInstanceOf(HttpErrorResponse.class);
            return capture.exchanges();
        });

        // THEN
        assertThat(seenOnThrow).singleElement().satisfies(exchange -> {
            assertThat(exchange.status()).isEqualTo(429);
            assertThat(exchange.header("retry-after")).hasValue("2");
        });
    }

    @Test
    void recordsARefusedConnectionWithStatusZeroAndNoHeaders() throws Exception {
        // GIVEN a loopback port that was free a moment ago
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + port + PATH;
        HttpExchangeCapture capture = new HttpExchangeCapture();

        // WHEN
        Throwable thrown = catchThrowable(() -> capture.run(() -> client(TIMEOUT).execute(request(unreachable))));

        // THEN
        assertThat(thrown).isInstanceOf(UncheckedIOException.class);
        assertThat(capture.exchanges()).singleElement().satisfies(exchange -> {
            assertThat(exchange.url()).isEqualTo(unreachable);
            assertThat(exchange.status()).isZero();
            assertThat(exchange.headers()).isEmpty();
            assertThat(exchange.endNanos()).isGreaterThanOrEqualTo(exchange.startNanos());
        });
    }

    @Test
    void recordsATimeoutWithStatusZero() {
        // GIVEN
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(1_000)));
        HttpExchangeCapture capture = new HttpExchangeCapture();

        // WHEN
        Throwable thrown = catchThrowable(() -> capture.run(() -> client(Duration.ofMillis(100)).execute(request(url()))));

        // THEN
        assertThat(thrown).isInstanceOf(TimeoutException.class);
        assertThat(capture.exchanges()).extracting(HttpExchange::status).containsExactly(0);
    }

    @Test
    void recordsNothingWithoutAnActiveCapture() {
        // GIVEN a capture that saw one call
        HttpExchangeCapture capture = new HttpExchangeCapture();
        capture.run(() -> client(TIMEOUT).execute(request(url("inside"))));

        // WHEN
        client(TIMEOUT).execute(request(url("outside")));

        // THEN
        assertThat(HttpExchangeCapture.current()).isNull();
        assertThat(capture.exchanges()).extracting(HttpExchange::url).containsExactly(url("inside"));
    }

    @Test
    void anInnerCaptureTakesItsOwnExchangesAndThenRestoresTheOuterOne() {
        // GIVEN
        HttpExchangeCapture outer = new HttpExchangeCapture();
        HttpExchangeCapture inner = new HttpExchangeCapture();
        LlmHttpClient client = client(TIMEOUT);

        // WHEN
        outer.run(() -> {
            client.execute(request(url("before")));
            inner.run(() -> client.execute(request(url("nested"))));
            assertThat(HttpExchangeCapture.current()).isSameAs(outer);
            return client.execute(request(url("after")));
        });

        // THEN
        assertThat(outer.exchanges()).extracting(HttpExchange::url).containsExactly(url("before"), url("after"));
        assertThat(inner.exchanges()).extracting(HttpExchange::url).containsExactly(url("nested"));
        assertThat(HttpExchangeCapture.current()).isNull();
    }

    @Test
    void restoresTheOuterCaptureWhenTheInnerWorkThrows() {
        // GIVEN
        HttpExchangeCapture outer = new HttpExchangeCapture();
        HttpExchangeCapture inner = new HttpExchangeCapture();

        // WHEN
        HttpExchangeCapture active = outer.run(() -> {
            catchThrowable(() -> inner.run(() -> {
                throw new IllegalStateException("work failed");
            }));
            return HttpExchangeCapture.current();
        });

        // THEN
        assertThat(active).isSameAs(outer);
        assertThat(HttpExchangeCapture.current()).isNull();
    }

    @Test
    void doesNotRecordACallMadeOnAnotherThreadThatWasNotGivenTheCapture() throws Exception {
        // GIVEN
        HttpExchangeCapture capture = new HttpExchangeCapture();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            // WHEN
            capture.run(() -> {
                Future<?> elsewhere = other.submit(() -> client(TIMEOUT).execute(request(url("other-thread"))));
                client(TIMEOUT).execute(request(url("own-thread")));
                return join(elsewhere);
            });
        } finally {
            other.shutdownNow();
        }

        // THEN
        assertThat(capture.exchanges()).extracting(HttpExchange::url).containsExactly(url("own-thread"));
    }

    @Test
    void recordsAStreamingCallWhenItsHeadersArrive() throws Exception {
        // GIVEN
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withHeader("X-Request-Id", "req_stream")
                .withBody("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n")));
        HttpExchangeCapture capture = new HttpExchangeCapture();
        RecordingListener listener = new RecordingListener();

        // WHEN the stream is started inside the capture and read on the client's own threads
        capture.run(() -> {
            client(TIMEOUT).execute(request(url()), listener);
            return null;
        });
        listener.done.get(5, TimeUnit.SECONDS);

        // THEN
        assertThat(capture.exchanges()).singleElement().satisfies(exchange -> {
            assertThat(exchange.url()).isEqualTo(url());
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.header("Content-Type")).hasValue("text/event-stream");
            assertThat(exchange.header("x-request-id")).hasValue("req_stream");
        });
        assertThat(listener.events).hasSize(2);
    }

    @Test
    void recordsAStreamingErrorResponseBeforeTheListenerHearsOfIt() throws Exception {
        // GIVEN
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(500).withBody("{\"error\":\"boom\"}")));
        HttpExchangeCapture capture = new HttpExchangeCapture();
        AtomicReference<List<HttpExchange>> seenOnError = new AtomicReference<>();
        RecordingListener listener = new RecordingListener() {
            @Override
            public void onError(Throwable throwable) {
                seenOnError.set(capture.exchanges());
                super.onError(throwable);
            }
        };

        // WHEN
        capture.run(() -> {
            client(TIMEOUT).execute(request(url()), listener);
            return null;
        });

        // THEN
        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).isInstanceOf(HttpErrorResponse.class);
        assertThat(seenOnError.get()).extracting(HttpExchange::status).containsExactly(500);
    }

    @Test
    void concurrentCapturesEachSeeOnlyTheirOwnExchanges() throws Exception {
        // GIVEN 8 threads, each making 5 calls inside its own capture, all started together
        int threads = 8;
        int callsEach = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        LlmHttpClient shared = client(TIMEOUT);
        List<Future<HttpExchangeCapture>> captures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                String caller = "caller-" + t;
                captures.add(pool.submit(() -> {
                    HttpExchangeCapture capture = new HttpExchangeCapture();
                    start.await();
                    capture.run(() -> {
                        for (int i = 0; i < callsEach; i++) {
                            shared.execute(request(url(caller)));
                        }
                        return null;
                    });
                    return capture;
                }));
            }

            // WHEN
            start.countDown();

            // THEN
            for (int t = 0; t < threads; t++) {
                HttpExchangeCapture capture = captures.get(t).get(30, TimeUnit.SECONDS);
                assertThat(capture.exchanges()).hasSize(callsEach)
                        .extracting(HttpExchange::url, HttpExchange::status)
                        .containsOnly(tuple(url("caller-" + t), 200));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsAnExchangeThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> new HttpExchange(url(), 200, Map.of(), 10, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endNanos must not precede startNanos, but was 9 < 10");
    }

    private static String url() {
        return server.baseUrl() + PATH;
    }

    /** The chat URL with a query naming the caller, so each exchange says who made it. */
    private static String url(String caller) {
        return url() + "?caller=" + caller;
    }

    private static Object join(Future<?> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
