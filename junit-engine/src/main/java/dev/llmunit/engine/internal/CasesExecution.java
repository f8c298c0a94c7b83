package dev.llmunit.engine.internal;

import dev.llmunit.core.route.Router;
import dev.llmunit.engine.LlmCases;
import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.Repetitions;
import dev.llmunit.junit.internal.Budgets;
import dev.llmunit.junit.internal.ClassScope;
import dev.llmunit.junit.internal.ExtensionSettings;
import dev.llmunit.junit.internal.ProviderSpec;
import dev.llmunit.junit.internal.SuiteState;
import dev.llmunit.junit.internal.TestRuns;
import dev.llmunit.junit.internal.TestScope;
import dev.llmunit.junit.report.TestStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Runs the discovered classes and cases on the extension's run path ({@link TestRuns}): one
 * {@link SuiteState} for the engine's run (its fixture servers, its report part, its baseline
 * gate), one {@link ClassScope} per class, one {@link TestScope} per case. A case runs its
 * {@code repeat} runs one after another, run {@code n} playing the {@code n}-th recorded sample.
 */
final class CasesExecution {

    private final ExecutionRequest request;
    private final EngineExecutionListener listener;
    private final Function<String, Optional<String>> configuration;

    CasesExecution(ExecutionRequest request) {
        this.request = request;
        this.listener = request.getEngineExecutionListener();
        this.configuration = key -> request.getConfigurationParameters().get(key);
    }

    void run() {
        TestDescriptor root = request.getRootTestDescriptor();
        listener.executionStarted(root);
        Throwable failure = null;
        SuiteState suite = null;
        try {
            suite = new SuiteState(configuration);
            for (TestDescriptor child : root.getChildren()) {
                if (child instanceof CasesClassDescriptor cases) {
                    runClass(suite, cases);
                }
            }
        } catch (Throwable setup) {
            failure = setup;
        } finally {
            if (suite != null) {
                try {
                    suite.close(); // writes the report part, merges report.json/html, gates the baseline
                } catch (Throwable gate) {
                    failure = failure == null ? gate : failure;
                }
            }
        }
        listener.executionFinished(root, failure == null ? TestExecutionResult.successful() : TestExecutionResult.failed(failure));
    }

    private void runClass(SuiteState suite, CasesClassDescriptor descriptor) {
        listener.executionStarted(descriptor);
        Class<?> testClass = descriptor.testClass();
        LlmCases cases = descriptor.cases();
        try {
            ExtensionSettings settings = ExtensionSettings.resolve(testClass, cases.fixtures(), cases.mode(),
                    Arrays.asList(cases.providers()), null, "@LlmCases on " + testClass.getSimpleName(), configuration);
            ClassScope owner = TestRuns.openClass(suite, settings, testClass, configuration);
            // A budget typo fails the class before any case is sent (and spends money).
            TestRuns.checkBudgetAnnotations(descriptor.target().method(), testClass);
            ProviderSpec judge = cases.judge().isBlank() ? settings.providers().get(0)
                    : ProviderSpec.parse(cases.judge(), "@LlmCases(judge) on " + testClass.getSimpleName());
            Object instance = descriptor.target().needsInstance() ? instantiate(testClass) : null;
            for (TestDescriptor child : descriptor.getChildren()) {
                if (child instanceof CaseDescriptor caseDescriptor) {
                    runCase(suite, owner, descriptor, caseDescriptor, judge, instance);
                }
            }
            Optional<BudgetResult> broken = TestRuns.finishClass(owner, testClass);
            if (broken.isPresent()) {
                throw new AssertionFailedError(Budgets.breachMessage(testClass.getName(), List.of(broken.get())));
            }
            listener.executionFinished(descriptor, TestExecutionResult.successful());
        } catch (Throwable failure) {
            listener.executionFinished(descriptor, TestExecutionResult.failed(failure));
        }
    }

