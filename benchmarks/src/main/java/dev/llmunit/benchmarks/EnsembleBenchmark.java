package dev.llmunit.benchmarks;

import static java.util.concurrent.TimeUnit.MICROSECONDS;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.llmunit.core.ensemble.AnswerKey;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an ensemble adds over its slowest member. Three prepared in-memory members (answers built
 * once, returned at once, priced as gpt-4o-mini) answer "billing", "Billing." and "bug": the
 * ensemble sends each through its own one-provider router on the routers' executor, keys the
 * answers, votes (majority) and computes the confidence. All members are equally fast, so the
 * slowest member is one member's routed call, measured the same way ({@link #slowestMember}:
 * {@code router.route(request)} on the calling thread, and {@link #slowestMemberAsync}:
 * {@code routeAsync(request).join()}, one executor hand-off).
 *
 * <p>{@code key}: {@code lexical} is {@link AnswerKey#normalizedText()}; {@code hashedEmbeddings} is
 * {@link AnswerKey#semantic(EmbeddingModel, double)} over an in-memory hashed character-trigram
 * embedding (the ensemble's own clustering work with embeddings, model time near zero);
 * {@code miniLm} is {@link AnswerKey#semantic(double)}, the in-process all-MiniLM-L6-v2 model, which
 * the benchmark jar only holds when built with {@code -Pembeddings}.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests -Pembeddings && java -jar
 * benchmarks/target/benchmarks.jar EnsembleBenchmark -prof gc}. Target: {@code ensemble - slowestMember
 * <= 20 us} with the lexical key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class EnsembleBenchmark {

    @Param({"lexical", "hashedEmbeddings", "miniLm"})
    private String key;

    private ChatRequest request;
    private Router member;
    private Ensemble ensemble;
    private Ensemble ensembleOnCallingThread;

    /** Builds the members, the baseline router and the ensemble, and checks the ensemble votes as expected. */
    @Setup(Level.Trial)
    public void setUp() {
        request = BenchmarkSetup.triageRequest();
        member = Router.builder().provider("a", PreparedChatModel.answering("billing", "gpt-4o-mini-2024-07-18"),
                p -> p.modelName("gpt-4o-mini")).build();
        AnswerKey answerKey = switch (key) {
            case "lexical" -> AnswerKey.normalizedText();
            case "hashedEmbeddings" -> AnswerKey.semantic(new HashedTrigramEmbeddings(), 0.9);
            case "miniLm" -> miniLm();
            default -> throw new IllegalArgumentException("unknown key " + key);
        };
        ensemble = threeMembers(answerKey).build();
        // The same ensemble with its members' routers running async calls on the calling thread: no hand-off at all,
        // so the difference to three member calls in a row is the ensemble's own bookkeeping.
        ensembleOnCallingThread = threeMembers(answerKey).routerDefaults(router -> router.executor(Runnable::run)).build();
        for (Ensemble checked : new Ensemble[] {ensemble, ensembleOnCallingThread}) {
            EnsembleResult check = checked.run(request);
            if (check.answered().size() != 3 || check.agreement() != 2.0 / 3 || !check.text().equals("billing")
                    || check.unpricedCalls() != 0) {
                throw new IllegalStateException("expected three answers, billing winning 2 to 1, got " + check.members()
                        + " and clusters " + check.clusters());
            }
        }
    }

    private static dev.llmunit.core.ensemble.EnsembleBuilder threeMembers(AnswerKey answerKey) {
        return Ensemble.builder()
                .member("a", PreparedChatModel.answering("billing", "gpt-4o-mini-2024-07-18"), m -> m.modelName("gpt-4o-mini"))
                .member("b", PreparedChatModel.answering("Billing.", "gpt-4o-mini-2024-07-18"), m -> m.modelName("gpt-4o-mini"))
                .member("c", PreparedChatModel.answering("bug", "gpt-4o-mini-2024-07-18"), m -> m.modelName("gpt-4o-mini"))
                .answerKey(answerKey);
    }

    private static AnswerKey miniLm() {
        try {
            return AnswerKey.semantic(0.85);
        } catch (IllegalStateException missing) {
            throw new IllegalStateException("key=miniLm needs the all-MiniLM-L6-v2 model in the benchmark jar: build it with"
                    + " mvn -B -pl benchmarks -am package -DskipTests -Pembeddings, or run with -p key=lexical,hashedEmbeddings", missing);
        }
    }

    /**
     * Baseline: one member's routed call on the calling thread.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse slowestMember() {
        return member.route(request);
    }

    /**
     * One member's routed call on the routers' executor, joined: the baseline plus one hand-off.
     *
     * @return the routed response
     */
    @Benchmark
    public RoutedResponse slowestMemberAsync() {
        return member.routeAsync(request).join();
    }

    /**
     * The ensemble of three: fan-out, collection, keys, vote, confidence.
     *
     * @return the result
     */
    @Benchmark
    public EnsembleResult ensemble() {
        return ensemble.run(request);
    }

    /**
     * Three member calls one after the other on the calling thread: the work {@link #ensembleOnCallingThread} does besides its own.
     *
     * @return the last routed response
     */
    @Benchmark
    public RoutedResponse threeMembersInARow() {
        member.route(request);
        member.route(request);
        return member.route(request);
    }

    /**
     * The ensemble with every member on the calling thread: its bookkeeping without any thread hand-off.
     *
     * @return the result
     */
    @Benchmark
    public EnsembleResult ensembleOnCallingThread() {
        return ensembleOnCallingThread.run(request);
    }

    /** Bag of hashed character trigrams, L2-normalised: a real embedding whose model time is negligible. */
    static final class HashedTrigramEmbeddings implements EmbeddingModel {
        private static final int DIMENSION = 384;

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            List<Embedding> embeddings = new ArrayList<>(segments.size());
            for (TextSegment segment : segments) {
                float[] vector = new float[DIMENSION];
                String text = "  " + segment.text() + " ";
                for (int i = 0; i + 3 <= text.length(); i++) {
                    vector[Math.floorMod(text.substring(i, i + 3).hashCode(), DIMENSION)] += 1;
                }
                double norm = 0;
                for (float value : vector) {
                    norm += value * value;
                }
                float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
                for (int i = 0; i < DIMENSION; i++) {
                    vector[i] *= scale;
                }
                embeddings.add(Embedding.from(vector));
            }
            return Response.from(embeddings);
        }

        @Override
        public int dimension() {
            return DIMENSION;
        }
    }
}
