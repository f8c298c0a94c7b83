package dev.llmunit.core.cost;

import static dev.llmunit.core.cost.Usd.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InMemoryBudgetLedgerTest {

    private final BudgetLedger ledger = BudgetLedger.inMemory();
    private final List<BudgetEvent> events = new CopyOnWriteArrayList<>();

    // Reserving

    @Test
    void reservesAnAmountWithinTheLimitAndShowsItAsReserved() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));

        // WHEN
        Optional<Reservation> reservation = ledger.tryReserve("suite", usd("0.40"));

        // THEN
        assertThat(reservation).hasValueSatisfying(held -> {
            assertThat(held.scope()).isEqualTo("suite");
            assertThat(held.amount()).isEqualTo(usd("0.40"));
        });
        assertThat(ledger.status("suite")).isEqualTo(new BudgetStatus("suite", usd("1.00"), Usd.ZERO, usd("0.40"), 0));
    }

    @Test
    void reservesUpToExactlyTheLimit() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        ledger.tryReserve("suite", usd("0.60"));

        // WHEN the second reservation brings spent + reserved to the limit itself
        Optional<Reservation> reservation = ledger.tryReserve("suite", usd("0.40"));

        // THEN
        assertThat(reservation).isPresent();
        assertThat(ledger.status("suite").reserved()).isEqualTo(usd("1.00"));
    }

    @Test
    void refusesAReservationThatWouldCrossTheLimitAndCountsTheRefusal() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        ledger.tryReserve("suite", usd("0.70"));

        // WHEN
        Optional<Reservation> reservation = ledger.tryReserve("suite", usd("0.31"));

        // THEN nothing more is held and the refusal is counted
        assertThat(reservation).isEmpty();
        assertThat(ledger.status("suite")).isEqualTo(new BudgetStatus("suite", usd("1.00"), Usd.ZERO, usd("0.70"), 1));
    }

    @Test
    void refusesWhenSpendingAndReservationsTogetherLeaveTooLittle() {
        // GIVEN $0.50 spent and $0.30 held by a call in flight
        ledger.limit("suite", usd("1.00"));
        ledger.settle(ledger.tryReserve("suite", usd("0.50")).orElseThrow(), usd("0.50"));
        ledger.tryReserve("suite", usd("0.30"));

        // WHEN $0.25 is asked for: neither spent nor reserved alone would refuse it
        Optional<Reservation> reservation = ledger.tryReserve("suite", usd("0.25"));

        // THEN
        assertThat(reservation).isEmpty();
        assertThat(ledger.status("suite").refusals()).isEqualTo(1);
    }

    @Test
    void givesEachReservationADistinctId() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));

        // WHEN
        Reservation first = ledger.tryReserve("suite", usd("0.10")).orElseThrow();
        Reservation second = ledger.tryReserve("suite", usd("0.10")).orElseThrow();

        // THEN
        assertThat(first.id()).isNotEqualTo(second.id());
    }

    // Settling and releasing

    @Test
    void settlingMovesTheReservationToSpentAtTheActualAmount() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();

        // WHEN the call cost less than its estimate
        ledger.settle(reservation, usd("0.12"));

        // THEN
        assertThat(ledger.status("suite")).isEqualTo(new BudgetStatus("suite", usd("1.00"), usd("0.12"), Usd.ZERO, 0));
    }

    @Test
    void settlingBelowTheEstimateFreesTheDifferenceForLaterReservations() {
        // GIVEN a $0.60 estimate that cost $0.20
        ledger.limit("suite", usd("1.00"));
        ledger.settle(ledger.tryReserve("suite", usd("0.60")).orElseThrow(), usd("0.20"));

        // WHEN
        Optional<Reservation> reservation = ledger.tryReserve("suite", usd("0.80"));

        // THEN
        assertThat(reservation).isPresent();
    }

    @Test
    void releasingReturnsTheReservationUnspent() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();

        // WHEN the call failed
        ledger.release(reservation);

        // THEN
        assertThat(ledger.status("suite")).isEqualTo(new BudgetStatus("suite", usd("1.00"), Usd.ZERO, Usd.ZERO, 0));
    }

    @Test
    void settlingTwiceFailsWithAClearIllegalStateException() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();
        ledger.settle(reservation, usd("0.10"));

        // WHEN / THEN
        assertThatThrownBy(() -> ledger.settle(reservation, usd("0.10")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("reservation " + reservation.id() + " of scope 'suite' was already settled or released, "
                        + "or does not belong to this ledger");
    }

    @Test
    void settlingTwiceChargesOnlyOnce() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();
        ledger.settle(reservation, usd("0.10"));

        // WHEN
        try {
            ledger.settle(reservation, usd("0.10"));
        } catch (IllegalStateException expected) {
            // the failure itself is the test above
        }

        // THEN
        assertThat(ledger.status("suite").spent()).isEqualTo(usd("0.10"));
    }

    @Test
    void releasingTwiceFailsWithAClearIllegalStateException() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();
        ledger.release(reservation);

        // WHEN / THEN
        assertThatThrownBy(() -> ledger.release(reservation))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reservation " + reservation.id() + " of scope 'suite' was already settled or released");
    }

    @Test
    void releasingASettledReservationFailsAndKeepsTheSpending() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();
        ledger.settle(reservation, usd("0.25"));

        // WHEN / THEN
        assertThatThrownBy(() -> ledger.release(reservation))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already settled or released");
        assertThat(ledger.status("suite")).isEqualTo(new BudgetStatus("suite", usd("1.00"), usd("0.25"), Usd.ZERO, 0));
    }

    @Test
    void refusesToSettleAReservationOfAnotherLedger() {
        // GIVEN two ledgers, each with one open reservation: both get id 1
        BudgetLedger other = BudgetLedger.inMemory();
        other.limit("theirs", usd("1.00"));
        Reservation foreign = other.tryReserve("theirs", usd("0.30")).orElseThrow();
        ledger.limit("mine", usd("1.00"));
        Reservation mine = ledger.tryReserve("mine", usd("0.50")).orElseThrow();

        // WHEN / THEN the ledger does not know the foreign reservation, as its message promises
        assertThatThrownBy(() -> ledger.settle(foreign, usd("0.30")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not belong to this ledger");
        assertThat(ledger.status("mine").reserved()).isEqualTo(mine.amount());
    }

    // Limits and status

    @Test
    void aScopeWithoutLimitOnlyTracksSpending() {
        // GIVEN no limit for "tracked"

        // WHEN a large amount is reserved and settled
        Optional<Reservation> reservation = ledger.tryReserve("tracked", usd("1000000"));
        ledger.settle(reservation.orElseThrow(), usd("999.99"));

        // THEN it is allowed and counted, with nothing to remain
        BudgetStatus status = ledger.status("tracked");
        assertThat(status.limit()).isNull();
        assertThat(status.spent()).isEqualTo(usd("999.99"));
        assertThat(status.refusals()).isZero();
        assertThat(status.remaining()).isEmpty();
    }

    @Test
    void remainingIsTheLimitMinusSpentAndReserved() {
        // GIVEN $0.25 spent and $0.30 reserved
        ledger.limit("suite", usd("1.00"));
        ledger.settle(ledger.tryReserve("suite", usd("0.40")).orElseThrow(), usd("0.25"));
        ledger.tryReserve("suite", usd("0.30"));

        // WHEN
        Optional<Usd> remaining = ledger.status("suite").remaining();

        // THEN
        assertThat(remaining).contains(usd("0.45"));
    }

    @Test
    void remainingIsZeroNotNegativeWhenTheLimitIsLoweredBelowSpending() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        ledger.settle(ledger.tryReserve("suite", usd("0.80")).orElseThrow(), usd("0.80"));

        // WHEN
        ledger.limit("suite", usd("0.50"));

        // THEN
        assertThat(ledger.status("suite").remaining()).contains(Usd.ZERO);
    }

    @Test
    void replacingTheLimitAppliesToTheNextReservation() {
        // GIVEN
        ledger.limit("suite", usd("0.10"));

        // WHEN
        ledger.limit("suite", usd("1.00"));

        // THEN
        assertThat(ledger.tryReserve("suite", usd("0.50"))).isPresent();
    }

    @Test
    void reportsZerosForAScopeNeverUsed() {
        // WHEN
        BudgetStatus status = ledger.status("never");

        // THEN
        assertThat(status).isEqualTo(new BudgetStatus("never", null, Usd.ZERO, Usd.ZERO, 0));
    }

    @Test
    void rejectsANullLimitNamingTheScope() {
        // WHEN / THEN
        assertThatThrownBy(() -> ledger.limit("suite", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("limit of budget scope 'suite' must not be null");
    }

    @Test
    void keepsScopesIndependent() {
        // GIVEN "a" exhausted, "b" fresh
        ledger.limit("a", usd("0.10"));
        ledger.limit("b", usd("0.10"));
        ledger.settle(ledger.tryReserve("a", usd("0.10")).orElseThrow(), usd("0.10"));
        ledger.tryReserve("a", usd("0.01"));

        // WHEN
        Optional<Reservation> inB = ledger.tryReserve("b", usd("0.10"));

        // THEN "b" grants its whole limit and sees none of "a"'s spending or refusals
        assertThat(inB).isPresent();
        assertThat(ledger.status("a")).isEqualTo(new BudgetStatus("a", usd("0.10"), usd("0.10"), Usd.ZERO, 1));
        assertThat(ledger.status("b")).isEqualTo(new BudgetStatus("b", usd("0.10"), Usd.ZERO, usd("0.10"), 0));
    }

    // Events

    @Test
    void tellsListenersOfAReservationWithTheScopeAfterIt() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        ledger.addListener(events::add);

        // WHEN
        ledger.tryReserve("suite", usd("0.30"));

        // THEN
        assertThat(events).containsExactly(new BudgetEvent.Reserved("suite", usd("0.30"),
                new BudgetStatus("suite", usd("1.00"), Usd.ZERO, usd("0.30"), 0)));
    }

    @Test
    void tellsListenersOfASettlementWithTheReservedAndActualAmounts() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();
        ledger.addListener(events::add);

        // WHEN
        ledger.settle(reservation, usd("0.12"));

        // THEN
        assertThat(events).containsExactly(new BudgetEvent.Settled("suite", usd("0.30"), usd("0.12"),
                new BudgetStatus("suite", usd("1.00"), usd("0.12"), Usd.ZERO, 0)));
    }

    @Test
    void tellsListenersOfAReleaseWithTheAmountReturned() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();
        ledger.addListener(events::add);

        // WHEN
        ledger.release(reservation);

        // THEN
        assertThat(events).containsExactly(new BudgetEvent.Released("suite", usd("0.30"),
                new BudgetStatus("suite", usd("1.00"), Usd.ZERO, Usd.ZERO, 0)));
    }

    @Test
    void tellsListenersOfARefusalWithTheAmountAskedAndTheRefusalCounted() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        ledger.tryReserve("suite", usd("0.70"));
        ledger.addListener(events::add);

        // WHEN
        ledger.tryReserve("suite", usd("0.50"));

        // THEN
        assertThat(events).containsExactly(new BudgetEvent.Refused("suite", usd("0.50"),
                new BudgetStatus("suite", usd("1.00"), Usd.ZERO, usd("0.70"), 1)));
    }

    @Test
    void tellsEveryListenerInRegistrationOrder() {
        // GIVEN
        List<String> calls = new CopyOnWriteArrayList<>();
        ledger.addListener(event -> calls.add("first " + event.scope()));
        ledger.addListener(event -> calls.add("second " + event.scope()));

        // WHEN
        ledger.tryReserve("tracked", usd("0.10"));

        // THEN
        assertThat(calls).containsExactly("first tracked", "second tracked");
    }

    @Test
    void returnsTheReservationAndTellsTheOtherListenersWhenOneListenerThrows() {
        // GIVEN a broken listener before a working one
        ledger.limit("suite", usd("1.00"));
        ledger.addListener(event -> {
            throw new IllegalStateException("listener bug");
        });
        ledger.addListener(events::add);

        // WHEN
        Optional<Reservation> reservation = ledger.tryReserve("suite", usd("0.30"));

        // THEN
        assertThat(reservation).isPresent();
        assertThat(events).hasSize(1);
    }

    @Test
    void tellsNoListenerOfADoubleSettlement() {
        // GIVEN
        ledger.limit("suite", usd("1.00"));
        Reservation reservation = ledger.tryReserve("suite", usd("0.30")).orElseThrow();
        ledger.settle(reservation, usd("0.10"));
        ledger.addListener(events::add);

        // WHEN
        try {
            ledger.settle(reservation, usd("0.10"));
        } catch (IllegalStateException expected) {
            // the failure itself is tested above
        }

        // THEN
        assertThat(events).isEmpty();
    }
}
