package dev.llmunit.core.optimize;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites requests to get better or cheaper answers, and learns which rewrites pay off. For each
 * request it detects the {@link TaskType}, picks a set of the strategies that apply (per task type,
 * from its {@link OptimizationHistory}, with Thompson sampling seeded so the same request and
 * history always get the same choice), applies them in order, and returns an
 * {@link OptimizedRequest}. After the call, {@link #learn} scores the answer with the
 * {@link QualityScorer} and adds the outcome (quality, cost) to the history.
 *
 * <pre>{@code
 * QueryOptimizer optimizer = QueryOptimizer.builder()
 *         .scorer(QualityScorer.assertion(answer -> answer.contains("\"category\"")))
 *         .historyFile(Path.of("target/optimizer-history.json"))
 *         .build();
 * Router router = Router.builder().provider("openai", model).optimizer(optimizer).build();
 * router.route(request).trace().optimization();   // what the optimizer did
 * optimizer.saveHistory();
 * }</pre>
 *
 * <p>Thread-safe; build one and share it.
 */
public final class QueryOptimizer {

    /** Prompts and answers kept as few-shot examples are cut to this many characters: {@value}. */
    public static final int EXAMPLE_MAX_CHARS = 1_000;

    /** Above this many applicable strategies the arms are none, each alone and all, not every subset: {@value}. */
    static final int MAX_SUBSET_STRATEGIES = 6;

    private final List<OptimizationStrategy> strategies;
    private final List<String> names;
    private final int[] bits;
    private final Map<TaskType, long[]> plans;
    private final TaskDetector detector;
    private final @Nullable TaskType taskType;
    private final long seed;
    private final double costWeight;
    private final OptimizationHistory history;
    private final @Nullable Path historyFile;
    private final QualityScorer scorer;
    private final TokenCounts tokens;
    private final boolean keepExamples;
    private final int fewShotExamples;
    private final AtomicLong scoringFailures = new AtomicLong();

    QueryOptimizer(QueryOptimizerBuilder builder, List<OptimizationStrategy> strategies, Map<TaskType, List<String>> plans,
            OptimizationHistory history) {
        this.strategies = List.copyOf(strategies);
        List<String> named = new ArrayList<>();
        this.bits = new int[strategies.size()];
        for (int i = 0; i < strategies.size(); i++) {
            named.add(strategies.get(i).name());
            bits[i] = history.bitOf(strategies.get(i).name());
        }
        this.names = List.copyOf(named);
        EnumMap<TaskType, long[]> planned = new EnumMap<>(TaskType.class);
        plans.forEach((type, plan) -> {
            long[] plan1 = new long[] {0};
            for (String name : plan) {
                plan1[0] |= 1L << names.indexOf(name);
            }
            planned.put(type, plan1);
        });
        this.plans = planned;
        this.detector = builder.detector;
        this.taskType = builder.taskType;
        this.seed = builder.seed;
        this.costWeight = builder.costWeight;
        this.history = history;
        this.historyFile = builder.historyFile;
        this.scorer = builder.scorer;
        this.tokens = new TokenCounts(builder.tokenEstimator);
        this.keepExamples = builder.keepExamples;
        int examples = 0;
        for (OptimizationStrategy strategy : strategies) {
            if (strategy instanceof FewShotStrategy) {
                examples = OptimizationHistory.EXAMPLES_KEPT;
            }
        }
        this.fewShotExamples = examples;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder with the five built-in strategies
     */
    public static QueryOptimizerBuilder builder() {
        return new QueryOptimizerBuilder();
    }

    /**
     * An optimizer with every default: the five strategies, the standard detector, an empty history
     * of {@value OptimizationHistory#DEFAULT_CAPACITY}, {@link QualityScorer#wellFormed()}.
     *
     * @return a new optimizer
     */
    public static QueryOptimizer standard() {
        return builder().build();
    }

    /**
     * Optimizes a request, detecting its task type (or using the builder's fixed one).
     *
     * @param request the request as the caller wrote it
     * @return the rewritten request and what was done
     */
    public OptimizedRequest optimize(ChatRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        return optimize(request, taskType == null ? detector.detect(request) : TaskDetection.overridden(taskType));
    }

    /**
     * Optimizes a request as a task of the given type, skipping detection.
     *
     * @param request the request as the caller wrote it
     * @param type the task type to treat it as
     * @return the rewritten request and what was done
     */
    public OptimizedRequest optimize(ChatRequest request, TaskType type) {
        Objects.requireNonNull(request, "request must not be null");
        return optimize(request, TaskDetection.overridden(Objects.requireNonNull(type, "task type must not be null")));
    }

    /**
     * Detects a request's task type as {@link #optimize(ChatRequest)} would.
     *
     * @param request the request
     * @return the detection
     */
    public TaskDetection detect(ChatRequest request) {
        return taskType == null ? detector.detect(request) : TaskDetection.overridden(taskType);
    }

    private OptimizedRequest optimize(ChatRequest request, TaskDetection task) {
        TaskType type = task.type();
        List<HistoryEntry> examples = fewShotExamples == 0 ? List.of() : history.examples(type, fewShotExamples);
        StrategyContext context = new StrategyContext(task, examples);
        int n = strategies.size();
        long applicable = 0;
        for (int i = 0; i < n; i++) {
            if (strategies.get(i).appliesTo(request, context)) {
                applicable |= 1L << i;
            }
        }
        long[] plan = plans.get(type);
        long chosen = plan != null ? plan[0] & applicable : choose(request, type, applicable);
        ChatRequest rewritten = request;
        List<String> applied = new ArrayList<>(Long.bitCount(chosen));
        for (int i = 0; i < n; i++) {
            if ((chosen & (1L << i)) != 0) {
                OptimizationStrategy strategy = strategies.get(i);
                if (rewritten == request || strategy.appliesTo(rewritten, context)) {
                    ChatRequest next = Objects.requireNonNull(strategy.apply(rewritten, context),
                            () -> "optimization strategy " + strategy.name() + " returned null; return the request unchanged instead");
                    rewritten = next;
                    applied.add(strategy.name());
                }
            }
        }
        int before = tokens.estimate(request.messages());
        int after = rewritten.messages() == request.messages() ? before : tokens.estimate(rewritten.messages());
        return new OptimizedRequest(rewritten, request, task, applied, before, after, history.estimate(type, applied));
    }

    /** Thompson sampling over the subsets of the applicable strategies; returns a mask of strategy indices. */
    private long choose(ChatRequest request, TaskType type, long applicable) {
        int k = Long.bitCount(applicable);
        if (k == 0) {
            return 0;
        }
        int[] indices = new int[k];
        for (int i = 0, j = 0; i < strategies.size(); i++) {
            if ((applicable & (1L << i)) != 0) {
                indices[j++] = i;
            }
        }
        int arms = k <= MAX_SUBSET_STRATEGIES ? 1 << k : k + 2;
        long[] local = new long[arms];   // masks over strategy indices
        long[] global = new long[arms];  // the same sets as history bits
        for (int arm = 0; arm < arms; arm++) {
            long subset;
            if (k <= MAX_SUBSET_STRATEGIES) {
                subset = arm;
            } else {
                subset = arm == 0 ? 0 : arm <= k ? 1L << (arm - 1) : (1L << k) - 1;
            }
            for (int j = 0; j < k; j++) {
                if ((subset & (1L << j)) != 0) {
                    local[arm] |= 1L << indices[j];
                    global[arm] |= 1L << bits[indices[j]];
                }
            }
        }
        long[] counts = new long[arms];
        double[] qualities = new double[arms];
        double[] costs = new double[arms];
        double typeCost = history.read(type, global, arms, counts, qualities, costs);
        long state = mix(seed ^ mix(textHash(request)) ^ mix(history.added() + 0x9E3779B97F4A7C15L));
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int arm = 0; arm < arms; arm++) {
            state += 0x9E3779B97F4A7C15L;
            double u1 = unit(mix(state));
            state += 0x9E3779B97F4A7C15L;
            double u2 = unit(mix(state));
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            long count = counts[arm];
            double alpha = 1 + qualities[arm];
            double beta = 1 + count - qualities[arm];
            double total = alpha + beta;
            double draw = alpha / total + z * Math.sqrt(alpha * beta / (total * total * (total + 1)));
            double relativeCost = count == 0 || typeCost <= 0 ? 1 : costs[arm] / count / typeCost;
            double value = draw - costWeight * relativeCost;
            if (value > bestValue) {
                bestValue = value;
                best = arm;
            }
        }
        return local[best];
    }

    /**
     * Scores the answer with the optimizer's {@link QualityScorer} and records the outcome. A scorer
     * that throws or returns a value outside 0..1 records nothing (counted in {@link #scoringFailures()}).
     *
     * @param optimized what {@link #optimize} returned for the call
     * @param response the answer
     * @param cost what the call cost
     * @return true when an outcome was recorded
     */
    public boolean learn(OptimizedRequest optimized, ChatResponse response, Usd cost) {
        AiMessage message = response.aiMessage();
        String answer = message == null || message.text() == null ? "" : message.text();
        double quality;
        try {
            quality = scorer.score(optimized.original(), answer);
        } catch (RuntimeException failed) {
            scoringFailures.incrementAndGet();
            return false;
        }
        if (!(quality >= 0 && quality <= 1)) {
            scoringFailures.incrementAndGet();
            return false;
        }
        record(optimized, quality, cost, answer);
        return true;
    }

    /**
     * Records an outcome scored elsewhere, such as a test's pass (1) or fail (0).
     *
     * @param optimized what {@link #optimize} returned for the call
     * @param quality the score from 0 to 1
     * @param cost what the call cost
     * @param answer the answer's text, kept as a few-shot example when good enough; null to keep none
     */
    public void record(OptimizedRequest optimized, double quality, Usd cost, @Nullable String answer) {
        String prompt = null;
        String example = null;
        if (keepExamples && answer != null && !answer.isBlank() && quality >= OptimizationHistory.EXAMPLE_MIN_QUALITY) {
            String sent = Messages.lastUserText(optimized.request());
            if (!sent.isBlank()) {
                prompt = Messages.shorten(sent, EXAMPLE_MAX_CHARS);
                example = Messages.shorten(answer, EXAMPLE_MAX_CHARS);
            }
        }
        history.add(new HistoryEntry(optimized.taskType(), optimized.strategies(), quality, cost, prompt, example));
    }

    /**
     * The history's expected quality of a task type with exactly these strategies.
     *
     * @param type the task type
     * @param strategyNames strategy names, in any order
     * @return the estimate with its uncertainty
     * @throws IllegalArgumentException for a name that is not one of this optimizer's strategies
     */
    public QualityEstimate qualityEstimate(TaskType type, Collection<String> strategyNames) {
        for (String name : strategyNames) {
            requireKnown(name, names);
        }
        return history.estimate(type, strategyNames);
    }

    /**
     * The learned history.
     *
     * @return the live history
     */
    public OptimizationHistory history() {
        return history;
    }

    /**
     * Writes the history to the builder's {@code historyFile}.
     *
     * @throws IllegalStateException when no history file was configured
     */
    public void saveHistory() {
        if (historyFile == null) {
            throw new IllegalStateException("no history file configured: set QueryOptimizer.builder().historyFile(path), or call "
                    + "saveHistory(path)");
        }
        history.save(historyFile);
    }

    /**
     * Writes the history to a file.
     *
     * @param file the file
     */
    public void saveHistory(Path file) {
        history.save(file);
    }

    /**
     * The strategies' names, in the order they are applied.
     *
     * @return the names
     */
    public List<String> strategyNames() {
        return names;
    }

    /**
     * The scorer {@link #learn} uses.
     *
     * @return the scorer
     */
    public QualityScorer scorer() {
        return scorer;
    }

    /**
     * Outcomes not recorded because the scorer failed or gave a score outside 0..1.
     *
     * @return the count since the optimizer was built
     */
    public long scoringFailures() {
        return scoringFailures.get();
    }

    @Override
    public String toString() {
        return "QueryOptimizer" + names + (plans.isEmpty() ? "" : " plans " + plans.keySet());
    }

    static void requireKnown(String name, Collection<String> known) {
        if (!known.contains(name)) {
            throw new IllegalArgumentException("unknown optimization strategy '" + name + "'; known strategies: " + String.join(", ", known));
        }
    }

    private static long textHash(ChatRequest request) {
        long hash = 17;
        for (ChatMessage message : request.messages()) {
            String text = Messages.text(message);
            hash = hash * 31 + (text == null ? 0 : text.hashCode());
        }
        return hash;
    }

    /** SplitMix64's finaliser: a fixed, well-mixed function of the state, so choices are reproducible. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A double in (0, 1], never 0, for the logarithm. */
    private static double unit(long bits) {
        return ((bits >>> 11) + 1) * 0x1.0p-53;
    }
}
