package dev.llmunit.core.cost;

/**
 * Something a {@link BudgetLedger} did, for listeners that log, meter or assert on budgets.
 */
public sealed interface BudgetEvent {

    /**
     * The scope the event belongs to.
     *
     * @return the scope name
     */
    String scope();

    /**
     * An amount was set aside for a call.
     *
     * @param scope the scope
     * @param amount the amount reserved
     * @param status the scope after the reservation
     */
    record Reserved(String scope, Usd amount, BudgetStatus status) implements BudgetEvent {}

    /**
     * A call finished and its reservation was replaced by its actual cost.
     *
     * @param scope the scope
     * @param reserved the amount that had been reserved
     * @param actual the actual cost
     * @param status the scope after settling
     */
    record Settled(String scope, Usd reserved, Usd actual, BudgetStatus status) implements BudgetEvent {}

    /**
     * A call failed or was abandoned and its reservation was returned.
     *
     * @param scope the scope
     * @param amount the amount returned
     * @param status the scope after the release
     */
    record Released(String scope, Usd amount, BudgetStatus status) implements BudgetEvent {}

    /**
     * A settlement left the scope's spending above its limit, because the provider billed more than
     * the reserved estimate. Published right after the {@link Settled} event of the same settlement.
     *
     * @param scope the scope
     * @param reserved the amount that had been reserved
     * @param actual the actual cost
     * @param overshoot how far spending is now above the limit
     * @param status the scope after settling; it refuses every further reservation
     */
    record Breached(String scope, Usd reserved, Usd actual, Usd overshoot, BudgetStatus status) implements BudgetEvent {}

    /**
     * A reservation was refused because it would have exceeded the limit.
     *
     * @param scope the scope
     * @param requested the amount asked for
     * @param status the scope that refused
     */
    record Refused(String scope, Usd requested, BudgetStatus status) implements BudgetEvent {}
}
