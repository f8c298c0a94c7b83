package dev.llmunit.junit.internal;

import dev.llmunit.junit.BudgetResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One test's state: its ledger, its router (built on first injection, so {@code @BeforeEach} and the
 * test method get the same one), its single-provider models, and its budget results.
 */
public final class TestScope {

    private final ClassScope owner;
    private final CallLedger ledger;
    private final Map<String, RecordingRouter> singles = new ConcurrentHashMap<>();
    private volatile @Nullable RecordingRouter router;
    private volatile List<BudgetResult> budgets = List.of();

    private final @Nullable CallLedger previouslyRunning;

    TestScope(ClassScope owner, CallLedger ledger, @Nullable CallLedger previouslyRunning) {
        this.owner = owner;
        this.ledger = ledger;
        this.previouslyRunning = previouslyRunning;
    }

    /** The ledger of the test that ran on this thread before this one started, if any. */
    @Nullable CallLedger previouslyRunning() {
        return previouslyRunning;
    }

    /**
     * The test's ledger.
     *
     * @return the ledger
     */
    public CallLedger ledger() {
        return ledger;
    }

    /**
     * The test's router, recording into its ledger.
     *
     * @return the router
     */
    public synchronized RecordingRouter router() {
        RecordingRouter current = router;
        if (current == null) {
            current = new RecordingRouter(owner.buildRouter(), "router", () -> ledger);
            router = current;
        }
        return current;
    }

    /**
     * One provider alone, recording into the test's ledger under the provider's name.
     *
     * @param name the configured provider name
     * @return the model
     */
    public RecordingRouter single(String name) {
        return singles.computeIfAbsent(name, key -> new RecordingRouter(owner.buildSingle(key), key, () -> ledger));
    }

    /**
     * The budgets checked after the test.
     *
     * @return the results, empty until checked
     */
    public List<BudgetResult> budgets() {
        return budgets;
    }

    /**
     * Keeps the budget results for the report.
     *
     * @param results the results
     */
    public void budgets(List<BudgetResult> results) {
        this.budgets = List.copyOf(results);
    }
}
