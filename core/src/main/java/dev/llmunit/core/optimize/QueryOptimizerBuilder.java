package dev.llmunit.core.optimize;

import dev.llmunit.core.cost.TokenEstimator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link QueryOptimizer}. Every setter validates at once and names the bad value.
 * Defaults: the five built-in strategies applied in the order compression, few-shot,
 * structured-output, step-by-step, parameter-tuning; {@link TaskDetector#standard()}; seed
 * {@value #DEFAULT_SEED}; cost weight {@value #DEFAULT_COST_WEIGHT}; an empty history of
 * {@value OptimizationHistory#DEFAULT_CAPACITY} entries; {@link QualityScorer#wellFormed()};
 * {@link TokenEstimator#standard()}; good answers kept as few-shot examples.
 */
public final class QueryOptimizerBuilder {

    /** The bandit's default seed: {@value}. */
    public static final long DEFAULT_SEED = 42L;

    /**
     * How much a strategy set's relative cost (its mean cost over the task type's mean cost) weighs
     * against its quality (0 to 1) when choosing: {@value}. At 0.1, a set that costs twice the
     * average must score 0.1 higher to be preferred.
     */
    public static final double DEFAULT_COST_WEIGHT = 0.1;

    private final Map<String, OptimizationStrategy> strategies = new LinkedHashMap<>();
    private final Map<TaskType, List<String>> plans = new EnumMap<>(TaskType.class);
    TaskDetector detector = TaskDetector.standard();
    @Nullable TaskType taskType;
    long seed = DEFAULT_SEED;
    double costWeight = DEFAULT_COST_WEIGHT;
    private @Nullable OptimizationHistory history;
    private int historyCapacity = OptimizationHistory.DEFAULT_CAPACITY;
    @Nullable Path historyFile;
    QualityScorer scorer = QualityScorer.wellFormed();
    TokenEstimator tokenEstimator = TokenEstimator.standard();
    boolean keepExamples = true;

    QueryOptimizerBuilder() {
        for (OptimizationStrategy builtIn : builtIns()) {
            strategies.put(builtIn.name(), builtIn);
        }
    }

    /**
     * The names of the built-in strategies, in their order.
     *
     * @return compression, few-shot, structured-output, step-by-step, parameter-tuning
     */
    public static List<String> builtInNames() {
        List<String> names = new ArrayList<>();
        for (OptimizationStrategy strategy : builtIns()) {
            names.add(strategy.name());
        }
        return names;
    }

    private static List<OptimizationStrategy> builtIns() {
        return List.of(new CompressionStrategy(), new FewShotStrategy(), new StructuredOutputStrategy(), new StepByStepStrategy(),
                new ParameterTuningStrategy());
    }

    /**
     * Keeps only these of the strategies configured so far, in their existing order.
     *
     * <pre>{@code QueryOptimizer.builder().strategies("compression", "parameter-tuning")}</pre>
     *
     * @param names strategy names, at least one
     * @return this builder
     * @throws IllegalArgumentException for a name that is not a configured strategy, listing the known names
     */
    public QueryOptimizerBuilder strategies(String... names) {
        Objects.requireNonNull(names, "strategy names must not be null");
        if (names.length == 0) {
            throw new IllegalArgumentException("strategies(..) needs at least one strategy name; known strategies: "
                    + String.join(", ", strategies.keySet()));
        }
        for (String name : names) {
            QueryOptimizer.requireKnown(name, strategies.keySet());
        }
        strategies.keySet().retainAll(List.of(names));
        return this;
    }

    /**
     * Adds a strategy after the others, or replaces the strategy of the same name in its place
     * (for instance a {@link ParameterTuningStrategy} with your own table).
     *
     * @param strategy the strategy
     * @return this builder
     */
    public QueryOptimizerBuilder strategy(OptimizationStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy must not be null");
        String name = strategy.name();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("strategy " + strategy + " has a blank name; give each strategy a unique name");
        }
        strategies.put(name, strategy);
        return this;
    }

    /**
     * Fixes the strategies for one task type instead of learning them: requests of that type
     * always get these (those that apply), for experiments that test one rewrite.
     *
     * @param type the task type
     * @param names the strategy names; none means the request is never changed
     * @return this builder
     * @throws IllegalArgumentException for a name that is not a configured strategy, listing the known names
     */
    public QueryOptimizerBuilder plan(TaskType type, String... names) {
        Objects.requireNonNull(type, "task type must not be null");
        for (String name : names) {
            QueryOptimizer.requireKnown(name, strategies.keySet());
        }
        plans.put(type, List.of(names));
        return this;
    }

    /**
     * The task-type detector.
     *
     * @param detector the detector (default {@link TaskDetector#standard()})
     * @return this builder
     */
    public QueryOptimizerBuilder detector(TaskDetector detector) {
        this.detector = Objects.requireNonNull(detector, "detector must not be null");
        return this;
    }

    /**
     * Treats every request as this task type, skipping detection.
     *
     * @param type the task type
     * @return this builder
     */
    public QueryOptimizerBuilder taskType(TaskType type) {
        this.taskType = Objects.requireNonNull(type, "task type must not be null");
        return this;
    }

    /**
     * The bandit's seed; with the same seed, request and history the choice is always the same.
     *
     * @param seed any number (default {@value #DEFAULT_SEED})
     * @return this builder
     */
    public QueryOptimizerBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * How much relative cost weighs against quality when choosing strategies.
     *
     * @param weight 0 (quality only) or more (default {@value #DEFAULT_COST_WEIGHT})
     * @return this builder
     */
    public QueryOptimizerBuilder costWeight(double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("cost weight must be 0 or more, but was " + weight);
        }
        this.costWeight = weight;
        return this;
    }

    /**
     * Learns into (and chooses from) this history, for instance one shared by several optimizers.
     *
     * @param history the history
     * @return this builder
     */
    public QueryOptimizerBuilder history(OptimizationHistory history) {
        this.history = Objects.requireNonNull(history, "history must not be null");
        return this;
    }

    /**
     * The capacity of the optimizer's own history (ignored with {@link #history(OptimizationHistory)}).
     *
     * @param capacity at least 1 (default {@value OptimizationHistory#DEFAULT_CAPACITY})
     * @return this builder
     */
    public QueryOptimizerBuilder historyCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be at least 1, but was " + capacity);
        }
        this.historyCapacity = capacity;
        return this;
    }

    /**
     * A history file: loaded at {@link #build()} when it exists (an empty history otherwise), and
     * written by {@link QueryOptimizer#saveHistory()}.
     *
     * @param file the JSON file
     * @return this builder
     */
    public QueryOptimizerBuilder historyFile(Path file) {
        this.historyFile = Objects.requireNonNull(file, "history file must not be null");
        return this;
    }

    /**
     * Scores answers for {@link QueryOptimizer#learn}.
     *
     * @param scorer the scorer (default {@link QualityScorer#wellFormed()})
     * @return this builder
     */
    public QueryOptimizerBuilder scorer(QualityScorer scorer) {
        this.scorer = Objects.requireNonNull(scorer, "scorer must not be null");
        return this;
    }

    /**
     * Counts the tokens before and after optimizing.
     *
     * @param estimator the estimator (default {@link TokenEstimator#standard()})
     * @return this builder
     */
    public QueryOptimizerBuilder tokenEstimator(TokenEstimator estimator) {
        this.tokenEstimator = Objects.requireNonNull(estimator, "tokenEstimator must not be null");
        return this;
    }

    /**
     * Whether well-scored exchanges (prompt and answer, shortened) are kept in the history as
     * few-shot examples. They are written to the history file: turn this off when prompts hold
     * data that must not be stored.
     *
     * @param keep true to keep them (default)
     * @return this builder
     */
    public QueryOptimizerBuilder keepExamples(boolean keep) {
        this.keepExamples = keep;
        return this;
    }

    /**
     * Builds the optimizer, loading the history file if one was set and exists.
     *
     * @return a thread-safe optimizer
     * @throws InvalidHistoryException when the history file is corrupt or names unknown strategies
     */
    public QueryOptimizer build() {
        if (strategies.isEmpty()) {
            throw new IllegalStateException("an optimizer needs at least one strategy");
        }
        for (Map.Entry<TaskType, List<String>> plan : plans.entrySet()) {
            for (String name : plan.getValue()) {
                if (!strategies.containsKey(name)) {
                    throw new IllegalStateException("the plan for " + plan.getKey() + " names strategy '" + name + "', which strategies(..) "
                            + "removed; known strategies: " + String.join(", ", strategies.keySet()));
                }
            }
        }
        OptimizationHistory used = history;
        if (used == null) {
            used = historyFile != null && Files.exists(historyFile)
                    ? OptimizationHistory.load(historyFile, strategies.keySet(), historyCapacity)
                    : new OptimizationHistory(historyCapacity);
        }
        return new QueryOptimizer(this, new ArrayList<>(strategies.values()), plans, used);
    }
}
