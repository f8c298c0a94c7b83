package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.http.LlmHttpClient;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RoutingStrategy;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router with its default circuit breakers under chaos (issue 15.2): 10,000 calls from 64
 * threads to three providers on a real WireMock on 127.0.0.1, through the real LangChain4j OpenAI and
 * Anthropic clients, while about 30 % of all HTTP requests fail in one of seven ways. Retries and
 * fallbacks must answer at least 99 % of the calls, and no breaker may open, since every provider
 * stays 70 % healthy.
 *
 * <p>A correctness test, not a timing one: backoffs are 1 ms and a {@code Retry-After} above 50 ms
 * falls back at once, so waiting adds little. The server speaks HTTP/1.1 only (no h2c upgrade), so
 * a connection reset breaks the one call on that connection, not every call multiplexed on a shared
 * HTTP/2 connection. The figures it prints (answered, attempts,
 * rejected, wall time) are what the README's "Fallback, retry, circuit breakers" section quotes.
 */
class RouterUnderChaosTest {

    /** 10,000 as the issue asks; {@code -Dllmunit.chaos.calls=n} (in Surefire's argLine) changes it while iterating. */
    private static final int CALLS = Integer.getInteger("llmunit.chaos.calls", 10_000);
    private static final int THREADS = 64;
    /**
     * The client timeout; a timeout fault holds its response back longer than this. Generous, so a
     * heavily loaded build machine does not turn ordinary answers into timeouts.
     */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static final String EU_PATH = "/openai-eu/v1";

    private static WireMockServer server;
    private static Chaos chaos;

