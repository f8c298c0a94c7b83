package dev.llmunit.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Collects the {@link HttpExchange}s that {@link LlmHttpClient}s make on behalf of one piece of
 * work, such as one routed call. A test harness (the llmunit JUnit extension) wraps a call in
 * {@link #run(Supplier)} and afterwards reads the response headers the fixture server sent
 * (recorded latency, the fixture's name) for each attempt the router made.
 *
 * <p>The capture is bound to the thread that runs the work; the router carries it over to the
 * thread of {@code routeAsync}. When no capture is active, the client's cost is one
 * {@link ThreadLocal#get()}. Thread-safe: a capture may receive exchanges from several threads.
 */
public final class HttpExchangeCapture {

    private static final ThreadLocal<@Nullable HttpExchangeCapture> CURRENT = new ThreadLocal<>();

    private final List<HttpExchange> exchanges = new ArrayList<>();
    private final Map<String, String> requestHeaders;

    /** Creates an empty capture; nothing is collected until work runs inside {@link #run(Supplier)}. */
    public HttpExchangeCapture() {
        this.requestHeaders = Map.of();
    }

    /**
     * Creates an empty capture that also adds headers to every request its work sends, such as the
     * recorded sample a repeated test's run asks the fixture server for.
     *
     * @param requestHeaders header names and values added to each request {@link LlmHttpClient} sends
     */
    public HttpExchangeCapture(Map<String, String> requestHeaders) {
        this.requestHeaders = Map.copyOf(Objects.requireNonNull(requestHeaders, "requestHeaders"));
    }

    /**
     * The headers added to each request sent while this capture is active.
     *
     * @return names and values; empty for a plain capture
     */
    public Map<String, String> requestHeaders() {
        return requestHeaders;
    }

    /**
     * The capture active on this thread, if any.
     *
     * @return the active capture, or {@code null} when none is
     */
    public static @Nullable HttpExchangeCapture current() {
        return CURRENT.get();
    }

    /**
     * Runs work with this capture active on the current thread, then restores whatever was active before.
     *
     * @param work the work whose HTTP exchanges to collect
     * @param <T> the work's result type
     * @return the work's result
     */
    public <T> T run(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        HttpExchangeCapture previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /**
     * Records an exchange; called by {@link LlmHttpClient}.
     *
     * @param exchange the finished exchange
     */
    void add(HttpExchange exchange) {
        synchronized (exchanges) {
            exchanges.add(exchange);
        }
    }

    /**
     * The exchanges collected so far, in the order they finished.
     *
     * @return a snapshot
     */
    public List<HttpExchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** Records an exchange with the active capture, if there is one; keeps the client's call sites short. */
    static void record(@Nullable HttpExchangeCapture capture, String url, int status, Map<String, List<String>> headers,
            long startNanos) {
        if (capture != null) {
            capture.add(new HttpExchange(url, status, headers, startNanos, System.nanoTime()));
        }
    }
}
