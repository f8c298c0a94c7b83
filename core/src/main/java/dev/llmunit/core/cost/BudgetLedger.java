package dev.llmunit.core.cost;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where budget scopes keep their limits and spending. Every routed attempt reserves its pre-flight
 * estimate in each of its scopes before calling the provider and settles its actual cost after, so
 * concurrent callers can never jointly reserve more than a limit. The interface is small on
 * purpose: a shared ledger (Redis, a database) implements these few atomic operations and the
 * router works with it unchanged.
 *
 * <p>Settled cost exceeds a limit only if a provider bills more than the reserved estimate; the
 * router estimates with the request's maximum output tokens, its tools, its response schema and its
 * images to keep estimates an upper bound. When it happens anyway, the ledger never hides it: the
 * policy every ledger follows is
 * <ol>
 *   <li>the settlement is kept (the money was spent) and counted as a breach in
 *       {@link BudgetStatus#breaches()}, with {@link BudgetStatus#overshoot()} saying by how much;</li>
 *   <li>a {@link BudgetEvent.Breached} event follows the settlement's {@link BudgetEvent.Settled};</li>
 *   <li>the scope refuses every further reservation, since spent already exceeds the limit;</li>
 *   <li>the router logs a warning and counts it in {@code llmunit.budget.breaches}.</li>
 * </ol>
 */
public interface BudgetLedger {

    /**
     * The default in-memory ledger, safe under concurrency.
     *
     * @return a new empty ledger
     */
    static BudgetLedger inMemory() {
        return new InMemoryBudgetLedger();
    }

    /**
     * Sets or replaces the limit of a scope. A scope without a limit only tracks spending.
     *
     * @param scope the scope name, such as {@code "suite"} or {@code "test:MyTest#answers"}
     * @param limit the most the scope may spend
     */
    void limit(String scope, Usd limit);

    /**
     * Reserves an amount if the scope can afford it, atomically with respect to every other caller.
     *
     * @param scope the scope name
     * @param amount the call's estimated cost
     * @return the reservation, or empty when it would exceed the limit (the scope counts a refusal)
     */
    Optional<Reservation> tryReserve(String scope, Usd amount);

    /**
     * Replaces a reservation by the actual cost. When that leaves spending above the limit, the
     * settlement is a breach: counted, published and refusing later reservations (see above).
     *
     * @param reservation a reservation from {@link #tryReserve}, not settled or released before
     * @param actual the call's actual cost
     * @return the scope after settling; {@link BudgetStatus#breached()} tells whether it is now over its limit
     */
    BudgetStatus settle(Reservation reservation, Usd actual);

    /**
     * Returns a reservation unused, after a failed call.
     *
     * @param reservation a reservation from {@link #tryReserve}, not settled or released before
     */
    void release(Reservation reservation);

    /**
     * The state of a scope.
     *
     * @param scope the scope name
     * @return its limit, spending, reservations and refusals (zeros for a scope never used)
     */
    BudgetStatus status(String scope);

    /**
     * Registers a listener for reservations, settlements, releases and refusals.
     *
     * @param listener called on the thread that changed the ledger; must not block
     */
    void addListener(Consumer<BudgetEvent> listener);
}
