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
 */
public record BudgetStatus(String scope, @Nullable Usd limit, Usd spent, Usd reserved, long refusals) {

    /** Checks the fields. */
    public BudgetStatus {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(spent, "spent");
        Objects.requireNonNull(reserved, "reserved");
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
