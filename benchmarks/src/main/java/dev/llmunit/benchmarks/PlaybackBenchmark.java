package dev.llmunit.benchmarks;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.concurrent.TimeUnit.MICROSECONDS;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmunit.core.http.LlmHttpClient;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.internal.CallLedger;
import dev.llmunit.junit.internal.RecordingRouter;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What llmunit's test-time machinery costs per LLM call in playback. Every path makes the same
 * OpenAI chat call with LangChain4j's {@link OpenAiChatModel} over {@link LlmHttpClient} and real
 * HTTP to a WireMock on 127.0.0.1, and gets the same body and headers back; each path adds one
 * layer of what a test annotated {@code @LlmTest} runs through:
 *
 * <ul>
 *   <li>{@link #plainWireMock}: the baseline. A plain {@link WireMockServer} of the standalone jar,
 *       no llmunit extension, one {@code stubFor(post(..).willReturn(okJson(..)))}.
 *   <li>{@link #fixtureServer}: the same model against a {@link FixtureServer} serving the answer as
 *       an llmunit fixture (fixture DSL, whole-body matching, the latency transformer naming the
 *       fixture in a header, the per-provider catch-alls), with {@link #fixtures} fixtures loaded.
 *   <li>{@link #fixtureServerRouted}: a {@link Router} with that model as its only provider, defaults otherwise.
 *   <li>{@link #recordedByLedger}: that router inside the extension's {@link RecordingRouter}, which
 *       captures the HTTP exchanges and writes an {@link LlmCall} to a {@link CallLedger}.
 * </ul>
 *
 * <p>The fixture the call matches is added first, so with 20 fixtures WireMock (which tries stubs of
 * equal priority newest first) compares the request with the 19 others before it: the worst case
 * of a suite's fixture set.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PlaybackBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
// A call takes milliseconds, so a 2 s iteration is only ~1,000 calls: with 5 warmup iterations the scores were
// still falling in the measurement (Jetty, WireMock, Jackson and the JDK client compile slowly on 2 busy cores).
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlaybackBenchmark {

    /** The answer every path gets. */
    private static final String ANSWER = "billing";
    private static final String PROMPT = "My invoice shows a charge twice this month.";

    /** How many fixtures the fixture server holds: the one the call matches, plus others with different prompts. */
    @Param({"1", "20"})
    public int fixtures;

    private ChatRequest request;
    private WireMockServer plain;
    private FixtureServer server;
    private ChatModel plainModel;
    private ChatModel fixtureModel;
    private Router router;
    private Router recording;
    private CallLedger ledger;

    /** Starts both servers, captures the body LangChain4j sends, stubs it, builds the models and routers, and checks every path. */
    @Setup(Level.Trial)
    public void setUp() {
        request = BenchmarkSetup.triageRequest();

        // The same body and headers as the fixture DSL writes, so the two servers send the same bytes
        // but for the fixture header: the differences are the machinery, not the payload.
        ResponseDefinition reply = OpenAiFixtures.chatCompletion().anyRequest().replyText(ANSWER).build().getResponse();
        plain = new WireMockServer(wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                // WireMock keeps every request by default: bound it like the fixture server, or the heap fills up.
                .maxRequestJournalEntries(FixtureServer.REQUEST_JOURNAL_SIZE));
        plain.start();
        plain.stubFor(post(urlPathEqualTo(OpenAiFixtures.PATH)).willReturn(okJson(reply.getBody()).withHeaders(reply.getHeaders())));
        plainModel = OpenAiChatModel.builder()
                .baseUrl("http://127.0.0.1:" + plain.port() + "/openai/v1")
                .apiKey(FixtureServer.PLACEHOLDER_API_KEY)
                .modelName("gpt-4o-mini")
                .httpClientBuilder(LlmHttpClient.builder())
                .maxRetries(0)
                .timeout(FixtureModels.DEFAULT_TIMEOUT)
                .build();
        check("plainWireMock", plainWireMock());
        // The exact body LangChain4j sends, so the fixture matches it whole, as a recorded one would.
        String requestJson = plain.getAllServeEvents().get(0).getRequest().getBodyAsString();
        if (!requestJson.contains(PROMPT)) {
            throw new IllegalStateException("expected the request body to carry the prompt, but was " + requestJson);
        }

        server = FixtureServer.builder().build().start();
        server.stub(OpenAiFixtures.chatCompletion().whenRequestMatches(requestJson).replyText(ANSWER));
        for (int i = 1; i < fixtures; i++) {
            String other = requestJson.replace(PROMPT, "Ticket " + i + ": the export to CSV stops at row " + (1000 * i) + ".");
            server.stub(OpenAiFixtures.chatCompletion().whenRequestMatches(other).replyText("other " + i));
        }
        fixtureModel = FixtureModels.openAiChat(server, "gpt-4o-mini");
        router = Router.builder().provider("openai", fixtureModel).build();
        recording = new RecordingRouter(router, "router", () -> ledger);
        ledger = new CallLedger("PlaybackBenchmark");

        check("fixtureServer", fixtureServer());
        check("fixtureServerRouted", fixtureServerRouted().chatResponse());
        RoutedResponse recorded = recordedByLedger();
        check("recordedByLedger", recorded.chatResponse());
        LlmCall call = ledger.last();
        if (!"openai".equals(recorded.provider()) || recorded.attempts().size() != 1 || call.attempts().size() != 1
                || call.attempts().get(0).fixture() == null || !call.providerLatency().equals(Duration.ZERO)) {
            throw new IllegalStateException("expected one attempt on 'openai' recorded with its fixture, but was " + call);
        }
    }

    private static void check(String path, ChatResponse response) {
        if (!ANSWER.equals(response.aiMessage().text())) {
            throw new IllegalStateException(path + " expected the answer '" + ANSWER + "', but was " + response);
        }
    }

    /** A fresh ledger per iteration, so recorded calls do not pile up over the run. */
    @Setup(Level.Iteration)
    public void freshLedger() {
        ledger = new CallLedger("PlaybackBenchmark");
    }

    /** Checks no request missed its fixture, and stops both servers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (!server.missingFixtures().isEmpty() || !plain.findAllUnmatchedRequests().isEmpty()
                    || router.errors().total("openai") != 0) {
                throw new IllegalStateException("a request missed its stub during the benchmark: " + server.missingFixtures());
            }
        } finally {
            plain.stop();
            server.close();
        }
    }

    /**
     * Baseline: LangChain4j, the HTTP round trip and a plain WireMock with one stub; nothing of llmunit's but the HTTP client.
     *
     * @return the response
     */
    @Benchmark
    public ChatResponse plainWireMock() {
        return plainModel.chat(request);
    }

    /**
     * The same call answered by an llmunit fixture on the fixture server.
     *
     * @return the response
     */
    @Benchmark
    public ChatResponse fixtureServer() {
        return fixtureModel.chat(request);
    }

    /**
     * The same call through a one-provider router.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse fixtureServerRouted() {
        return router.route(request);
    }

    /**
     * The same routed call, recorded into a call ledger as the JUnit extension does for every call of a test.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse recordedByLedger() {
        return recording.route(request);
    }
}