    private void runCase(SuiteState suite, ClassScope owner, CasesClassDescriptor classDescriptor, CaseDescriptor descriptor,
            ProviderSpec judgeSpec, @Nullable Object instance) {
        listener.executionStarted(descriptor);
        EvalCase evalCase = descriptor.evalCase();
        Target target = classDescriptor.target();
        TestScope test = owner.startTest(descriptor.reportId());
        Supplier<Router> judge = () -> test.judge(judgeSpec);
        List<Repetitions.Run> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Throwable error = null;
        for (int run = 1; run <= evalCase.repeat(); run++) {
            test.startRun(run);
            String label = evalCase.repeat() == 1 ? "" : "run " + run + ": ";
            try {
                String answer = target.answer(evalCase, owner, test, instance);
                Grader.Grade grade = Grader.grade(evalCase, answer, targetCalls(test.runCalls()), judge);
                String firstFailure = grade.checks().stream().filter(check -> !check.passed()).findFirst()
                        .map(Grader.Check::toString).orElse(firstLine(grade.summary()));
                runs.add(new Repetitions.Run(run, grade.passed(), grade.passed() ? "" : firstFailure));
                if (!grade.passed()) {
                    failures.add(label + grade.summary());
                }
            } catch (Throwable thrown) {
                String message = thrown.getMessage() == null ? thrown.getClass().getName() : thrown.getClass().getSimpleName() + ": "
                        + thrown.getMessage();
                runs.add(new Repetitions.Run(run, false, firstLine(message)));
                failures.add(label + "the target failed: " + message);
                if (error == null) {
                    error = thrown;
                }
            }
        }
        Repetitions repetitions = evalCase.repeat() == 1 ? null : Repetitions.judge(evalCase.reducer(), runs);
        Throwable failure;
        try {
            List<BudgetResult> budgets = TestRuns.finishTest(owner, test, target.method(), classDescriptor.testClass());
            boolean passed = repetitions != null ? repetitions.passed() : runs.get(0).passed();
            failure = verdict(descriptor, evalCase, passed, repetitions, failures, error, budgets);
            // The baseline gate fails the case that regressed, under its own name (not the run).
            Optional<String> regressed = TestRuns.gate(owner, test, descriptor.reportId(), evalCase.displayName(), repetitions);
            if (regressed.isPresent()) {
                AssertionFailedError gated = new AssertionFailedError(
                        (failure == null ? "" : failure.getMessage() + System.lineSeparator()) + regressed.get());
                if (failure != null) {
                    gated.initCause(failure);
                }
                failure = gated;
            }
        } catch (Throwable configuration) {
            failure = configuration;
        }
        suite.add(TestRuns.record(test, descriptor.reportId(), evalCase.displayName(),
                failure == null ? TestStatus.PASSED : TestStatus.FAILED, failure, repetitions));
        listener.executionFinished(descriptor, failure == null ? TestExecutionResult.successful() : TestExecutionResult.failed(failure));
    }

    private static @Nullable Throwable verdict(CaseDescriptor descriptor, EvalCase evalCase, boolean passed,
            @Nullable Repetitions repetitions, List<String> failures, @Nullable Throwable error, List<BudgetResult> budgets) {
        StringBuilder message = new StringBuilder();
        String where = evalCase.file() + ":" + evalCase.line();
        if (!passed) {
            message.append("llmunit case '").append(evalCase.key()).append("' (").append(where).append(") failed");
            if (repetitions != null) {
                message.append(": ").append(repetitions.summary());
            }
            message.append(System.lineSeparator()).append(String.join(System.lineSeparator(), failures));
        }
        if (TestRuns.anyBroken(budgets)) {
            if (message.length() > 0) {
                message.append(System.lineSeparator());
            }
            message.append(Budgets.breachMessage(descriptor.reportId(), budgets));
        }
        if (message.length() == 0) {
            return null;
        }
        AssertionFailedError failure = new AssertionFailedError(message.toString());
        if (error != null && !passed && repetitions == null) {
            failure.initCause(error);
        }
        return failure;
    }

    /** The target's calls of a run: not the judge's, whose cost counts for budgets but not for the case's cost assertion. */
    private static List<LlmCall> targetCalls(List<LlmCall> calls) {
        return calls.stream().filter(call -> !TestScope.JUDGE_SOURCE.equals(call.source())).toList();
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    private static Object instantiate(Class<?> testClass) throws ReflectiveOperationException {
        var constructor = testClass.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }
}
