package dev.llmunit.junit.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.junit.report.Baseline;
import dev.llmunit.junit.report.BaselineMode;
import dev.llmunit.junit.report.LlmRunReport;
import dev.llmunit.junit.report.OptimizerEffects;
import dev.llmunit.junit.report.Regression;
import dev.llmunit.junit.report.ReportClassBudget;
import dev.llmunit.junit.report.RunOptions;
import dev.llmunit.junit.report.RunVerdict;
import dev.llmunit.junit.report.TestRecord;
import dev.llmunit.junit.report.TestStatus;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.MissingFixture;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * What a whole test run shares, kept in JUnit's root store so it lives exactly as long as the run:
 * the fixture servers (one per distinct fixture set and mode, shared by every class and thread),
 * the LangChain4j models pointed at them (stateless, so shared; each test still gets its own
 * router), and the finished tests' records. Closing it writes the report and gates the run, then
 * stops the servers.
 */
@SuppressWarnings("deprecation") // CloseableResource: Jupiter before 5.13 closes only those, not plain AutoCloseables
public final class SuiteState implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private final Map<String, FixtureServer> servers = new ConcurrentHashMap<>();
    private final Map<String, ChatModel> models = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<TestRecord> records = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ReportClassBudget> classBudgets = new ConcurrentLinkedQueue<>();
    private final RunOptions options;
    private final ConcurrentLinkedQueue<OptimizerEffects.Pair> experiments = new ConcurrentLinkedQueue<>();
    private static final java.util.concurrent.atomic.AtomicInteger EXPERIMENT_WRITES = new java.util.concurrent.atomic.AtomicInteger();
    private final Function<String, Optional<String>> configuration;
    private volatile @Nullable PriceCatalog prices;
    private final Object baselineLock = new Object();
    private boolean baselineRead;
    private @Nullable Baseline baseline;
    private @Nullable String baselineProblem;

    /**
     * Creates the state of a run, reading the run's report and gate settings at once, so a typo
     * fails before the first test rather than after the last.
     *
     * @param configuration the run's configuration parameters (JUnit backs them with system properties)
     * @throws ExtensionConfigurationException naming the setting, the value and what is valid
     */
    public SuiteState(Function<String, Optional<String>> configuration) {
        this.configuration = configuration;
        try {
            this.options = RunOptions.fromConfiguration(configuration, Path.of("").toAbsolutePath(), System.out);
        } catch (IllegalArgumentException badSetting) {
            throw new ExtensionConfigurationException("llmunit cannot start the run: " + badSetting.getMessage(), badSetting);
        }
    }

    /**
     * The started fixture server for a configuration, started on first use.
     *
     * @param key what makes servers differ, such as the fixture set and mode
     * @param factory builds and starts the server
     * @return the shared server
     */
    public FixtureServer server(String key, Supplier<FixtureServer> factory) {
        return servers.computeIfAbsent(key, ignored -> factory.get());
    }

    /**
     * The shared LangChain4j model for a provider on a server.
     *
     * @param serverKey the server's key
     * @param server the server
     * @param spec the provider
     * @return the model, built on first use
     */
    public ChatModel model(String serverKey, FixtureServer server, ProviderSpec spec) {
        return models.computeIfAbsent(serverKey + "|" + spec.provider().id() + ":" + spec.model(), ignored -> spec.model(server));
    }

    /**
     * The prices the run's routers charge: the bundled catalog with the project's own over it
     * ({@code llmunit.prices}, else {@code src/test/resources/llmunit/prices.json}), read once.
     *
     * @return the catalog
     * @throws ExtensionConfigurationException when the project's price file is missing or bad, naming it and the field
     */
    public PriceCatalog prices() {
        PriceCatalog loaded = prices;
        if (loaded == null) {
            synchronized (this) {
                loaded = prices;
                if (loaded == null) {
                    ClassLoader loader = Thread.currentThread().getContextClassLoader();
                    loaded = TestPrices.load(configuration, loader != null ? loader : SuiteState.class.getClassLoader());
                    prices = loaded;
                }
            }
        }
        return loaded;
    }

    /**
     * Adds a finished test.
     *
     * @param record the test's record
     */
    public void add(TestRecord record) {
        records.add(record);
    }

    /**
     * Adds a finished class's {@code perClass} cost budget result.
     *
     * @param result the class and its result
     */
    public void addClassBudget(ReportClassBudget result) {
        classBudgets.add(result);
    }

    /**
     * The records so far.
     *
     * @return a snapshot
     */
    public List<TestRecord> records() {
        return List.copyOf(records);
    }

    /**
     * Adds a finished optimizer experiment, for the report's "Optimizer effects".
     *
     * @param pair the test's two arms
     */
    public void addExperiment(OptimizerEffects.Pair pair) {
        experiments.add(pair);
    }

    /**
     * Holds a finished test against the committed baseline (in {@code check} mode), so a regression
     * fails that test under its own name instead of the run as a whole. The baseline is read once
     * per run, at the first test that needs it.
     *
     * @param test the finished test (its status as far as known: budgets and assertions may still fail it)
     * @return the failure message when it regressed, or when the baseline cannot be read (naming the
     *     file and the fix); empty when it is within the baseline, new, skipped, or the gate is off
     */
    public Optional<String> gate(TestRecord test) {
        if (options.baselineMode() != BaselineMode.CHECK || test.status() == TestStatus.SKIPPED) {
            return Optional.empty();
        }
        Baseline accepted;
        String problem;
        synchronized (baselineLock) {
            if (!baselineRead) {
                baselineRead = true;
                try {
                    baseline = Files.exists(options.baselineFile()) ? Baseline.read(options.baselineFile()) : null;
                } catch (IllegalStateException | UncheckedIOException unreadable) {
                    baselineProblem = unreadable.getMessage();
                }
            }
            accepted = baseline;
            problem = baselineProblem;
        }
        if (problem != null) {
            return Optional.of("llmunit cannot hold " + test.id() + " against the baseline: " + problem);
        }
        if (accepted == null) {
            return Optional.empty();
        }
        List<Regression> regressions = LlmRunReport.regressions(test, accepted, options);
        return regressions.isEmpty() ? Optional.empty() : Optional.of(LlmRunReport.regressionFailure(regressions, options));
    }

    @Override
    public void close() {
        try {
            List<MissingFixture> missing = new ArrayList<>();
            for (FixtureServer server : servers.values()) {
                missing.addAll(server.missingFixtures());
            }
            if (records.isEmpty() && missing.isEmpty()) {
                return;
            }
            RunVerdict verdict;
            try {
                verdict = LlmRunReport.finish(List.copyOf(records), missing, List.copyOf(classBudgets), options);
            } catch (RuntimeException unwritable) {
                // An AssertionError, unlike an exception, reaches the build unwrapped (not as "Failed to close extension context").
                throw new AssertionFailedError("llmunit could not finish the run's report: " + unwritable.getMessage(), unwritable);
            }
            OptimizerEffects.write(List.copyOf(experiments), options.reportDir(), options.runKey(), EXPERIMENT_WRITES.incrementAndGet());
            // Regressions and an unreadable baseline already failed the tests they concern (see gate),
            // each under its own name; what only the whole run can break fails the run itself.
            Optional<dev.llmunit.junit.BudgetResult> suite = verdict.suiteBudget().filter(result -> !result.passed());
            if (suite.isPresent()) {
                // Thrown from the root store's close, this fails the test run itself (a non-zero Maven exit).
                throw new AssertionFailedError(LlmRunReport.suiteBudgetFailure(suite.get(), options));
            }
            if (verdict.failed() && options.baselineMode() != BaselineMode.CHECK) {
                throw new AssertionFailedError(verdict.failureMessage());
            }
        } finally {
            for (FixtureServer server : servers.values()) {
                server.close();
            }
        }
    }
}
