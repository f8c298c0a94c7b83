package dev.llmunit.core.cost;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The state of one budget scope.
 *
 * @param scope the scope name
 * @param limit the most the scope may spend, or null when it only tracks spending
 * @param spent the settled cost so far
 * @param reserved the amount held by calls in flight
 * @param refusals how many reservations the scope refused
 * @param breaches how many settlements left the scope's spending above its limit: a provider billed
 *     more than the reservation's estimate (see {@link BudgetLedger#settle})
 */
public record BudgetStatus(String scope, @Nullable Usd limit, Usd spent, Usd reserved, long refusals, long breaches) {

    /** Checks the fields. */
    public BudgetStatus {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(spent, "spent");
        Objects.requireNonNull(reserved, "reserved");
        if (refusals < 0 || breaches < 0) {
            throw new IllegalArgumentException("refusals and breaches must not be negative, but were " + refusals + " and " + breaches);
        }
    }

    /**
     * A status with no breaches.
     *
     * @param scope the scope name
     * @param limit the limit, or null
     * @param spent the settled cost
     * @param reserved the amount held by calls in flight
     * @param refusals how many reservations the scope refused
     */
    public BudgetStatus(String scope, @Nullable Usd limit, Usd spent, Usd reserved, long refusals) {
        this(scope, limit, spent, reserved, refusals, 0);
    }

    /**
     * How far settled spending went past the limit.
     *
     * @return spent minus limit when spent exceeds it; zero otherwise and for a scope without limit
     */
    public Usd overshoot() {
        return limit == null ? Usd.ZERO : spent.minusOrZero(limit);
    }

    /**
     * Whether settled spending is above the limit, so the scope refuses every further reservation.
     *
     * @return {@code true} when {@link #overshoot()} is more than zero
     */
    public boolean breached() {
        return limit != null && spent.isGreaterThan(limit);
    }

    /**
     * What may still be reserved.
     *
     * @return limit minus spent minus reserved (never negative); empty for a scope without limit
     */
    public Optional<Usd> remaining() {
        return limit == null ? Optional.empty() : Optional.of(limit.minusOrZero(spent.plus(reserved)));
    }
}
