package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.internal.DefaultEnsemble;
import dev.llmunit.core.internal.EnsembleConfig;
import dev.llmunit.core.internal.JudgeScoreFilter;
import dev.llmunit.core.internal.VoteMerge;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.route.RouterBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link Ensemble}. Every setter validates at once and names the bad value. Defaults:
 * {@link AnswerKey#normalizedText()}, {@link MergeStrategy#majorityVote()}, no filters, no timeout,
 * {@code minMembers(1)}, no early stop, {@link SampleVariation#systemNote()}, no calibration, no
 * budget, no metrics, and the routers' shared executor.
 */
public final class EnsembleBuilder {

    /** Default ensemble name, the {@code llmunit.ensemble} tag on its meters: {@value}. */
    public static final String DEFAULT_NAME = "ensemble";

    private String name = DEFAULT_NAME;
    private final Map<String, ChatModel> models = new LinkedHashMap<>();
    private final Map<String, MemberSettings> settings = new LinkedHashMap<>();
    private final List<Consumer<RouterBuilder>> routerDefaults = new ArrayList<>();
    private AnswerKey answerKey = AnswerKey.normalizedText();
    private MergeStrategy merge = MergeStrategy.majorityVote();
    private final List<AnswerFilter> filters = new ArrayList<>();
    private @Nullable Duration timeout;
    private int minMembers = 1;
    private boolean earlyStop;
    private SampleVariation sampleVariation = SampleVariation.systemNote();
    private @Nullable ConfidenceCalibration calibration;
    private @Nullable Executor executor;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable BudgetLedger budgetLedger;
    private final Map<String, @Nullable Usd> budgetScopes = new LinkedHashMap<>();
    private @Nullable Usd maxCostPerRun;
    private EnsembleBudgetPolicy budgetPolicy = EnsembleBudgetPolicy.REFUSE;
    private @Nullable QueryOptimizer optimizer;

    EnsembleBuilder() {}

    /**
     * The ensemble's name: the {@code llmunit.ensemble} tag on its meters, the prefix of the routers
     * it wraps plain models in, and its label in reports.
     *
     * @param name a short name (default {@value #DEFAULT_NAME})
     * @return this builder
     */
    public EnsembleBuilder name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ensemble name must not be blank, but was '" + name + "'");
        }
        this.name = name;
        return this;
    }

    /**
     * Adds a member with weight 1, asked once per run.
     *
     * @param name a unique name, used in results, metrics and reports
     * @param model a {@code Router}, used as it is, or any LangChain4j model, which the ensemble wraps
     *     in a one-provider router (build it with {@code maxRetries(0)}: the router retries)
     * @return this builder
     */
    public EnsembleBuilder member(String name, ChatModel model) {
        return member(name, model, member -> {});
    }

    /**
     * Adds a member and sets its weight, samples and model name.
     *
     * @param name a unique name, used in results, metrics and reports
     * @param model a {@code Router}, used as it is, or any LangChain4j model, which the ensemble wraps
     *     in a one-provider router
     * @param configure sets {@link MemberSettings#weight(double)}, {@link MemberSettings#samples(int)}, …
     * @return this builder
     */
    public EnsembleBuilder member(String name, ChatModel model, Consumer<MemberSettings> configure) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("member name must not be blank, but was '" + name + "'");
        }
        if (name.contains("#")) {
            throw new IllegalArgumentException("member name '" + name + "' must not contain '#', which separates a member from its sample"
                    + " number in results (openai#2)");
        }
        if (models.containsKey(name)) {
            throw new IllegalArgumentException("member name '" + name + "' is already used; give each member a distinct name"
                    + " (for the same model asked several times, use samples(n))");
        }
        Objects.requireNonNull(model, () -> "model of member '" + name + "' must not be null");
        if (model instanceof Ensemble) {
            throw new IllegalArgumentException("member '" + name + "' is an Ensemble; members are routers or models, so nest the"
                    + " inner ensemble's members here instead");
        }
        MemberSettings member = new MemberSettings(name);
        Objects.requireNonNull(configure, "configure must not be null").accept(member);
        models.put(name, model);
        settings.put(name, member);
        return this;
    }

    /**
     * Configures the one-provider routers the ensemble wraps plain models in (members, judges,
     * fusers): retries, circuit breaker, price catalog, observation. Called once per wrapped model,
     * after the provider is added; do not add providers here. Members that are already routers keep
     * their own settings.
     *
     * @param configure changes each wrapping router's builder
     * @return this builder
     */
    public EnsembleBuilder routerDefaults(Consumer<RouterBuilder> configure) {
        routerDefaults.add(Objects.requireNonNull(configure, "configure must not be null"));
        return this;
    }

    /**
     * When two answers are the same answer.
     *
     * @param answerKey the key (default {@link AnswerKey#normalizedText()})
     * @return this builder
     */
    public EnsembleBuilder answerKey(AnswerKey answerKey) {
        this.answerKey = Objects.requireNonNull(answerKey, "answerKey must not be null");
        return this;
    }

    /**
     * How the answers become one.
     *
     * @param strategy the strategy (default {@link MergeStrategy#majorityVote()})
     * @return this builder
     */
    public EnsembleBuilder merge(MergeStrategy strategy) {
        this.merge = Objects.requireNonNull(strategy, "strategy must not be null");
        return this;
    }

    /**
     * Adds a quality filter; filters run in the order added, and the first reason wins.
     *
     * @param filter the filter
     * @return this builder
     */
    public EnsembleBuilder filter(AnswerFilter filter) {
        filters.add(Objects.requireNonNull(filter, "filter must not be null"));
        return this;
    }

    /**
     * Waits at most this long for members: the run then goes on with what arrived if at least
     * {@link #minMembers(int)} answered (the rest are cancelled, {@link MemberOutcome#TIMED_OUT}),
     * and fails with {@link EnsembleException.NotEnoughAnswers} otherwise. Judge and fuser calls
     * come after and are not part of it.
     *
     * @param timeout more than zero (default: wait for every member)
     * @return this builder
     */
    public EnsembleBuilder timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ensemble timeout must be more than zero, but was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /**
     * The least answers (that passed the filters) a run needs.
     *
     * @param minMembers at least 1, at most the member samples (default 1)
     * @return this builder
     */
    public EnsembleBuilder minMembers(int minMembers) {
        if (minMembers < 1) {
            throw new IllegalArgumentException("minMembers must be at least 1, but was " + minMembers);
        }
        this.minMembers = minMembers;
        return this;
    }

    /**
     * Cancels the members still running once the winning answer cannot change: when the leading
     * cluster is ahead of the second by more than the votes (or weight) still outstanding. Only for
     * {@link MergeStrategy#majorityVote()} and {@link MergeStrategy#weightedConsensus()}, and not
     * with a judge filter, which needs every answer. Which members are cancelled depends on which
     * answer first, so over recorded fixtures (which all answer at once) the set can differ between
     * runs; leave it off where cost must repeat exactly.
     *
     * @return this builder
     */
    public EnsembleBuilder earlyStop() {
        this.earlyStop = true;
        return this;
    }

    /**
     * How the samples of a member with {@code samples(n)} become distinct requests.
     *
     * @param variation the variation (default {@link SampleVariation#systemNote()})
     * @return this builder
     */
    public EnsembleBuilder sampleVariation(SampleVariation variation) {
        this.sampleVariation = Objects.requireNonNull(variation, "variation must not be null");
        return this;
    }

    /**
     * Calibrates the confidence: {@link EnsembleResult#confidence()} is then the calibrated value.
     *
     * @param calibration a fitted or loaded calibration
     * @return this builder
     */
    public EnsembleBuilder calibration(ConfidenceCalibration calibration) {
        this.calibration = Objects.requireNonNull(calibration, "calibration must not be null");
        return this;
    }

    /**
     * The executor {@link Ensemble#runAsync} runs on (members always run on their routers' executors).
     * It must run each task on its own thread, since a run blocks while it waits for members.
     *
     * @param executor the executor (default: the routers' shared pool of daemon threads)
     * @return this builder
     */
    public EnsembleBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor must not be null");
        return this;
    }

    /**
     * The Micrometer registry for the ensemble's meters, tagged {@code llmunit.ensemble}:
     * {@code llmunit.ensemble.calls} (timer, by {@code llmunit.merge} and {@code llmunit.outcome}),
     * {@code llmunit.ensemble.agreement} (distribution of the winner's share),
     * {@code llmunit.ensemble.members} (counter by {@code llmunit.member} and {@code llmunit.outcome})
     * and {@code llmunit.ensemble.fallbacks}. The routers it wraps plain models in report their
     * {@code llmunit.calls} and the rest to it too, named {@code <ensemble>-<member>}.
     *
     * @param registry the registry (default: none, and no metric work at all)
     * @return this builder
     */
    public EnsembleBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry must not be null");
        return this;
    }

    /**
     * The ledger that holds the ensemble's budget scopes.
     *
     * @param ledger the ledger (default: a new {@link BudgetLedger#inMemory()})
     * @return this builder
     */
    public EnsembleBuilder budgetLedger(BudgetLedger ledger) {
        this.budgetLedger = Objects.requireNonNull(ledger, "budgetLedger must not be null");
        return this;
    }

    /**
     * Charges every run to a budget scope with a limit. A run reserves the estimate of all its member
     * samples before calling any, and settles their actual cost after; see
     * {@link #budgetPolicy(EnsembleBudgetPolicy)} for a run the scope cannot afford.
     *
     * @param scope the scope name
     * @param limit the most the scope may spend
     * @return this builder
     */
    public EnsembleBuilder budget(String scope, Usd limit) {
        requireScope(scope);
        budgetScopes.put(scope, Objects.requireNonNull(limit, () -> "limit of budget scope '" + scope + "' must not be null"));
        return this;
    }

    /**
     * Charges every run to a budget scope whose limit (if any) is set on the ledger elsewhere.
     *
     * @param scope the scope name
     * @return this builder
     */
    public EnsembleBuilder budgetScope(String scope) {
        requireScope(scope);
        budgetScopes.putIfAbsent(scope, null);
        return this;
    }

    /**
     * Refuses (or, by the policy, trims) any run whose members' estimates add up to more than this.
     *
     * @param limit the most one run's members may be estimated to cost
     * @return this builder
     */
    public EnsembleBuilder maxCostPerRun(Usd limit) {
        Objects.requireNonNull(limit, "maxCostPerRun must not be null");
        if (limit.equals(Usd.ZERO)) {
            throw new IllegalArgumentException("maxCostPerRun must be more than $0, but was " + limit);
        }
        this.maxCostPerRun = limit;
        return this;
    }

    /**
     * What a run does when the budget cannot afford all its member samples.
     *
     * @param policy the policy (default {@link EnsembleBudgetPolicy#REFUSE})
     * @return this builder
     */
    public EnsembleBuilder budgetPolicy(EnsembleBudgetPolicy policy) {
        this.budgetPolicy = Objects.requireNonNull(policy, "budgetPolicy must not be null");
        return this;
    }

    /**
     * Builds the ensemble.
     *
     * @return a thread-safe ensemble
     * @throws IllegalStateException when the members or options do not fit together, saying how to fix it
     */
    public Ensemble build() {
        if (models.isEmpty()) {
            throw new IllegalStateException("an ensemble needs at least one member: call member(name, model) before build()");
        }
        int samples = 0;
        double weight = 0;
        for (MemberSettings member : settings.values()) {
            samples += member.samples();
            weight += member.weight() * member.samples();
        }
        if (weight <= 0) {
            throw new IllegalStateException("every member of ensemble '" + name + "' has weight 0, so no answer could win; give at least"
                    + " one member a weight above 0");
        }
        if (minMembers > samples) {
            throw new IllegalStateException("minMembers is " + minMembers + " but ensemble '" + name + "' asks only " + samples
                    + " member samples per run; lower minMembers or add members");
        }
        if (earlyStop && !(merge instanceof VoteMerge)) {
            throw new IllegalStateException("earlyStop() needs a voting strategy (majorityVote() or weightedConsensus()), but the strategy"
                    + " is " + merge.name() + ", which needs every answer; remove earlyStop() or vote");
        }
        if (earlyStop && filters.stream().anyMatch(JudgeScoreFilter.class::isInstance)) {
            throw new IllegalStateException("earlyStop() cannot be combined with AnswerFilter.judgeScoreAtLeast(..), which judges every"
                    + " answer together; remove one of them");
        }
        List<EnsembleConfig.Member> members = new ArrayList<>();
        for (Map.Entry<String, ChatModel> entry : models.entrySet()) {
            MemberSettings member = settings.get(entry.getKey());
            members.add(new EnsembleConfig.Member(entry.getKey(), entry.getValue(), member.weight(), member.samples(), member.modelName()));
        }
        return new DefaultEnsemble(new EnsembleConfig(name, members, List.copyOf(routerDefaults), answerKey, merge, List.copyOf(filters),
                timeout, minMembers, earlyStop, sampleVariation, calibration, executor, meterRegistry, budgetLedger, budgetScopes,
                maxCostPerRun, budgetPolicy, optimizer));
    }

    /**
     * Sends every run's request through a query optimizer first: every member gets the optimizer's
     * rewrite, the result's trace says what was done ({@link dev.llmunit.core.trace.Trace#optimization()}),
     * and after a run the optimizer learns from the chosen answer and the run's cost. Members'
     * own routers should then have no optimizer of their own, or requests are rewritten twice.
     *
     * @param optimizer the optimizer (default: none)
     * @return this builder
     */
    public EnsembleBuilder optimizer(QueryOptimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer must not be null");
        return this;
    }

    private static void requireScope(String scope) {
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("budget scope must not be blank, but was '" + scope + "'");
        }
    }
}
