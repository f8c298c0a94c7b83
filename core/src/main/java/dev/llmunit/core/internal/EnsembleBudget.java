package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.BudgetLedger;
import dev.llmunit.core.cost.BudgetStatus;
import dev.llmunit.core.cost.Reservation;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.ensemble.EnsembleBudgetPolicy;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An ensemble's budget: before fan-out it reserves the pre-flight estimate of every member sample
 * at once (each estimated by its router as an attempt would be, {@link DefaultRouter#estimateCost}),
 * so a run never starts that its scopes cannot afford; a judge or fuser call reserves its own
 * estimate just before it is made. Reservations are settled with what the calls cost.
 */
final class EnsembleBudget {

    private static final System.Logger LOG = System.getLogger(EnsembleBudget.class.getName());

    private final String ensemble;
    private final @Nullable BudgetLedger ledger;
    private final String[] scopes;
    private final @Nullable Usd maxCostPerRun;
    private final EnsembleBudgetPolicy policy;

    EnsembleBudget(String ensemble, @Nullable BudgetLedger ledger, Map<String, @Nullable Usd> scopes, @Nullable Usd maxCostPerRun,
            EnsembleBudgetPolicy policy) {
        this.ensemble = ensemble;
        this.ledger = scopes.isEmpty() ? null : (ledger == null ? BudgetLedger.inMemory() : ledger);
        this.scopes = scopes.keySet().toArray(new String[0]);
        this.maxCostPerRun = maxCostPerRun;
        this.policy = policy;
        scopes.forEach((scope, limit) -> {
            if (limit != null) {
                this.ledger.limit(scope, limit);
            }
        });
    }

    /** One member sample to pay for. */
    record Planned(int index, String id, int member, int sample, double weight, Router router, ChatRequest request) {}

    /** The reservations of a run and the samples the policy dropped, each with its reason. */
    record Plan(List<Reservation> reservations, Map<Integer, String> skipped) {}

    /**
     * Reserves for every planned sample, or (by the policy) for fewer.
     *
     * @throws LlmException.BudgetExceeded when the run cannot be afforded; nothing stays reserved
     */
    Plan reserveMembers(List<Planned> planned, int minMembers) {
        List<Usd> estimates = new ArrayList<>(planned.size());
        for (Planned sample : planned) {
            estimates.add(estimate(sample.router(), sample.request(), "member sample '" + sample.id() + "'"));
        }
        List<Planned> running = new ArrayList<>(planned);
        List<Planned> dropOrder = new ArrayList<>(planned);
        // The lightest first; ties: the last declared member, then its last sample.
        dropOrder.sort(Comparator.comparingDouble(Planned::weight).thenComparing(Comparator.comparingInt(Planned::index).reversed()));
        Map<Integer, String> skipped = new java.util.LinkedHashMap<>();
        String refusal;
        while (true) {
            Usd total = Usd.ZERO;
            for (Planned sample : running) {
                total = total.plus(estimates.get(sample.index()));
            }
            refusal = maxCostPerRun != null && total.isGreaterThan(maxCostPerRun)
                    ? describe(running, estimates, total) + " exceeds the per-run limit " + maxCostPerRun : null;
            if (refusal == null) {
                Reserved reserved = tryReserve(total);
                if (reserved.refusal() == null) {
                    return new Plan(reserved.held(), skipped);
                }
                refusal = describe(running, estimates, total) + " " + reserved.refusal();
            }
            if (policy != EnsembleBudgetPolicy.RUN_FEWER || running.size() <= minMembers) {
                break;
            }
            Planned dropped = dropOrder.remove(0);
            running.remove(dropped);
            skipped.put(dropped.index(), "budget: " + refusal + "; the policy runs fewer members");
        }
        throw new LlmException.BudgetExceeded(null, "ensemble '" + ensemble + "': " + refusal
                + (policy == EnsembleBudgetPolicy.RUN_FEWER ? " (even with only minMembers " + minMembers + " samples)" : "")
                + "; nothing was sent");
    }

    /**
     * Reserves for one judge or fuser call.
     *
     * @throws LlmException.BudgetExceeded when it cannot be afforded
     */
    List<Reservation> reserveAuxiliary(String role, Router router, ChatRequest request) {
        Usd estimate = estimate(router, request, "the " + role);
        if (maxCostPerRun != null && estimate.isGreaterThan(maxCostPerRun)) {
            throw new LlmException.BudgetExceeded(null, "ensemble '" + ensemble + "': the " + role + " call's estimated cost " + estimate
                    + " exceeds the per-run limit " + maxCostPerRun);
        }
        Reserved reserved = tryReserve(estimate);
        if (reserved.refusal() == null) {
            return reserved.held();
        }
        throw new LlmException.BudgetExceeded(null, "ensemble '" + ensemble + "': the " + role + " call's estimated cost " + estimate
                + " " + reserved.refusal());
    }

    /** Settles every reservation, even when the ledger fails on one: the calls were made. */
    void settle(List<Reservation> reservations, Usd actual) {
        if (ledger == null) {
            return;
        }
        for (Reservation reservation : reservations) {
            try {
                BudgetStatus after = ledger.settle(reservation, actual);
                if (after != null && after.breached()) {
                    LOG.log(System.Logger.Level.WARNING, "llmunit: budget '" + after.scope() + "' breached by ensemble '" + ensemble
                            + "': it spent " + actual + " against an estimate of " + reservation.amount() + ", so the scope has spent "
                            + after.spent() + " of its " + after.limit() + " limit (" + after.overshoot() + " over)");
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "llmunit: could not settle " + reservation + " at " + actual, e);
            }
        }
    }

    private Usd estimate(Router router, ChatRequest request, String who) {
        Optional<Usd> estimate = router instanceof DefaultRouter built ? built.estimateCost(request) : Optional.empty();
        if (estimate.isEmpty()) {
            throw new LlmException.BudgetExceeded(null, "ensemble '" + ensemble + "': " + who + (router instanceof DefaultRouter
                    ? " has a model without a price, so its cost cannot be checked against the budget; add the model to the price catalog"
                            + " or set UnknownPricePolicy.useDefault(..)"
                    : " runs on a router llmunit did not build (" + router + "), so its cost cannot be estimated before the call;"
                            + " give the ensemble a Router.builder() router or a plain ChatModel"));
        }
        return estimate.get();
    }

    /** What a reservation in every scope came to: all held, or none and which scope refused. */
    private record Reserved(List<Reservation> held, @Nullable String refusal) {}

    private Reserved tryReserve(Usd amount) {
        if (ledger == null) {
            return new Reserved(List.of(), null);
        }
        List<Reservation> held = new ArrayList<>(scopes.length);
        for (String scope : scopes) {
            Optional<Reservation> reservation = ledger.tryReserve(scope, amount);
            if (reservation.isEmpty()) {
                for (Reservation release : held) {
                    try {
                        ledger.release(release);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "llmunit: could not release " + release, e);
                    }
                }
                BudgetStatus status = ledger.status(scope);
                return new Reserved(List.of(), "would exceed budget '" + scope + "' (limit " + status.limit() + ", spent "
                        + status.spent() + ", reserved by calls in flight " + status.reserved() + ")");
            }
            held.add(reservation.get());
        }
        return new Reserved(held, null);
    }

    private static String describe(List<Planned> running, List<Usd> estimates, Usd total) {
        StringBuilder text = new StringBuilder("estimated cost ").append(total).append(" of ").append(running.size())
                .append(running.size() == 1 ? " member sample (" : " member samples (");
        for (int i = 0; i < running.size(); i++) {
            Planned sample = running.get(i);
            text.append(i == 0 ? "" : ", ").append(sample.id()).append(' ').append(estimates.get(sample.index()));
        }
        return text.append(')').toString();
    }
}
