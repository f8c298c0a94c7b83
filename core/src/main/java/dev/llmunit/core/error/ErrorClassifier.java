package dev.llmunit.core.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.llmunit.core.http.HttpErrorResponse;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps whatever a provider call threw onto one {@link LlmException} kind: LangChain4j exceptions,
 * HTTP statuses, provider error codes in the response body ({@code insufficient_quota},
 * {@code context_length_exceeded}, Anthropic {@code overloaded_error}, ...), timeouts, connection
 * failures and resilience4j refusals. This is the only place in llmunit that classifies errors.
 *
 * <p>Error codes win over statuses: OpenAI's 429 {@code insufficient_quota} is
 * {@link ErrorKind#QUOTA_EXHAUSTED}, not a rate limit, and a 400 whose code or message says the
 * context is too long is {@link ErrorKind#CONTEXT_LENGTH_EXCEEDED}. A body that is not JSON (Jackson's parse
 * errors, which are {@code IOException}s) is a malformed answer, not a connection failure. An error nothing recognises is
 * {@link ErrorKind#PROVIDER_UNAVAILABLE}, since most such errors are transport or server faults.
 */
public final class ErrorClassifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 300;
    private static final Pattern CONTEXT_MESSAGE = Pattern.compile(
            "maximum context length|context window|context length|prompt is too long|too many (input )?tokens"
                    + "|input is too long|exceeds the (maximum )?(number of )?(input )?tokens",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> CONTEXT_CODES = Set.of("context_length_exceeded", "string_above_max_length");
    private static final Set<String> QUOTA_CODES = Set.of("insufficient_quota", "billing_hard_limit_reached");
    private static final Set<String> FILTER_CODES =
            Set.of("content_filter", "content_policy_violation", "content_filtered", "safety");
    private static final Set<String> RATE_CODES = Set.of("rate_limit_exceeded", "rate_limit_error", "resource_exhausted");
    private static final Set<String> AUTH_CODES = Set.of("invalid_api_key", "authentication_error", "permission_error",
            "unauthenticated", "permission_denied", "invalid_authentication", "api_key_invalid");
    private static final Set<String> OVERLOAD_CODES =
            Set.of("overloaded_error", "api_error", "server_error", "service_unavailable", "unavailable", "internal");

    private ErrorClassifier() {}

    /**
     * Classifies one failure.
     *
     * @param error what the provider call threw
     * @param provider the provider's name in the router, or null outside a router
     * @return the matching {@link LlmException}, with {@code error} as its cause; {@code error}
     *     itself when it already is one
     */
    public static LlmException classify(Throwable error, @Nullable String provider) {
        if (error instanceof LlmException llm) {
            return llm;
        }
        String who = provider == null ? "provider" : provider;
        HttpException http = null;
        Throwable timeout = null;
        Throwable connection = null;
        Throwable contentFiltered = null;
        Throwable circuitOpen = null;
        Throwable busy = null;
        Throwable malformed = null;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = error; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof HttpException h && (http == null || h instanceof HttpErrorResponse)) {
                http = h;
            } else if (t instanceof CallNotPermittedException) {
                circuitOpen = t;
            } else if (t instanceof BulkheadFullException) {
                busy = t;
            } else if (t instanceof ContentFilteredException) {
                contentFiltered = t;
            } else if (t instanceof JsonProcessingException) {
                // Jackson's errors are IOExceptions, but the connection worked: the body was not the provider's JSON.
                malformed = malformed == null ? t : malformed;
            } else if (isTimeout(t)) {
                timeout = timeout == null ? t : timeout;
            } else if (isConnectionFailure(t)) {
                connection = connection == null ? t : connection;
            }
        }
        if (circuitOpen != null) {
            return new LlmException.ProviderUnavailable(provider, who + ": circuit breaker is open, call not made", true, error);
        }
        if (busy != null) {
            return new LlmException.ProviderUnavailable(provider, who + ": concurrency limit reached, call not made", false, error);
        }
        if (http != null) {
            return classifyHttp(http, provider, error);
        }
        if (contentFiltered != null) {
            return new LlmException.ContentFiltered(provider, who + ": content filtered: " + detail(contentFiltered.getMessage()), error);
        }
        if (timeout != null) {
            return new LlmException.Timeout(provider, who + ": timed out: " + detail(timeout.getMessage()), error);
        }
        if (malformed != null) {
            return new LlmException.ProviderUnavailable(provider, who + ": answered with a body that is not its JSON (a proxy's"
                    + " or gateway's page, an empty or a cut-off body; check the base URL): "
                    + detail(((JsonProcessingException) malformed).getOriginalMessage()), false, error);
        }
        if (connection != null) {
            return new LlmException.ProviderUnavailable(provider, who + ": connection failed: " + detail(String.valueOf(connection)), false, error);
        }
        return classifyTyped(error, provider, who);
    }

    /**
     * Parses the wait a response asks for: {@code retry-after-ms} (milliseconds) first, then
     * {@code Retry-After} as seconds or as an HTTP date.
     *
     * @param response an error response with its headers
     * @return the requested wait, never negative; empty when neither header is present or readable
     */
    public static Optional<Duration> retryAfter(HttpErrorResponse response) {
        Optional<String> millis = response.header("retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Optional.of(Duration.ofNanos(Math.max(0, (long) (Double.parseDouble(millis.get().trim()) * 1_000_000))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        Optional<String> value = response.header("retry-after");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get().trim();
        try {
            return Optional.of(Duration.ofNanos(Math.max(0, (long) (Double.parseDouble(text) * 1_000_000_000L))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static LlmException classifyHttp(HttpException http, @Nullable String provider, Throwable error) {
        int status = http.statusCode();
        String body = http.getMessage() == null ? "" : http.getMessage();
        ProviderError parsed = ProviderError.parse(body);
        String who = provider == null ? "provider" : provider;
        String message = who + ": HTTP " + status + (parsed.code == null ? "" : " " + parsed.code) + ": " + detail(parsed.message);

        if (parsed.hasCode(QUOTA_CODES)) {
            return new LlmException.QuotaExhausted(provider, message, error);
        }
        if (parsed.hasCode(CONTEXT_CODES) || (status >= 400 && status < 500 && status != 429 && CONTEXT_MESSAGE.matcher(parsed.message).find())) {
            return new LlmException.ContextLengthExceeded(provider, message, error);
        }
        if (parsed.hasCode(FILTER_CODES)) {
            return new LlmException.ContentFiltered(provider, message, error);
        }
        if (status == 429 || parsed.hasCode(RATE_CODES)) {
            Duration wait = http instanceof HttpErrorResponse response ? retryAfter(response).orElse(null) : null;
            return new LlmException.RateLimited(provider, wait == null ? message : message + " (retry after " + wait.toMillis() + " ms)", wait, error);
        }
        if (status == 408 || status == 504) {
            return new LlmException.Timeout(provider, message, error);
        }
        if (status == 401 || status == 403 || parsed.hasCode(AUTH_CODES)) {
            return new LlmException.AuthenticationFailed(provider, message, error);
        }
        if (status >= 500 || parsed.hasCode(OVERLOAD_CODES)) {
            return new LlmException.ProviderUnavailable(provider, message, false, error);
        }
        if (status >= 400) {
            return new LlmException.InvalidRequest(provider, message, error);
        }
        return new LlmException.ProviderUnavailable(provider, message, false, error);
    }

    private static LlmException classifyTyped(Throwable error, @Nullable String provider, String who) {
        String message = who + ": " + detail(error.getMessage() == null ? error.toString() : error.getMessage());
        if (error instanceof RateLimitException) {
            return new LlmException.RateLimited(provider, message, null, error);
        }
        if (error instanceof AuthenticationException) {
            return new LlmException.AuthenticationFailed(provider, message, error);
        }
        if (error instanceof ModelNotFoundException) {
            return new LlmException.InvalidRequest(provider, message, error);
        }
        if (error instanceof InvalidRequestException) {
            return CONTEXT_MESSAGE.matcher(message).find()
                    ? new LlmException.ContextLengthExceeded(provider, message, error)
                    : new LlmException.InvalidRequest(provider, message, error);
        }
        if (error instanceof InternalServerException || error instanceof UnresolvedModelServerException) {
            return new LlmException.ProviderUnavailable(provider, message, false, error);
        }
        return new LlmException.ProviderUnavailable(provider, who + ": unclassified error: " + detail(error.toString()), false, error);
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof dev.langchain4j.exception.TimeoutException
                || t instanceof HttpTimeoutException
                || t instanceof java.net.SocketTimeoutException
                || t instanceof java.util.concurrent.TimeoutException;
    }

    private static boolean isConnectionFailure(Throwable t) {
        return t instanceof IOException || t instanceof UncheckedIOException || t instanceof UnresolvedAddressException;
    }

    private static String detail(@Nullable String text) {
        if (text == null) {
            return "";
        }
        String flat = collapseWhitespace(text).trim();
        return flat.length() <= MAX_DETAIL ? flat : flat.substring(0, MAX_DETAIL) + "…";
    }

    /**
     * Each run of regex {@code \s} characters as one space, in one pass: every failed attempt is classified, and
     * {@code replaceAll("\\s+", " ")} (a pattern compiled per call, a replacement per space) was over a quarter of the
     * router's error path in {@code ErrorHandlingBenchmark}.
     */
    private static String collapseWhitespace(String text) {
        StringBuilder out = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!isRegexWhitespace(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            boolean runGoesOn = i > 0 && isRegexWhitespace(text.charAt(i - 1));
            if (out == null) {
                if (c == ' ' && !runGoesOn) {
                    continue; // a lone space stays as it is: most messages need no copy
                }
                // When the run goes on, the text so far ends with its first character, a space left as it was.
                out = new StringBuilder(length).append(text, 0, i);
            }
            if (!runGoesOn) {
                out.append(' ');
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isRegexWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** The code, type and message of a provider's error body, in OpenAI, Anthropic or Gemini shape. */
    private static final class ProviderError {
        final @Nullable String code;
        final Set<String> codes;
        final String message;

        private ProviderError(@Nullable String code, Set<String> codes, String message) {
            this.code = code;
            this.codes = codes;
            this.message = message;
        }

        boolean hasCode(Set<String> wanted) {
            for (String candidate : codes) {
                if (wanted.contains(candidate)) {
                    return true;
                }
            }
            return false;
        }

        static ProviderError parse(String body) {
            JsonNode root;
            try {
                root = body.isBlank() ? null : JSON.readTree(body);
            } catch (IOException notJson) {
                root = null;
            }
            JsonNode error = root == null ? null : root.path("error");
            if (error == null || !error.isObject()) {
                return new ProviderError(null, Set.of(), body);
            }
            java.util.LinkedHashSet<String> codes = new java.util.LinkedHashSet<>();
            for (String field : new String[] {"code", "type", "status"}) {
                JsonNode value = error.get(field);
                if (value != null && value.isTextual() && !value.asText().isBlank()) {
                    codes.add(value.asText().toLowerCase(Locale.ROOT));
                }
            }
            // Gemini puts the precise reason (API_KEY_INVALID, ...) in error.details[].reason.
            for (JsonNode detail : error.path("details")) {
                JsonNode reason = detail.get("reason");
                if (reason != null && reason.isTextual() && !reason.asText().isBlank()) {
                    codes.add(reason.asText().toLowerCase(Locale.ROOT));
                }
            }
            String message = error.path("message").asText(body);
            return new ProviderError(codes.isEmpty() ? null : codes.iterator().next(), codes, message);
        }
    }
}
