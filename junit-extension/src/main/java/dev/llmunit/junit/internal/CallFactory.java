package dev.llmunit.junit.internal;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Cost;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.http.HttpExchange;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import dev.llmunit.core.trace.StreamTiming;
import dev.llmunit.junit.CallAttempt;
import dev.llmunit.junit.Confidence;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.wiremock.FixtureServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Turns what the router reports (its attempts) and what the HTTP client saw (the fixture server's
 * headers) into one {@link LlmCall}. The one place the ledger's latency rules live: an attempt
 * answered by a fixture takes the fixture's recorded latency (zero when the fixture declares none),
 * and its measured time counts as llmunit's overhead (in playback the time spent is the fixture
 * server's and the router's, never a provider's); an attempt no fixture answered (live calls,
 * transport faults, missing fixtures) takes its measured time as provider latency.
 */
final class CallFactory {

    private CallFactory() {}

    /**
     * Builds a call.
     *
     * @param sequence the call's number in its ledger
     * @param source the injected router's name
     * @param request the request, for the prompt
     * @param attempts the router's attempts, in order
     * @param exchanges the HTTP exchanges made during the call
     * @param wallNanos the call's measured wall-clock time
     * @param response the answer, or {@code null} when the call failed
     * @param servingProvider the provider that answered, or {@code null} when the call failed
     * @param error the failure, or {@code null} when the call succeeded
     * @return the call
     */
    static LlmCall build(int sequence, String source, ChatRequest request, List<Attempt> attempts, List<HttpExchange> exchanges,
            long wallNanos, @Nullable ChatResponse response, @Nullable String servingProvider, @Nullable ErrorKind error) {
        return build(sequence, source, request, attempts, exchanges, wallNanos, response, servingProvider, error, null);
    }

    /**
     * Builds a call that may have streamed. A streamed call's time to first token follows the same
     * rule as its latency: in playback (every attempt's latency recorded) the serving fixture's
     * recorded time to first token ({@value FixtureServer#RECORDED_TTFT_HEADER}; its whole recorded
     * latency when the fixture recorded none) plus the provider latency and backoff of the attempts
     * before it, and its tokens per second the output tokens over the recorded rest of the stream;
     * otherwise the router's measured {@link StreamTiming}.
     *
     * @param sequence the call's number in its ledger
     * @param source the injected router's name
     * @param request the request, for the prompt
     * @param attempts the router's attempts, in order
     * @param exchanges the HTTP exchanges made during the call
     * @param wallNanos the call's measured wall-clock time
     * @param response the answer, or {@code null} when the call failed
     * @param servingProvider the provider that answered, or {@code null} when the call failed
     * @param error the failure, or {@code null} when the call succeeded
     * @param stream how the answer streamed, or {@code null} when it did not stream
     * @return the call
     */
    static LlmCall build(int sequence, String source, ChatRequest request, List<Attempt> attempts, List<HttpExchange> exchanges,
            long wallNanos, @Nullable ChatResponse response, @Nullable String servingProvider, @Nullable ErrorKind error,
            @Nullable StreamTiming stream) {
        @Nullable HttpExchange servingExchange = null;
        List<CallAttempt> callAttempts = new ArrayList<>();
        long providerNanos = 0;
        long waitNanos = 0;
        long measuredProviderNanos = 0;
        long replayedDelayNanos = 0;
        Usage usage = Usage.NONE;
        Usd cost = Usd.ZERO;
        boolean costKnown = true;
        @Nullable String servingModel = null;
        for (Attempt attempt : attempts) {
            @Nullable HttpExchange exchange = exchangeOf(attempt, exchanges);
            Optional<Long> recorded = exchange == null ? Optional.empty() : recordedLatency(exchange);
            Duration latency;
            boolean latencyRecorded;
            if (attempt.outcome() == Outcome.REJECTED) {
                latency = Duration.ZERO;
                latencyRecorded = true; // nothing was called, so zero is exact on every run
            } else if (recorded.isPresent()) {
                latency = Duration.ofMillis(recorded.get());
                latencyRecorded = true;
                replayedDelayNanos += Math.min(attempt.duration().toNanos(), replayedDelay(exchange));
            } else if (exchange != null && exchange.header(FixtureServer.FIXTURE_HEADER).isPresent()) {
                // A fixture that declares no latency (a hand-written stub without a delay) answers in
                // zero recorded time: the same on every run, unlike the fixture server's measured time.
                latency = Duration.ZERO;
                latencyRecorded = true;
                replayedDelayNanos += Math.min(attempt.duration().toNanos(), replayedDelay(exchange));
            } else {
                latency = attempt.duration();
                latencyRecorded = false;
                measuredProviderNanos += attempt.duration().toNanos();
            }
            providerNanos += latency.toNanos();
            waitNanos += attempt.waitBefore().toNanos();
            usage = usage.plus(attempt.usage());
            Cost attemptCost = attempt.cost();
            @Nullable Usd attemptUsd = null;
            if (attemptCost != null) {
                if (attemptCost.isUnknown()) {
                    costKnown = false;
                } else {
                    attemptUsd = attemptCost.usd();
                    cost = cost.plus(attemptUsd);
                }
            } else if (attempt.outcome() == Outcome.SUCCEEDED) {
                costKnown = false;
            } else {
                attemptUsd = Usd.ZERO; // providers do not bill a failed or skipped attempt
            }
            @Nullable String fixture = exchange == null ? null : exchange.header(FixtureServer.FIXTURE_HEADER)
                    .map(CallFactory::decodeFixtureName).orElse(null);
            callAttempts.add(new CallAttempt(attempt.provider(), attempt.model(), attempt.retry(), attempt.errorKind(), latency,
                    latencyRecorded, attempt.waitBefore(), attempt.usage(), attemptUsd, fixture));
            if (attempt.outcome() == Outcome.SUCCEEDED) {
                servingModel = attempt.model();
                servingExchange = exchange;
            }
        }
        // What is left is llmunit's: routing, the HTTP round trip to the fixture server and its matching.
        // A delay the fixture server applied on purpose stands in for the provider, so it is not overhead.
        long overheadNanos = Math.max(0, wallNanos - waitNanos - measuredProviderNanos - replayedDelayNanos);
        @Nullable Double confidence = null;
        String answer = "";
        if (response != null) {
            OptionalDouble known = Confidence.of(response);
            confidence = known.isPresent() ? known.getAsDouble() : null;
            String text = response.aiMessage() == null ? null : response.aiMessage().text();
            answer = shorten(text == null ? "" : text);
            if (servingModel == null) {
                servingModel = response.modelName();
            }
        }
        Duration firstToken = null;
        Double rate = null;
        if (stream != null && response != null && !callAttempts.isEmpty()) {
            CallAttempt serving = callAttempts.get(callAttempts.size() - 1);
            boolean recorded = callAttempts.stream().allMatch(CallAttempt::latencyRecorded);
            if (recorded) {
                long servingNanos = serving.latency().toNanos();
                long firstNanos = Math.min(servingNanos, servingExchange == null ? servingNanos
                        : recordedMillis(servingExchange, FixtureServer.RECORDED_TTFT_HEADER).map(ms -> ms * 1_000_000L).orElse(servingNanos));
                firstToken = Duration.ofNanos(providerNanos - servingNanos + waitNanos + firstNanos);
                long generationNanos = servingNanos - firstNanos;
                int tokens = stream.outputTokens() != null ? stream.outputTokens() : stream.chunks();
                rate = stream.chunks() >= 2 && generationNanos > 0 ? tokens * 1_000_000_000.0 / generationNanos : null;
            } else {
                firstToken = stream.timeToFirstToken();
                OptionalDouble measured = stream.tokensPerSecond();
                rate = measured.isPresent() ? measured.getAsDouble() : null;
            }
        }
        return new LlmCall(sequence, source, servingProvider, servingModel, usage, costKnown ? cost : null,
                Duration.ofNanos(providerNanos), Duration.ofNanos(waitNanos), Duration.ofNanos(overheadNanos), callAttempts,
                confidence, error, shorten(prompt(request)), answer, firstToken, rate);
    }

