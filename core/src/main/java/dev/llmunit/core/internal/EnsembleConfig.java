package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.ensemble.AnswerFilter;
import dev.llmunit.core.ensemble.AnswerKey;
import dev.llmunit.core.ensemble.ConfidenceCalibration;
import dev.llmunit.core.ensemble.EnsembleBudgetPolicy;
import dev.llmunit.core.ensemble.MergeStrategy;
import dev.llmunit.core.ensemble.SampleVariation;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.route.RouterBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What {@link dev.llmunit.core.ensemble.EnsembleBuilder#build()} hands the implementation: a
 * snapshot of the builder.
 *
 * @param name the ensemble's name
 * @param members the members in declaration order
 * @param routerDefaults configure the routers plain models are wrapped in
 * @param answerKey the answer key
 * @param merge the merge strategy
 * @param filters the quality filters in order
 * @param timeout the wait for members, or null for no limit
 * @param minMembers the least answers a run needs
 * @param earlyStop whether to cancel members once the winner is certain
 * @param sampleVariation how samples become distinct requests
 * @param calibration the confidence calibration, or null
 * @param executor the executor of runAsync, or null for the routers' shared one
 * @param meterRegistry the meter registry, or null
 * @param budgetLedger the ledger, or null for a new in-memory one when scopes exist
 * @param budgetScopes budget scopes in order, each with its limit or null
 * @param maxCostPerRun the per-run limit, or null
 * @param budgetPolicy what a run does when it cannot afford every member
 * @param optimizer the query optimizer every run's request goes through first, or null
 */
public record EnsembleConfig(
        String name,
        List<Member> members,
        List<Consumer<RouterBuilder>> routerDefaults,
        AnswerKey answerKey,
        MergeStrategy merge,
        List<AnswerFilter> filters,
        @Nullable Duration timeout,
        int minMembers,
        boolean earlyStop,
        SampleVariation sampleVariation,
        @Nullable ConfidenceCalibration calibration,
        @Nullable Executor executor,
        @Nullable MeterRegistry meterRegistry,
        @Nullable BudgetLedger budgetLedger,
        Map<String, @Nullable Usd> budgetScopes,
        @Nullable Usd maxCostPerRun,
        EnsembleBudgetPolicy budgetPolicy,
        @Nullable QueryOptimizer optimizer) {

    /**
     * A configuration without an optimizer.
     *
     * @param name the ensemble's name
     * @param members the members
     * @param routerDefaults configure wrapping routers
     * @param answerKey the answer key
     * @param merge the merge strategy
     * @param filters the filters
     * @param timeout the wait, or null
     * @param minMembers the least answers
     * @param earlyStop whether to stop early
     * @param sampleVariation the sample variation
     * @param calibration the calibration, or null
     * @param executor the executor, or null
     * @param meterRegistry the meter registry, or null
     * @param budgetLedger the ledger, or null
     * @param budgetScopes the budget scopes
     * @param maxCostPerRun the per-run limit, or null
     * @param budgetPolicy the budget policy
     */
    public EnsembleConfig(String name, List<Member> members, List<Consumer<RouterBuilder>> routerDefaults, AnswerKey answerKey,
            MergeStrategy merge, List<AnswerFilter> filters, @Nullable Duration timeout, int minMembers, boolean earlyStop,
            SampleVariation sampleVariation, @Nullable ConfidenceCalibration calibration, @Nullable Executor executor,
            @Nullable MeterRegistry meterRegistry, @Nullable BudgetLedger budgetLedger, Map<String, @Nullable Usd> budgetScopes,
            @Nullable Usd maxCostPerRun, EnsembleBudgetPolicy budgetPolicy) {
        this(name, members, routerDefaults, answerKey, merge, filters, timeout, minMembers, earlyStop, sampleVariation, calibration,
                executor, meterRegistry, budgetLedger, budgetScopes, maxCostPerRun, budgetPolicy, null);
    }

    /** Copies the collections so later builder calls cannot change a built ensemble. */
    public EnsembleConfig {
        members = List.copyOf(members);
        routerDefaults = List.copyOf(routerDefaults);
        filters = List.copyOf(filters);
        budgetScopes = Collections.unmodifiableMap(new LinkedHashMap<>(budgetScopes));
    }

    /**
     * One member as declared.
     *
     * @param name its name
     * @param model its model or router
     * @param weight its weight
     * @param samples its samples per run
     * @param modelName the model name for pricing a wrapped model, or null for the model's own
     */
    public record Member(String name, ChatModel model, double weight, int samples, @Nullable String modelName) {}
}
