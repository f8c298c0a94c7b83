package dev.llmunit.core.route;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.http.HttpErrorResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A provider double for router tests: a LangChain4j {@link ChatModel} that first throws the
 * failures queued with {@link #throwingFirst(RuntimeException...)}, then keeps to one steady
 * behaviour (answer, fail, fail at random, block). It counts its calls and the failures it threw,
 * from any number of threads. The static error factories build the provider failures the router
 * classifies, the way provider clients throw them. Public so that tests of other packages (trace,
 * metrics, budget races) use this one double instead of their own.
 */
public final class ScriptedChatModel implements ChatModel {

    /** The steady behaviour once the queued failures are used up. */
    @FunctionalInterface
    private interface Behaviour {
        ChatResponse respond(ScriptedChatModel model) throws InterruptedException;
    }

    private final Behaviour steady;
    private final ChatResponse response;
    private final Queue<RuntimeException> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private volatile Set<Capability> capabilities = Set.of();
    private volatile ChatRequestParameters defaults;
    private volatile ChatRequest lastRequest;
    private volatile String lastThreadName;

    private ScriptedChatModel(String text, Behaviour steady) {
        this(ChatResponse.builder().aiMessage(AiMessage.from(text)).build(), steady);
    }

    private ScriptedChatModel(ChatResponse response, Behaviour steady) {
        this.response = response;
        this.steady = steady;
    }

    /** Answers {@code text} on every call. */
    public static ScriptedChatModel answering(String text) {
        return new ScriptedChatModel(text, model -> model.response);
    }

    /**
     * Answers {@code text} on every call, reporting the served {@code modelName} and {@code usage} the
     * way a provider client does, so the router can price the call. Pass a provider subclass such as
     * {@code OpenAiTokenUsage} for cache and reasoning details.
     */
    public static ScriptedChatModel answeringWithUsage(String text, String modelName, TokenUsage usage) {
        return new ScriptedChatModel(responseWithUsage(text, modelName, usage), model -> model.response);
    }

    /** Answers like {@link #answeringWithUsage(String, String, TokenUsage)} with plain input and output counts. */
    public static ScriptedChatModel answeringWithUsage(String text, String modelName, int inputTokens, int outputTokens) {
        return answeringWithUsage(text, modelName, new TokenUsage(inputTokens, outputTokens));
    }

    /** Sleeps for {@code delay}, then answers like {@link #answeringWithUsage}, so concurrent calls overlap. */
    public static ScriptedChatModel answeringWithUsageAfter(Duration delay, String text, String modelName, int inputTokens,
            int outputTokens) {
        return new ScriptedChatModel(responseWithUsage(text, modelName, new TokenUsage(inputTokens, outputTokens)), model -> {
            Thread.sleep(delay.toMillis());
            return model.response;
        });
    }

    private static ChatResponse responseWithUsage(String text, String modelName, TokenUsage usage) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).modelName(modelName).tokenUsage(usage).build();
    }

    /** Sleeps for {@code delay}, then answers {@code text}, so the call has a measurable latency. */
    public static ScriptedChatModel answeringAfter(Duration delay, String text) {
        return new ScriptedChatModel(text, model -> {
            Thread.sleep(delay.toMillis());
            return model.response;
        });
    }

    /** Throws a fresh failure from {@code error} on every call. */
    public static ScriptedChatModel failingWith(Supplier<? extends RuntimeException> error) {
        return new ScriptedChatModel("unused", model -> {
            throw error.get();
        });
    }

    /** Throws a fresh failure from {@code error} with the given probability (thread-safe), else answers {@code text}. */
    public static ScriptedChatModel failingAtRandom(double probability, Supplier<? extends RuntimeException> error, String text) {
        return new ScriptedChatModel(text, model -> {
            if (ThreadLocalRandom.current().nextDouble() < probability) {
                throw error.get();
            }
            return model.response;
        });
    }

    /**
     * Blocks until {@code release} opens, then answers {@code text}. An interrupt ends the wait the way
     * LangChain4j's JDK HTTP client does: the flag is restored and a RuntimeException thrown.
     */
    public static ScriptedChatModel blockingUntil(CountDownLatch release, String text) {
        return new ScriptedChatModel(text, model -> {
            release.await();
            return model.response;
        });
    }

    /** Blocks until its thread is interrupted, like an HTTP call that never answers. */
    public static ScriptedChatModel blockingUntilInterrupted() {
        return blockingUntil(new CountDownLatch(1), "never");
    }

    /** Queues failures thrown, one per call and in order, before the steady behaviour starts. */
    public ScriptedChatModel throwingFirst(RuntimeException... errors) {
        queued.addAll(List.of(errors));
        return this;
    }

    /** Declares the capabilities the model reports. */
    public ScriptedChatModel supporting(Capability first, Capability... rest) {
        capabilities = Set.copyOf(EnumSet.of(first, rest));
        return this;
    }

    /** Declares a default maximum of output tokens, as a provider model built with {@code maxTokens(..)} reports it. */
    ScriptedChatModel withDefaultMaxOutputTokens(int maxOutputTokens) {
        defaults = ChatRequestParameters.builder().maxOutputTokens(maxOutputTokens).build();
        return this;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        ChatRequestParameters declared = defaults;
        return declared == null ? ChatModel.super.defaultRequestParameters() : declared;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        calls.incrementAndGet();
        lastRequest = request;
        lastThreadName = Thread.currentThread().getName();
        started.countDown();
        RuntimeException next = queued.poll();
        if (next != null) {
            failures.incrementAndGet();
            throw next;
        }
        try {
            return steady.respond(this);
        } catch (InterruptedException e) {
            interrupted.countDown();
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        } catch (RuntimeException failure) {
            failures.incrementAndGet();
            throw failure;
        }
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return capabilities;
    }

    /** @return how many times the model was called */
    public int calls() {
        return calls.get();
    }

    /** @return how many calls ended in a failure the script threw (interrupts excluded) */
    public int failures() {
        return failures.get();
    }

    /** @return the response the model answers with */
    public ChatResponse response() {
        return response;
    }

    /** @return the last request the model received, or null before the first call */
    public ChatRequest lastRequest() {
        return lastRequest;
    }

    /** @return the name of the thread of the last call, or null before the first call */
    public String lastThreadName() {
        return lastThreadName;
    }

    /** Waits up to 5 s for the first call to start. */
    public boolean awaitStarted() throws InterruptedException {
        return started.await(5, TimeUnit.SECONDS);
    }

    /** Waits up to 5 s for a blocked call to see its thread interrupted. */
    public boolean awaitInterrupted() throws InterruptedException {
        return interrupted.await(5, TimeUnit.SECONDS);
    }

    // Requests and provider failures, one way each.

    /** A request with one user message. */
    public static ChatRequest request(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).build();
    }

    /** LangChain4j's rate-limit exception, without headers: classified RATE_LIMITED. */
    public static RuntimeException rateLimited() {
        return new RateLimitException("rate limited");
    }

    /** LangChain4j's server-error exception: classified PROVIDER_UNAVAILABLE. */
    public static RuntimeException unavailable() {
        return new InternalServerException("internal server error");
    }

    /** LangChain4j's timeout exception: classified TIMEOUT. */
    public static RuntimeException timedOut() {
        return new TimeoutException("request timed out");
    }

    /** HTTP 400 with a plain OpenAI error body: classified INVALID_REQUEST. */
    public static RuntimeException invalidRequest() {
        return httpError(400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid value for 'temperature'\"}}");
    }

    /** HTTP 401 with OpenAI's invalid key body: classified AUTHENTICATION. */
    public static RuntimeException unauthorized() {
        return httpError(401, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\",\"message\":\"Incorrect API key provided\"}}");
    }

    /** HTTP 429 with OpenAI's {@code insufficient_quota} body: classified QUOTA_EXHAUSTED. */
    public static RuntimeException quotaExhausted() {
        return httpError(429, "{\"error\":{\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\",\"message\":\"You exceeded your current quota\"}}");
    }

    /** HTTP 400 with OpenAI's {@code context_length_exceeded} body: classified CONTEXT_LENGTH_EXCEEDED. */
    public static RuntimeException contextLengthExceeded() {
        return httpError(400, "{\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"This model's maximum context length is 8192 tokens\"}}");
    }

    /** HTTP 429 rate limit carrying one wait header, such as {@code retry-after-ms: 20}: classified RATE_LIMITED. */
    public static RuntimeException rateLimitedWithHeader(String header, String value) {
        return new HttpErrorResponse(429, "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Rate limit reached\"}}",
                Map.of(header, List.of(value)));
    }

    /** An HTTP error response without headers. */
    public static RuntimeException httpError(int status, String body) {
        return new HttpErrorResponse(status, body, Map.of());
    }
}
