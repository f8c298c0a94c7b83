package dev.llmunit.junit.internal;

import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.EnsembleCall;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One test's state: its ledger, its router (built on first injection, so {@code @BeforeEach} and the
 * test method get the same one), its single-provider models, and its budget results. A repeated
 * test (or eval case) has several runs: run {@code n} asks the fixture server for the {@code n}-th
 * recorded sample of each request, and {@link #calls()} shows the current run's calls.
 */
public final class TestScope {

    /** The source the judge of {@code llm-rubric} assertions records its calls under. */
    public static final String JUDGE_SOURCE = "judge";

    private final ClassScope owner;
    private final CallLedger ledger;
    private final Map<String, RecordingRouter> singles = new ConcurrentHashMap<>();
    private volatile @Nullable RecordingRouter router;
    private volatile @Nullable RecordingEnsemble ensemble;
    private volatile @Nullable RecordingStreamingRouter streaming;
    private volatile List<BudgetResult> budgets = List.of();
    private volatile int run = 1;
    private volatile int runStart;
    private volatile int runEnsembleStart;
    private final LlmCalls runView = new RunCalls();
    private volatile @Nullable RecordingRouter judge;
    private volatile @Nullable QueryOptimizer experiment;
    private volatile @Nullable ArmRouter armRouter;

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
            Router built = owner.buildRouter();
            QueryOptimizer optimizer = experiment;
            if (optimizer != null) {
                armRouter = new ArmRouter(built, optimizer);
                built = armRouter;
            }
            current = new RecordingRouter(built, "router", () -> ledger, this::sample);
            router = current;
        }
        return current;
    }

    /**
     * The test's streaming router, recording into its ledger; built on first injection.
     *
     * @return the streaming router
     */
    public synchronized RecordingStreamingRouter streaming() {
        RecordingStreamingRouter current = streaming;
        if (current == null) {
            current = new RecordingStreamingRouter(owner.buildStreaming(), "router", () -> ledger, this::sample);
            streaming = current;
        }
        return current;
    }

    /**
     * The test's ensemble, recording into its ledger; built on first injection.
     *
     * @return the ensemble
     */
    public synchronized RecordingEnsemble ensemble() {
        RecordingEnsemble current = ensemble;
        if (current == null) {
            current = new RecordingEnsemble(owner.buildEnsemble(), () -> ledger, this::sample);
            ensemble = current;
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
        return singles.computeIfAbsent(name, key -> new RecordingRouter(owner.buildSingle(key), key, () -> ledger, this::sample));
    }

    /**
     * The judge model of {@code llm-rubric} assertions: one provider alone, recording into the
     * test's ledger under {@value #JUDGE_SOURCE}, so its calls are played back and paid for like any other.
     *
     * @param spec the judge's provider and model
     * @return the judge's router, the same for the whole test
     */
    public synchronized RecordingRouter judge(ProviderSpec spec) {
        RecordingRouter current = judge;
        if (current == null) {
            current = new RecordingRouter(owner.buildSingle(spec), JUDGE_SOURCE, () -> ledger, this::sample);
            judge = current;
        }
        return current;
    }

    /**
     * Starts a run of a repeated test: its requests ask for recorded sample {@code run}, and
     * {@link #calls()} shows only the calls from now on.
     *
     * @param run the run's number, from 1
     */
    public void startRun(int run) {
        if (run < 1) {
            throw new IllegalArgumentException("run must be at least 1, but was " + run);
        }
        this.runStart = ledger.count();
        this.runEnsembleStart = ledger.ensembles().size();
        this.run = run;
    }

    /**
     * Makes the test an optimizer experiment: its router (built after this) switches between the
     * arms. Call before the router is first injected.
     *
     * @param optimizer arm B's optimizer
     */
    public void experiment(QueryOptimizer optimizer) {
        this.experiment = optimizer;
    }

    /**
     * The experiment's router, when the test is an experiment and injected a router.
     *
     * @return the arm router, or null
     */
    public @Nullable ArmRouter armRouter() {
        return armRouter;
    }

    /**
     * Starts an arm of an optimizer experiment: {@link #calls()} and {@link #runCalls()} show only
     * the calls from now on; the recorded sample asked for stays the same.
     */
    public void startArm() {
        this.runStart = ledger.count();
        this.runEnsembleStart = ledger.ensembles().size();
    }

    /**
     * The recorded sample this test's requests ask for: the current run's number.
     *
     * @return 1 unless the test repeats
     */
    public int sample() {
        return run;
    }

    /**
     * The current run's calls, as the test sees them: all its calls when it does not repeat.
     *
     * @return a live view
     */
    public LlmCalls calls() {
        return runView;
    }

    /**
     * The current run's calls.
     *
     * @return a snapshot
     */
    public List<LlmCall> runCalls() {
        List<LlmCall> all = ledger.all();
        return List.copyOf(all.subList(Math.min(runStart, all.size()), all.size()));
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

    /** The ledger as the current run sees it: the calls since the run started, renumbered from 1 in views only by position. */
    private final class RunCalls implements LlmCalls {

        private CallLedger current() {
            CallLedger view = new CallLedger(ledger.owner() + (run > 1 ? " run " + run : ""));
            for (LlmCall call : runCalls()) {
                view.add(sequence -> call);
            }
            return view;
        }

        @Override
        public List<LlmCall> all() {
            return runCalls();
        }

        @Override
        public List<EnsembleCall> ensembles() {
            List<EnsembleCall> all = ledger.ensembles();
            return List.copyOf(all.subList(Math.min(runEnsembleStart, all.size()), all.size()));
        }

        @Override
        public int count() {
            return runCalls().size();
        }

        @Override
        public LlmCall last() {
            return current().last();
        }

        @Override
        public LlmCalls servedBy(String provider) {
            return current().servedBy(provider);
        }

        @Override
        public @Nullable Usd totalCost() {
            return CallLedger.totalCost(runCalls());
        }

        @Override
        public Usage totalUsage() {
            return current().totalUsage();
        }

        @Override
        public Duration latencyPercentile(double percentile) {
            return CallLedger.percentile(runCalls(), percentile);
        }

        @Override
        public Iterator<LlmCall> iterator() {
            return runCalls().iterator();
        }

        @Override
        public String toString() {
            return current().toString();
        }
    }
}
