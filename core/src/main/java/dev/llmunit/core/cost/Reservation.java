package dev.llmunit.core.cost;

import java.util.Objects;

/**
 * Money set aside in one budget scope for one call that has not finished. Settle it with the
 * actual cost, or release it when the call failed.
 *
 * @param scope the budget scope
 * @param amount the amount reserved
 * @param id a ledger-wide unique id, so a ledger can detect double settlement
 */
public record Reservation(String scope, Usd amount, long id) {

    /** Checks the fields. */
    public Reservation {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(amount, "amount");
    }
}
