package dev.llmunit.core.internal;

import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.BudgetStatus;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.Reservation;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.LlmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The pre-flight budget check of every attempt: the per-request limit and the reservations in the
 * router's budget scopes. Inactive (and free) when the router has neither.
 */
final class BudgetGuard {

    private static final System.Logger LOG = System.getLogger(BudgetGuard.class.getName());

    /** Output tokens assumed when neither the request, the model nor the catalog gives a maximum. */
    static final int FALLBACK_MAX_OUTPUT_TOKENS = 4096;

    private final @Nullable BudgetLedger ledger;
    private final String[] scopes;
    private final @Nullable Usd maxCostPerRequest;
    private final TokenEstimator estimator;

    BudgetGuard(@Nullable BudgetLedger ledger, Map<String, @Nullable Usd> scopes, @Nullable Usd maxCostPerRequest, TokenEstimator estimator) {
        this.ledger = scopes.isEmpty() ? null : (ledger == null ? BudgetLedger.inMemory() : ledger);
        this.scopes = scopes.keySet().toArray(new String[0]);
        this.maxCostPerRequest = maxCostPerRequest;
        this.estimator = estimator;
        scopes.forEach((scope, limit) -> {
            if (limit != null) {
                this.ledger.limit(scope, limit);
            }
        });
    }

    boolean active() {
        return ledger != null || maxCostPerRequest != null;
    }

    @Nullable BudgetLedger ledger() {
        return ledger;
    }

    /**
     * Checks and reserves one attempt's estimate.
     *
     * @return the reservations to settle or release; empty when only the per-request limit applies
     * @throws LlmException.BudgetExceeded when a limit refuses the attempt; nothing stays reserved then
     */
    List<Reservation> reserve(ProviderState provider, RouteCall call) {
        if (provider.price.isEmpty()) {
            throw new LlmException.BudgetExceeded(provider.name, provider.name + ": no price for model '" + provider.modelName
                    + "', so its cost cannot be checked against the budget; add the model to the price catalog or set "
                    + "UnknownPricePolicy.useDefault(..)");
        }
        ModelPrice price = provider.price.get();
        int input = call.inputTokens(estimator);
        int output = maxOutputTokens(provider, call);
        Usd estimate = price.estimate(input, output);
        if (maxCostPerRequest != null && estimate.isGreaterThan(maxCostPerRequest)) {
            throw new LlmException.BudgetExceeded(provider.name, provider.name + ": estimated cost " + estimate + " (" + input
                    + " input tokens, up to " + output + " output tokens of " + price.model() + ") exceeds the per-request limit "
                    + maxCostPerRequest);
        }
        if (ledger == null) {
            return List.of();
        }
        List<Reservation> held = new ArrayList<>(scopes.length);
        for (String scope : scopes) {
            var reservation = ledger.tryReserve(scope, estimate);
            if (reservation.isEmpty()) {
                release(held);
                BudgetStatus status = ledger.status(scope);
                if (status.breached()) {
                    throw new LlmException.BudgetExceeded(provider.name, provider.name + ": budget '" + scope + "' is already overspent: "
                            + "spent " + status.spent() + " against its limit " + status.limit() + " (" + status.overshoot()
                            + " over, in " + status.breaches() + (status.breaches() == 1 ? " breach" : " breaches")
                            + " where a provider billed more than the estimate), so it refuses every further call");
                }
                throw new LlmException.BudgetExceeded(provider.name, provider.name + ": estimated cost " + estimate
                        + " would exceed budget '" + scope + "' (limit " + status.limit() + ", spent " + status.spent()
                        + ", reserved by calls in flight " + status.reserved() + ")");
            }
            held.add(reservation.get());
        }
        return held;
    }

    /**
     * The pre-flight estimate an attempt of this provider would reserve for the call, for callers that
     * reserve before they route (an ensemble reserving for all its members before fan-out).
     *
     * @return the estimate, or empty when the provider's model has no price
     */
    Optional<Usd> estimate(ProviderState provider, RouteCall call) {
        return provider.price.map(price -> price.estimate(call.inputTokens(estimator), maxOutputTokens(provider, call)));
    }

    /**
     * Settles every reservation, even when the ledger fails on one; the call itself has succeeded.
     * A settlement that leaves a scope above its limit is a breach: logged here, counted by the
     * ledger (which then refuses every further reservation of the scope) and returned for the metric.
     *
     * @return how many of the scopes this settlement breached
     */
    int settle(List<Reservation> reservations, Usd actual, String provider) {
        int breaches = 0;
        for (Reservation reservation : reservations) {
            try {
                BudgetStatus after = ledger.settle(reservation, actual);
                if (after != null && after.breached()) {
                    breaches++;
                    LOG.log(System.Logger.Level.WARNING, "llmunit: budget '" + after.scope() + "' breached: " + provider
                            + " billed " + actual + " against an estimate of " + reservation.amount() + ", so the scope has spent "
                            + after.spent() + " of its " + after.limit() + " limit (" + after.overshoot()
                            + " over); it refuses every further call");
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "llmunit: could not settle " + reservation + " at " + actual, e);
            }
        }
        return breaches;
    }

    /** Releases every reservation, even when the ledger fails on one. */
    void release(List<Reservation> reservations) {
        for (Reservation reservation : reservations) {
            try {
                ledger.release(reservation);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "llmunit: could not release " + reservation, e);
            }
        }
    }

    private static int maxOutputTokens(ProviderState provider, RouteCall call) {
        Integer requested = call.request.parameters() == null ? null : call.request.parameters().maxOutputTokens();
        if (requested != null) {
            return requested;
        }
        if (provider.defaultMaxOutputTokens != null) {
            return provider.defaultMaxOutputTokens;
        }
        Integer catalog = provider.price.map(ModelPrice::maxOutputTokens).orElse(null);
        return catalog != null ? catalog : FALLBACK_MAX_OUTPUT_TOKENS;
    }
}
