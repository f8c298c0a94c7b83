package dev.llmunit.benchmarks;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.cost.Cost;
import dev.llmunit.core.cost.CostCalculator;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.UnknownPricePolicy;
import dev.llmunit.core.cost.Usage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of pricing one typical call: an OpenAI response of {@code gpt-4o-mini-2024-07-18} with
 * 1,000 prompt tokens (200 cached) and 500 completion tokens. {@link #convertUsage} is the step it
 * builds on (reading LangChain4j's usage); {@link #computeCost} is the whole accounting the router
 * does per successful attempt: convert the usage, resolve the dated model name, apply the rates.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CostBenchmark -prof gc}. Target:
 * {@code computeCost <= 300 ns}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CostBenchmark {

    private TokenUsage tokenUsage;
    private CostCalculator costs;

    /** Builds the usage and the calculator over the bundled catalog; checks the worked example. */
    @Setup(Level.Trial)
    public void setUp() {
        tokenUsage = OpenAiTokenUsage.builder()
                .inputTokenCount(1000)
                .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(200).build())
                .outputTokenCount(500)
                .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(0).build())
                .totalTokenCount(1500)
                .build();
        costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.fail());
        Cost check = computeCost();
        if (!check.usd().toString().equals("$0.000435")) {
            throw new IllegalStateException("expected the worked example to cost $0.000435, but was " + check);
        }
    }

    /**
     * Baseline: LangChain4j's usage read into llmunit's {@link Usage}.
     *
     * @return the usage
     */
    @Benchmark
    public Usage convertUsage() {
        return Usage.from(tokenUsage);
    }

    /**
     * The full per-call accounting: usage, model resolution and exact rates.
     *
     * @return the cost
     */
    @Benchmark
    public Cost computeCost() {
        return costs.cost("gpt-4o-mini-2024-07-18", "gpt-4o-mini", Usage.from(tokenUsage));
    }
}
