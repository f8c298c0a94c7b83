package dev.llmunit.benchmarks;

import static java.util.concurrent.TimeUnit.MICROSECONDS;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.ContentPattern;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmunit.core.http.LlmHttpClient;
import dev.llmunit.wiremock.FixtureMode;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import java.nio.file.Path;
import java.util.List;
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
 * Playback per call as the fixture set grows: the same directory of {@link #fixtures} recorded
 * OpenAI fixtures ({@link RecordedOpenAiFixtures}) served by llmunit's {@link FixtureServer}
 * ({@link #fixtureServer}) and by a plain {@link WireMockServer} of the standalone jar reading the
 * same files ({@link #plainWireMock}, the baseline), in the same run. Both are called by the same
 * LangChain4j {@link OpenAiChatModel} over {@link LlmHttpClient}, real HTTP on 127.0.0.1.
 *
 * <p>{@link #call} picks the request: {@code hitFirst} is the fixture the server tries first (in its
 * own matching order: priority, then newest first), {@code hitLast} the one it tries last, and
 * {@code miss} a ticket that was never recorded (plain WireMock answers 404 after computing its
 * near misses; the fixture server answers 404 with the closest fixture in the message). So the
 * ratio of {@code fixtures=5000} to {@code fixtures=1} says whether playback is flat in the size
 * of the fixture set.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PlaybackScaleBenchmark}. The fixtures
 * are recorded on first use into {@code java.io.tmpdir} ({@code llmunit-recorded-openai-<n>}) and
 * reused by later forks and runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlaybackScaleBenchmark {

    /** A ticket number no fixture set records. */
    static final int UNRECORDED_TICKET = 999_999;

    /** How many recorded fixtures both servers hold. */
    @Param({"1", "100", "1000", "5000"})
    public int fixtures;

    /** Which request: the fixture tried first, the one tried last, or one that was never recorded. */
    @Param({"hitFirst", "hitLast", "miss"})
    public String call;

    private WireMockServer plain;
    private FixtureServer server;
    private ChatModel plainModel;
    private ChatModel fixtureModel;
    private ChatRequest plainRequest;
    private ChatRequest fixtureRequest;

    /** Loads the fixture set into both servers, picks each server's request and checks both answer as expected. */
    @Setup(Level.Trial)
    public void setUp() {
        try {
            start();
        } catch (RuntimeException | Error e) {
            stop(); // or the servers' threads keep the forked JVM alive
            throw e;
        }
    }

    private void start() {
        Path directory = RecordedOpenAiFixtures.cached(fixtures);
        plain = new WireMockServer(WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .usingFilesUnderDirectory(directory.toString())
                // WireMock keeps every request by default: bound it like the fixture server, or the heap fills up.
                .maxRequestJournalEntries(FixtureServer.REQUEST_JOURNAL_SIZE));
        plain.start();
        server = FixtureServer.builder().fixtureDirectory(directory).mode(FixtureMode.PLAYBACK).build().start();
        plainModel = OpenAiChatModel.builder()
                .baseUrl("http://127.0.0.1:" + plain.port() + "/openai/v1")
                .apiKey(FixtureServer.PLACEHOLDER_API_KEY)
                .modelName(RecordedOpenAiFixtures.MODEL)
                .httpClientBuilder(LlmHttpClient.builder())
                .maxRetries(0)
                .timeout(FixtureModels.DEFAULT_TIMEOUT)
                .build();
        fixtureModel = FixtureModels.openAiChat(server, RecordedOpenAiFixtures.MODEL);

        int plainTicket = ticket(plain.getStubMappings(), "plain WireMock");
        int fixtureTicket = ticket(server.wireMock().getStubMappings(), "fixture server");
        plainRequest = RecordedOpenAiFixtures.request(plainTicket);
        fixtureRequest = RecordedOpenAiFixtures.request(fixtureTicket);
        check("plainWireMock", plainWireMock(), plainTicket);
        check("fixtureServer", fixtureServer(), fixtureTicket);
    }

    /** The ticket of the stub the call asks for, in the server's own matching order. */
    private int ticket(List<StubMapping> stubs, String server) {
        if (call.equals("miss")) {
            return UNRECORDED_TICKET;
        }
        List<StubMapping> recorded = stubs.stream().filter(stub -> ticketOf(stub) >= 0).toList();
        if (recorded.size() != fixtures) {
            throw new IllegalStateException(server + " expected " + fixtures + " recorded fixtures, but holds " + recorded.size());
        }
        return switch (call) {
            case "hitFirst" -> ticketOf(recorded.get(0));
            case "hitLast" -> ticketOf(recorded.get(recorded.size() - 1));
            default -> throw new IllegalArgumentException("call must be hitFirst, hitLast or miss, but was '" + call + "'");
        };
    }

    private static int ticketOf(StubMapping stub) {
        List<ContentPattern<?>> bodies = stub.getRequest().getBodyPatterns();
        return bodies == null || bodies.isEmpty() ? -1 : RecordedOpenAiFixtures.ticketNumber(String.valueOf(bodies.get(0).getExpected()));
    }

    private void check(String path, Object outcome, int ticket) {
        if (call.equals("miss")) {
            // LangChain4j turns a 404 into ModelNotFoundException; its message is the server's body.
            if (!(outcome instanceof ModelNotFoundException miss) || !String.valueOf(miss.getMessage()).contains(
                    path.equals("plainWireMock") ? "Request was not matched" : "no fixture for openai")) {
                throw new IllegalStateException(path + " expected a 404 for an unrecorded ticket, but got " + outcome);
            }
            return;
        }
        String text = outcome instanceof ChatResponse response ? response.aiMessage().text() : String.valueOf(outcome);
        if (!RecordedOpenAiFixtures.answer(ticket).equals(text)) {
            throw new IllegalStateException(path + " expected '" + RecordedOpenAiFixtures.answer(ticket) + "', but got " + outcome);
        }
    }

    /** Misses are kept for the suite's report; forget them between iterations so the list does not grow over the run. */
    @Setup(Level.Iteration)
    public void forgetMisses() {
        server.clearMissingFixtures();
    }

    /** Checks that hits never missed, and stops both servers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (!call.equals("miss") && (!server.missingFixtures().isEmpty() || !plain.findAllUnmatchedRequests().isEmpty())) {
                throw new IllegalStateException("a request missed its fixture during the benchmark: " + server.missingFixtures());
            }
        } finally {
            stop();
        }
    }

    private void stop() {
        if (plain != null) {
            plain.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * Baseline: plain WireMock serving the recorded files.
     *
     * @return the response, or the exception of a miss
     */
    @Benchmark
    public Object plainWireMock() {
        return chat(plainModel, plainRequest);
    }

    /**
     * llmunit's fixture server serving the same files.
     *
     * @return the response, or the exception of a miss
     */
    @Benchmark
    public Object fixtureServer() {
        return chat(fixtureModel, fixtureRequest);
    }

    private static Object chat(ChatModel model, ChatRequest request) {
        try {
            return model.chat(request);
        } catch (RuntimeException miss) {
            return miss;
        }
    }
}