    /** The last exchange that lies inside the attempt's time span: the attempt's own HTTP call. */
    private static @Nullable HttpExchange exchangeOf(Attempt attempt, List<HttpExchange> exchanges) {
        HttpExchange found = null;
        for (HttpExchange exchange : exchanges) {
            if (exchange.startNanos() >= attempt.startNanos() && exchange.endNanos() <= attempt.endNanos()) {
                found = exchange;
            }
        }
        return found;
    }

    /** The server percent-encodes names that are not plain ASCII, because HTTP headers carry Latin-1 only. */
    private static String decodeFixtureName(String header) {
        try {
            return URLDecoder.decode(header, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return header;
        }
    }

    /** The delay the fixture server applied itself, in nanoseconds; zero when it says none. */
    private static long replayedDelay(HttpExchange exchange) {
        Optional<String> header = exchange.header(FixtureServer.REPLAYED_DELAY_HEADER);
        try {
            return header.isEmpty() ? 0 : Math.max(0, Duration.ofMillis(Long.parseLong(header.get().trim())).toNanos());
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private static Optional<Long> recordedLatency(HttpExchange exchange) {
        return recordedMillis(exchange, FixtureServer.RECORDED_LATENCY_HEADER);
    }

    private static Optional<Long> recordedMillis(HttpExchange exchange, String name) {
        Optional<String> header = exchange.header(name);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            long millis = Long.parseLong(header.get().trim());
            return millis < 0 ? Optional.empty() : Optional.of(millis);
        } catch (NumberFormatException notANumber) {
            return Optional.empty(); // a hand-edited fixture with a bad value: fall back to the measured time
        }
    }

    static String prompt(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user) {
                return user.hasSingleText() ? user.singleText() : user.contents().toString();
            }
        }
        return "";
    }

    static String shorten(String text) {
        String flat = text.strip();
        return flat.length() <= LlmCall.TEXT_LIMIT ? flat : flat.substring(0, LlmCall.TEXT_LIMIT - 1) + "…";
    }
}
