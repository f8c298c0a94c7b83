package dev.llmunit.core.http;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j {@link HttpClient} over the JDK's {@code java.net.http} client that keeps the
 * headers of error responses (as {@link HttpErrorResponse}). LangChain4j's own JDK client drops
 * them, and without them the router cannot honour a provider's {@code Retry-After}.
 *
 * <p>Pass its builder to any LangChain4j provider model:
 *
 * <pre>{@code
 * ChatModel openai = OpenAiChatModel.builder()
 *         .httpClientBuilder(LlmHttpClient.builder())
 *         .maxRetries(0)              // the router retries
 *         .apiKey(key).modelName("gpt-4o-mini").build();
 * }</pre>
 *
 * <p>Multipart form uploads (used by audio and image endpoints, never by chat) are not supported.
 */
public final class LlmHttpClient implements HttpClient {

    private final java.net.http.HttpClient delegate;
    private final @Nullable Duration readTimeout;

    private LlmHttpClient(Builder builder) {
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder().followRedirects(Redirect.NORMAL);
        if (builder.connectTimeout != null) {
            jdk.connectTimeout(builder.connectTimeout);
        }
        this.delegate = jdk.build();
        this.readTimeout = builder.readTimeout;
    }

    /**
     * Starts a builder; provider models set its timeouts from their own {@code timeout(..)}.
     *
     * @return a new builder with no timeouts set
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        HttpExchangeCapture capture = HttpExchangeCapture.current();
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = delegate.send(toJdk(request, capture), BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            HttpExchangeCapture.record(capture, request.url(), 0, Map.of(), start);
            throw new TimeoutException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + request.url(), e);
        } catch (IOException e) {
            HttpExchangeCapture.record(capture, request.url(), 0, Map.of(), start);
            throw new UncheckedIOException("Could not call " + request.url() + ": " + e, e);
        }
        HttpExchangeCapture.record(capture, request.url(), response.statusCode(), response.headers().map(), start);
        if (response.statusCode() >= 300) {
            throw new HttpErrorResponse(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8),
                    response.headers().map());
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        HttpExchangeCapture capture = HttpExchangeCapture.current();
        long start = System.nanoTime();
        delegate.sendAsync(toJdk(request, capture), BodyHandlers.ofInputStream()).whenComplete((response, failure) -> {
            // For a stream the exchange ends when the headers arrive: that is what the capture's readers need.
            HttpExchangeCapture.record(capture, request.url(), failure == null ? response.statusCode() : 0,
                    failure == null ? response.headers().map() : Map.of(), start);
            if (failure != null) {
                Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                notify(listener, cause instanceof HttpTimeoutException ? new TimeoutException(cause) : cause);
                return;
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() >= 300) {
                    notify(listener, new HttpErrorResponse(response.statusCode(),
                            new String(body.readAllBytes(), StandardCharsets.UTF_8), response.headers().map()));
                    return;
                }
                listener.onOpen(SuccessfulHttpResponse.builder()
                        .statusCode(response.statusCode())
                        .headers(response.headers().map())
                        .build());
                parser.parse(body, listener);
                listener.onClose();
            } catch (IOException | RuntimeException e) {
                notify(listener, e);
            }
        });
    }

    private static void notify(ServerSentEventListener listener, Throwable error) {
        try {
            listener.onError(error);
        } catch (RuntimeException ignored) {
            // A listener that throws must not hide the original error from the caller's thread.
        }
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request, @Nullable HttpExchangeCapture capture) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException("LlmHttpClient does not send multipart form data (" + request.url()
                    + "); use LangChain4j's JdkHttpClient for that model");
        }
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        if (capture != null) {
            capture.requestHeaders().forEach(builder::setHeader);
        }
        String body = request.body();
        builder.method(request.method().name(), body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (readTimeout != null) {
            builder.timeout(readTimeout);
        }
        return builder.build();
    }

    /** Builds an {@link LlmHttpClient}; provider models call the timeout setters themselves. */
    public static final class Builder implements HttpClientBuilder {
        private @Nullable Duration connectTimeout;
        private @Nullable Duration readTimeout;

        private Builder() {}

        @Override
        public @Nullable Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(@Nullable Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public @Nullable Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(@Nullable Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public LlmHttpClient build() {
            return new LlmHttpClient(this);
        }
    }
}