    @BeforeAll
    static void startServer() {
        chaos = new Chaos(20_251_202L);
        server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(THREADS * 2 + 20).http2PlainDisabled(true)
                .extensions(chaos));
        server.start();
        server.stubFor(OpenAiFixtures.chatCompletion().anyRequest().replyText("Billing queue."));
        server.stubFor(AnthropicFixtures.messages().anyRequest().replyText("Billing queue."));
        server.stubFor(post(urlPathEqualTo(EU_PATH + "/chat/completions"))
                .willReturn(okJson(OpenAiFixtures.chatCompletionJson("Billing queue.", reply -> reply.model("gpt-4.1-mini")))));
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void answersAtLeastNinetyNinePercentOfCallsWhenThirtyPercentOfRequestsFail() throws Exception {
        // GIVEN three providers behind the default breakers, retrying twice with 1 ms backoffs
        Router router = Router.builder()
                .strategy(RoutingStrategy.roundRobin())
                .retry(r -> r.initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1)).jitter(0.0)
                        .maxRetryAfter(Duration.ofMillis(50)))
                .provider("openai", openAi(LlmProvider.OPENAI.basePath(), "gpt-4o-mini"))
                .provider("anthropic", anthropic())
                .provider("openai-eu", openAi(EU_PATH, "gpt-4.1-mini"))
                .build();

        // WHEN 64 threads route 10,000 calls
        AtomicInteger answered = new AtomicInteger();
        AtomicLong attempts = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        List<LlmException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < CALLS; i = next.getAndIncrement()) {
                        List<Attempt> tries;
                        try {
                            RoutedResponse response = router.route(request(i));
                            assertThat(response.chatResponse().aiMessage().text()).isEqualTo("Billing queue.");
                            answered.incrementAndGet();
                            tries = response.attempts();
                        } catch (LlmException failed) {
                            failures.add(failed);
                            tries = failed.attempts();
                        }
                        attempts.addAndGet(tries.size());
                        rejected.addAndGet(tries.stream().filter(a -> a.outcome() == Outcome.REJECTED).count());
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // THEN the figures, as the README quotes them
        double answeredPercent = 100.0 * answered.get() / CALLS;
        System.out.printf("llmunit chaos: %d calls, %d threads, %d HTTP requests of which %.1f %% faulted %s; "
                        + "answered %.2f %%, %d attempts, %d rejected by a breaker, wall %d ms, breakers %s%n",
                CALLS, THREADS, chaos.requests.get(), 100.0 * chaos.faults() / chaos.requests.get(), chaos.byFault(),
                answeredPercent, attempts.get(), rejected.get(), wallMillis, router.health().values().stream()
                        .map(h -> h.provider() + "=" + h.circuitState()).toList());
        assertThat(100.0 * chaos.faults() / chaos.requests.get()).as("share of faulted HTTP requests, %").isBetween(27.0, 33.0);
        assertThat(answeredPercent).as("answered calls, %% (failures: %s)", failures.stream().limit(3).toList())
                .isGreaterThanOrEqualTo(99.0);
        assertThat(rejected.get()).as("attempts refused by an open breaker").isZero();
        assertThat(router.providers()).allSatisfy(provider ->
                assertThat(router.circuitState(provider)).as(provider).isEqualTo(CircuitState.CLOSED));
    }

    private static ChatRequest request(int i) {
        return ChatRequest.builder().messages(UserMessage.from("Ticket #" + i + ": charged twice. Which queue?")).build();
    }

    private static ChatModel openAi(String basePath, String model) {
        return OpenAiChatModel.builder()
                .baseUrl(server.baseUrl() + basePath)
                .apiKey("test-key")
                .modelName(model)
                .httpClientBuilder(LlmHttpClient.builder())
                .maxRetries(0)
                .timeout(CLIENT_TIMEOUT)
                .build();
    }

    private static ChatModel anthropic() {
        return AnthropicChatModel.builder()
                .baseUrl(server.baseUrl() + LlmProvider.ANTHROPIC.basePath())
                .apiKey("test-key")
                .modelName("claude-haiku-4-5")
                .maxTokens(100)
                .httpClientBuilder(LlmHttpClient.builder())
                .maxRetries(0)
                .timeout(CLIENT_TIMEOUT)
                .build();
    }

    /** The seven faults, with their share of all requests in percent (30 in total). */
    enum FaultKind {
        /** 429 with {@code retry-after-ms: 2} (OpenAI sends it beside {@code Retry-After}): retried after 2 ms. */
        RATE_LIMITED_SHORT(6),
        /** 429 with only {@code Retry-After: 1}: longer than the test's 50 ms cap, so the router falls back at once. */
        RATE_LIMITED_LONG(3),
        /** 500 with the provider's error body. */
        SERVER_ERROR(5),
        /** 503 with the provider's error body. */
        UNAVAILABLE(5),
        /** The connection is reset without an answer. */
        CONNECTION_RESET(5),
        /** The answer comes after the client gave up. */
        TIMEOUT(1),
        /** 200 with a JSON body cut off in the middle. */
        MALFORMED_JSON(5);

        final int percent;

        FaultKind(int percent) {
            this.percent = percent;
        }
    }

    /** Fails a seeded random 30 % of requests with one of the {@link FaultKind}s; the rest pass unchanged. */
    static final class Chaos implements ResponseDefinitionTransformerV2 {
        final AtomicLong requests = new AtomicLong();
        private final Map<FaultKind, AtomicLong> counts = new EnumMap<>(FaultKind.class);
        private final SplittableRandom random;

        Chaos(long seed) {
            this.random = new SplittableRandom(seed);
            for (FaultKind kind : FaultKind.values()) {
                counts.put(kind, new AtomicLong());
            }
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            requests.incrementAndGet();
            int roll;
            synchronized (random) {
                roll = random.nextInt(100);
            }
            FaultKind fault = null;
            int bound = 0;
            for (FaultKind kind : FaultKind.values()) {
                bound += kind.percent;
                if (roll < bound) {
                    fault = kind;
                    break;
                }
            }
            if (fault == null) {
                return serveEvent.getResponseDefinition();
            }
            counts.get(fault).incrementAndGet();
            boolean anthropic = serveEvent.getRequest().getUrl().startsWith(LlmProvider.ANTHROPIC.basePath());
            return switch (fault) {
                case RATE_LIMITED_SHORT -> error(429, anthropic, "rate_limit_error", "rate_limit_exceeded")
                        .withHeader("retry-after-ms", "2").withHeader("Retry-After", "1").build();
                case RATE_LIMITED_LONG -> error(429, anthropic, "rate_limit_error", "rate_limit_exceeded")
                        .withHeader("Retry-After", "1").build();
                case SERVER_ERROR -> error(500, anthropic, "api_error", "server_error").build();
                case UNAVAILABLE -> error(503, anthropic, "overloaded_error", "service_unavailable").build();
                case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
                case TIMEOUT -> ResponseDefinitionBuilder.like(serveEvent.getResponseDefinition())
                        .withFixedDelay((int) CLIENT_TIMEOUT.toMillis() + 1_000).build();
                case MALFORMED_JSON -> aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\": \"chatcmpl-cut\", \"choices\": [{\"message\": {\"content\": \"Bil").build();
            };
        }

        private static ResponseDefinitionBuilder error(int status, boolean anthropic, String anthropicType, String openAiCode) {
            String body = anthropic
                    ? "{\"type\":\"error\",\"error\":{\"type\":\"" + anthropicType + "\",\"message\":\"chaos\"}}"
                    : "{\"error\":{\"message\":\"chaos\",\"type\":\"" + openAiCode + "\",\"param\":null,\"code\":\"" + openAiCode + "\"}}";
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        }

        long faults() {
            return counts.values().stream().mapToLong(AtomicLong::get).sum();
        }

        Map<FaultKind, Long> byFault() {
            Map<FaultKind, Long> snapshot = new EnumMap<>(FaultKind.class);
            counts.forEach((kind, count) -> snapshot.put(kind, count.get()));
            return snapshot;
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public String getName() {
            return "llmunit-chaos";
        }
    }
}
