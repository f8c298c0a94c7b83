package dev.llmunit.junit.internal;

import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.Repetitions;
import dev.llmunit.junit.report.ReportClassBudget;
import dev.llmunit.junit.report.TestRecord;
import dev.llmunit.junit.report.TestStatus;
import dev.llmunit.wiremock.FixtureException;
import dev.llmunit.wiremock.FixtureServer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * The one path a test takes through llmunit, whichever JUnit engine runs it: the Jupiter extension
 * ({@code @LlmTest}) and the eval-file engine ({@code @LlmCases}) both open a class here (its
 * fixture server shared through the run's {@link SuiteState}), start each test's
 * {@link TestScope}, check its budgets after it, and hand its {@link TestRecord} to the run's
 * report and baseline gate. Neither keeps a copy of any of these steps.
 */
public final class TestRuns {

    private TestRuns() {}

    /**
     * Opens a test class: the run's fixture server for its settings (started on first use, shared
     * by every class with the same fixture set and mode) and the class's scope.
     *
     * @param suite the run's state
     * @param settings the class's resolved settings
     * @param testClass the class, for messages
     * @param configuration the run's configuration parameters
     * @return the class's scope
     * @throws ExtensionConfigurationException when the server cannot start, naming the class and the fix
     */
    public static ClassScope openClass(SuiteState suite, ExtensionSettings settings, Class<?> testClass,
            Function<String, Optional<String>> configuration) {
        FixtureServer server = suite.server(settings.serverKey(), () -> startServer(settings, configuration, testClass));
        return new ClassScope(settings, suite, server, testClass.getName());
    }

    /**
     * Reads a test's (or, with no method, a class's) budget annotations before anything runs, so a
     * typo fails at once instead of after the test body spent money in record or live mode.
     *
     * @param method the test method, or {@code null} to check only the class's annotations
     * @param testClass the test's class
     * @throws ExtensionConfigurationException naming the annotation, its element, the value and the fix
     */
    public static void checkBudgetAnnotations(@Nullable Method method, Class<?> testClass) {
        try {
            Budgets.validate(method, testClass);
        } catch (IllegalArgumentException badAnnotation) {
            throw new ExtensionConfigurationException(badAnnotation.getMessage(), badAnnotation);
        }
    }

    /**
     * Ends a test on this thread and checks its budgets: the per-call and per-test budgets of the
     * method and its class (the class's {@code perClass} budget is judged once, by {@link #finishClass}).
     *
     * @param owner the test's class scope
     * @param test the test's scope; the results are kept in it for the report
     * @param method the test method (its budget annotations win over the class's), or {@code null} when
     *     the test has none (an eval case sent as a prompt): then only the class's budgets apply
     * @param testClass the test's class
     * @return every result, in the order checked; the test failed its budgets when one did not pass
     * @throws ExtensionConfigurationException when a budget annotation holds a value that is not an amount or a duration
     */
    public static List<BudgetResult> finishTest(ClassScope owner, TestScope test, @Nullable Method method, Class<?> testClass) {
        owner.endTest(test);
        List<BudgetResult> results;
        try {
            results = new ArrayList<>(Budgets.checkTest(method, testClass, test.ledger().all(), test.ledger().ensembles()));
        } catch (IllegalArgumentException badAnnotation) {
            throw new ExtensionConfigurationException(badAnnotation.getMessage(), badAnnotation);
        }
        test.budgets(results);
        return List.copyOf(results);
    }

    /**
     * Holds a finished test against the run's baseline, so a regression fails the test itself.
     *
     * @param owner the test's class scope
     * @param test the test's scope
     * @param id the test's report id
     * @param displayName its display name
     * @param repetitions its runs, or {@code null} when it ran once
     * @return the failure message, or empty when it is within the baseline (or there is none to check)
     */
    public static Optional<String> gate(ClassScope owner, TestScope test, String id, String displayName,
            @Nullable Repetitions repetitions) {
        return owner.suite().gate(record(test, id, displayName, TestStatus.PASSED, null, repetitions));
    }

    /**
     * Whether any budget result is broken.
     *
     * @param results the results of {@link #finishTest}
     * @return {@code true} when at least one did not pass
     */
    public static boolean anyBroken(List<BudgetResult> results) {
        return results.stream().anyMatch(result -> !result.passed());
    }

    /**
     * Checks the class's {@code perClass} budget once, after its last test, against every call of the
     * class (its tests' and those of {@code @BeforeAll} and {@code @AfterAll}): under parallel
     * execution the same total, and so the same verdict, on every run, where judging it after each
     * test would fail whichever test happened to finish last. The result goes into the run's report.
     *
     * @param owner the class's scope
     * @param testClass the class
     * @return the broken result to fail the class with, or empty
     * @throws ExtensionConfigurationException when the annotation holds a value that is not an amount
     */
    public static Optional<BudgetResult> finishClass(ClassScope owner, Class<?> testClass) {
        Optional<BudgetResult> perClass;
        try {
            perClass = Budgets.checkClass(testClass, owner.allCalls());
        } catch (IllegalArgumentException badAnnotation) {
            throw new ExtensionConfigurationException(badAnnotation.getMessage(), badAnnotation);
        }
        perClass.ifPresent(result -> owner.suite().addClassBudget(new ReportClassBudget(testClass.getName(), result)));
        return perClass.filter(result -> !result.passed());
    }

    /**
     * What a finished test gives the run's report.
     *
     * @param test the test's scope, or {@code null} when it never started (disabled, failed before)
     * @param id the test's report id
     * @param displayName its display name
     * @param status how it ended
     * @param cause why it failed, or {@code null}
     * @return the record to {@link SuiteState#add add} to the run
     */
    public static TestRecord record(@Nullable TestScope test, String id, String displayName, TestStatus status,
            @Nullable Throwable cause) {
        return record(test, id, displayName, status, cause, null);
    }

    /**
     * What a finished repeated test gives the run's report.
     *
     * @param test the test's scope, or {@code null} when it never started
     * @param id the test's report id
     * @param displayName its display name
     * @param status how it ended (the reducer's verdict, or a broken budget)
     * @param cause why it failed, or {@code null}
     * @param repetitions its runs and the reducer's verdict, or {@code null} when it ran once
     * @return the record
     */
    public static TestRecord record(@Nullable TestScope test, String id, String displayName, TestStatus status,
            @Nullable Throwable cause, @Nullable Repetitions repetitions) {
        String failure = "";
        if (cause != null) {
            String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
            failure = message.lines().findFirst().orElse("");
        }
        return new TestRecord(id, displayName, status, test == null ? List.of() : test.ledger().all(),
                test == null ? List.of() : test.budgets(), failure, repetitions, test == null ? List.of() : test.ledger().ensembles());
    }

    /**
     * What a finished optimizer experiment gives the run's report: the gated arm's calls only, so the
     * baseline gate judges that arm.
     *
     * @param test the test's scope, or {@code null} when it never started
     * @param id the test's report id
     * @param displayName its display name
     * @param status how it ended
     * @param cause why it failed, or {@code null}
     * @param repetitions its runs, or {@code null}
     * @param calls the calls to report
     * @return the record
     */
    public static TestRecord record(@Nullable TestScope test, String id, String displayName, TestStatus status,
            @Nullable Throwable cause, @Nullable Repetitions repetitions, List<LlmCall> calls) {
        TestRecord all = record(test, id, displayName, status, cause, repetitions);
        return new TestRecord(all.id(), all.displayName(), all.status(), calls, all.budgets(), all.failure(), all.repetitions(),
                all.ensembles());
    }

    private static FixtureServer startServer(ExtensionSettings settings, Function<String, Optional<String>> configuration,
            Class<?> testClass) {
        try {
            FixtureServer.Builder builder = FixtureServer.builder().configuration(configuration);
            if (settings.fixtureSet() != null) {
                builder.fixtureSet(settings.fixtureSet());
            }
            if (settings.mode() != null) {
                builder.mode(settings.mode());
            }
            return builder.build().start();
        } catch (FixtureException | IllegalArgumentException e) {
            String hint = settings.fixtureSet() == null
                    ? " Name a fixture set with @LlmTest(fixtures = \"…\") or -Dllmunit.fixtures=…"
                    : "";
            throw new ExtensionConfigurationException("llmunit cannot start the fixture server for " + testClass.getName() + ": "
                    + e.getMessage() + hint, e);
        }
    }
}
