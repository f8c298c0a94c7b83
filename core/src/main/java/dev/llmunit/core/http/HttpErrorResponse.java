package dev.llmunit.core.http;

import dev.langchain4j.exception.HttpException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A non-2xx HTTP response from a provider, with its headers kept. It is a LangChain4j
 * {@link HttpException}, so provider models map it to their usual exceptions (a 429 still becomes
 * a {@code RateLimitException}); llmunit's error classifier finds it in the cause chain and reads
 * {@code Retry-After} from it.
 */
public final class HttpErrorResponse extends HttpException {

    private final Map<String, List<String>> headers;

    /**
     * Creates the error of one response.
     *
     * @param statusCode the HTTP status, 400 or above
     * @param body the response body as text, the provider's error JSON as a rule
     * @param headers the response headers; names are matched without regard to case
     */
    public HttpErrorResponse(int statusCode, String body, Map<String, List<String>> headers) {
        super(statusCode, body);
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                copy.put(name, List.copyOf(values));
            }
        });
        this.headers = copy;
    }

    /**
     * The response headers, matched without regard to case.
     *
     * @return an unmodifiable view keyed case-insensitively
     */
    public Map<String, List<String>> headers() {
        return java.util.Collections.unmodifiableMap(headers);
    }

    /**
     * The first value of one header.
     *
     * @param name the header name, in any case
     * @return the first value, empty when the header is absent
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The response body, usually the provider's error JSON.
     *
     * @return the body text
     */
    public String body() {
        return getMessage();
    }
}
