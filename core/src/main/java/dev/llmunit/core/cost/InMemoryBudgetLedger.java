package dev.llmunit.core.cost;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@link BudgetLedger#inMemory()}: one lock per scope, so scopes never contend with each other and
 * the check-and-reserve of one scope is atomic.
 */
final class InMemoryBudgetLedger implements BudgetLedger {

    private static final System.Logger LOG = System.getLogger(InMemoryBudgetLedger.class.getName());

    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Reservation> open = new ConcurrentHashMap<>();
    private final List<Consumer<BudgetEvent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public void limit(String scope, Usd limit) {
        Objects.requireNonNull(limit, () -> "limit of budget scope '" + scope + "' must not be null");
        Account account = account(scope);
        synchronized (account) {
            account.limit = limit;
        }
    }

    @Override
    public Optional<Reservation> tryReserve(String scope, Usd amount) {
        Account account = account(scope);
        BudgetEvent event;
        Reservation reservation = null;
        synchronized (account) {
            Usd after = account.spent.plus(account.reserved).plus(amount);
            if (account.limit != null && after.isGreaterThan(account.limit)) {
                account.refusals++;
                event = new BudgetEvent.Refused(scope, amount, account.status(scope));
            } else {
                account.reserved = account.reserved.plus(amount);
                reservation = new Reservation(scope, amount, ids.incrementAndGet());
                open.put(reservation.id(), reservation);
                event = new BudgetEvent.Reserved(scope, amount, account.status(scope));
            }
        }
        publish(event);
        return Optional.ofNullable(reservation);
    }

    @Override
    public BudgetStatus settle(Reservation reservation, Usd actual) {
        Account account = close(reservation);
        BudgetEvent event;
        BudgetEvent breach = null;
        BudgetStatus after;
        synchronized (account) {
            account.reserved = account.reserved.minusOrZero(reservation.amount());
            account.spent = account.spent.plus(actual);
            boolean breached = account.limit != null && actual.isGreaterThan(Usd.ZERO) && account.spent.isGreaterThan(account.limit);
            if (breached) {
                account.breaches++;
            }
            after = account.status(reservation.scope());
            event = new BudgetEvent.Settled(reservation.scope(), reservation.amount(), actual, after);
            if (breached) {
                breach = new BudgetEvent.Breached(reservation.scope(), reservation.amount(), actual, after.overshoot(), after);
            }
        }
        publish(event);
        if (breach != null) {
            publish(breach);
        }
        return after;
    }

    @Override
    public void release(Reservation reservation) {
        Account account = close(reservation);
        BudgetEvent event;
        synchronized (account) {
            account.reserved = account.reserved.minusOrZero(reservation.amount());
            event = new BudgetEvent.Released(reservation.scope(), reservation.amount(), account.status(reservation.scope()));
        }
        publish(event);
    }

    @Override
    public BudgetStatus status(String scope) {
        Account account = accounts.get(scope);
        if (account == null) {
            return new BudgetStatus(scope, null, Usd.ZERO, Usd.ZERO, 0);
        }
        synchronized (account) {
            return account.status(scope);
        }
    }

    @Override
    public void addListener(Consumer<BudgetEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private Account close(Reservation reservation) {
        if (!open.remove(reservation.id(), reservation)) {
            throw new IllegalStateException("reservation " + reservation.id() + " of scope '" + reservation.scope()
                    + "' was already settled or released, or does not belong to this ledger");
        }
        return account(reservation.scope());
    }

    private Account account(String scope) {
        Objects.requireNonNull(scope, "scope");
        return accounts.computeIfAbsent(scope, name -> new Account());
    }

    private void publish(BudgetEvent event) {
        for (Consumer<BudgetEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // A listener must not undo or leak the change it is told about; the ledger is already updated.
                LOG.log(System.Logger.Level.WARNING, "llmunit: budget listener " + listener + " failed on " + event, e);
            }
        }
    }

    /** One scope's money; guarded by its own monitor. */
    private static final class Account {
        @Nullable Usd limit;
        Usd spent = Usd.ZERO;
        Usd reserved = Usd.ZERO;
        long refusals;
        long breaches;

        BudgetStatus status(String scope) {
            return new BudgetStatus(scope, limit, spent, reserved, refusals, breaches);
        }
    }
}
