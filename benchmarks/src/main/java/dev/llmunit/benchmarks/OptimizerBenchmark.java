package dev.llmunit.benchmarks;

import static java.util.concurrent.TimeUnit.MICROSECONDS;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.optimize.OptimizedRequest;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.optimize.TaskDetection;
import dev.llmunit.core.optimize.TaskType;
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
 * What {@link QueryOptimizer#optimize} costs per request with a full history. The request is a
 * support ticket with a greeting, the ticket quoted again and a sign-off (so compression has work)
 * and a classification system prompt; the optimizer has all five strategies and a history of
 * {@code historySize} outcomes spread over the six task types and the strategy sets, with few-shot
 * examples. {@code optimize} is the learned path: detection, the applicable strategies, Thompson
 * sampling over every subset of them, the rewrite and two token counts. {@code optimizePlanned}
 * is a fixed plan (compression only, no bandit). Baselines: {@code countTokens}, the jtokkit count of
 * the request that {@code optimize} does twice (before and after), and {@code detect}, detection alone.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar OptimizerBenchmark -prof gc}. Target:
 * {@code optimize <= 50 us} at 10,000 history entries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class OptimizerBenchmark {

    private static final String TICKET = "Since the update on Tuesday the CSV export fails with error 500 for every report over 10 MB. "
            + "Our account id is ACME-42 and it happens in Firefox and Chrome. We need the export for the monthly audit on Friday.";

    @Param({"100", "10000"})
    private int historySize;

    /** Distinct tickets for {@link #optimizeNewTicket}: many more than the optimizer keeps token counts of. */
    private static final int NEW_TICKETS = 4096;

    private ChatRequest request;
    private ChatRequest[] newTickets;
    private int nextTicket;
    private QueryOptimizer optimizer;
    private QueryOptimizer planned;

    /** Fills the history and checks the optimizer rewrites the request as classification. */
    @Setup(Level.Trial)
    public void setUp() {
        request = ticket(TICKET);
        newTickets = new ChatRequest[NEW_TICKETS];
        for (int i = 0; i < NEW_TICKETS; i++) {
            newTickets[i] = ticket(TICKET.replace("ACME-42", "ACME-" + (1000 + i)));
        }
        optimizer = QueryOptimizer.builder().build();
        planned = QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression").build();
        TaskType[] types = TaskType.values();
        List<List<String>> sets = List.of(List.of(), List.of("compression"), List.of("parameter-tuning"),
                List.of("compression", "parameter-tuning"), List.of("few-shot"), List.of("compression", "few-shot", "parameter-tuning"));
        for (int i = 0; i < historySize; i++) {
            TaskType type = types[i % types.length];
            ChatRequest past = ChatRequest.builder().messages(UserMessage.from("ticket " + i + ": the app crashes on start")).build();
            OptimizedRequest outcome = optimizer.optimize(past, type);
            OptimizedRequest relabelled = new OptimizedRequest(outcome.request(), outcome.original(), outcome.task(),
                    sets.get(i % sets.size()), outcome.tokensBefore(), outcome.tokensAfter(), outcome.expectedQuality());
            optimizer.record(relabelled, (i % 7) / 6.0, Usd.usd("0.00002" + (i % 10)), "BUG");
        }
        if (optimizer.history().size() != Math.min(historySize, 10_000)) {
            throw new IllegalStateException("history holds " + optimizer.history().size() + " entries, expected " + historySize);
        }
        OptimizedRequest check = optimizer.optimize(request);
        if (check.taskType() != TaskType.CLASSIFICATION) {
            throw new IllegalStateException("expected a classification request, got " + check);
        }
        if (planned.optimize(request).tokensSaved() <= 0) {
            throw new IllegalStateException("compression saved nothing: " + planned.optimize(request));
        }
    }

    /**
     * The learned path.
     *
     * @return the optimized request
     */
    @Benchmark
    public OptimizedRequest optimize() {
        return optimizer.optimize(request);
    }

    /**
     * The learned path for a ticket the optimizer has not seen (4,096 distinct tickets in turn): the
     * user message's two token counts are jtokkit's every time, only the system prompt's count is
     * one the optimizer has kept.
     *
     * @return the optimized request
     */
    @Benchmark
    public OptimizedRequest optimizeNewTicket() {
        ChatRequest next = newTickets[nextTicket];
        nextTicket = (nextTicket + 1) & (NEW_TICKETS - 1);
        return optimizer.optimize(next);
    }

    /**
     * A fixed plan: compression, no bandit.
     *
     * @return the optimized request
     */
    @Benchmark
    public OptimizedRequest optimizePlanned() {
        return planned.optimize(request);
    }

    /**
     * Baseline: detection alone.
     *
     * @return the detection
     */
    @Benchmark
    public TaskDetection detect() {
        return optimizer.detect(request);
    }

    private static ChatRequest ticket(String ticket) {
        return ChatRequest.builder().messages(
                SystemMessage.from("You triage support tickets. Classify each ticket as BUG, BILLING or QUESTION and reply with the "
                        + "category only."),
                UserMessage.from("Hi team,\n\n" + ticket + "\n\n> " + ticket + "\n\nThanks in advance!\nKind regards,\nDana"))
                .build();
    }

    /**
     * Baseline: one token count of the request, as the router's budget estimate makes it.
     *
     * @return the count
     */
    @Benchmark
    public int countTokens() {
        return TokenEstimator.standard().estimateInputTokens(request.messages());
    }
}
