package dev.llmunit.core.http;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP exchange an {@link LlmHttpClient} made while an {@link HttpExchangeCapture} was active:
 * the URL, the status, the response headers and when it started and ended on
 * {@link System#nanoTime()}'s clock (the clock of {@link dev.llmunit.core.trace.Attempt}, so an
 * exchange can be placed inside the attempt that made it).
 *
 * @param url the request URL
 * @param status the response status; {@code 0} when no response arrived (a transport failure)
 * @param headers the response headers, names in lower case; empty when no response arrived
 * @param startNanos when the request was sent, on {@link System#nanoTime()}'s clock
 * @param endNanos when the response (or the failure) arrived, on the same clock
 */
public record HttpExchange(String url, int status, Map<String, List<String>> headers, long startNanos, long endNanos) {

    /** Validates and copies; header names are stored in lower case because HTTP names are case-insensitive. */
    public HttpExchange {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("endNanos must not precede startNanos, but was " + endNanos + " < " + startNanos);
        }
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values));
            }
        });
        headers = Map.copyOf(lower);
    }

    /**
     * The first value of a response header.
     *
     * @param name the header name, in any case
     * @return its first value, or empty when the response had no such header
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * How long the exchange took as measured by the client.
     *
     * @return the measured duration
     */
    public Duration duration() {
        return Duration.ofNanos(endNanos - startNanos);
    }
}
