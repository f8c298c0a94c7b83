package dev.llmunit.junit.internal;

import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.OptimizerExperiment;
import dev.llmunit.junit.report.OptimizerEffects;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.MissingFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Runs a test as an {@link OptimizerExperiment}: arm A, then arm B, each arm's calls and scores
 * kept apart, and the pair handed to the run's "Optimizer effects".
 */
public final class OptimizerExperiments {

    private OptimizerExperiments() {}

    /**
     * A test's experiment settings.
     *
     * @param optimizer arm B's optimizer
     * @param gate {@code "A"} or {@code "B"}
     */
    public record Setup(QueryOptimizer optimizer, String gate) {}

    /**
     * The outcome of both arms.
     *
     * @param pair the measured pair
     * @param callsOfGate the calls of the gated arm, for the test's record
     * @param failure what the test fails with, or null when the gated arm passed
     */
    public record Outcome(OptimizerEffects.Pair pair, List<LlmCall> callsOfGate, @Nullable Throwable failure) {}

    /** A test body run. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs the body once.
         *
         * @throws Throwable what the body threw
         */
        void run() throws Throwable;
    }

    /**
     * The experiment of a test method, from {@code @OptimizerExperiment} on the method or class or
     * {@code llmunit.optimizer=compare}.
     *
     * @param method the test method
     * @param testClass the test class
     * @param configuration the run's configuration parameters
     * @return the setup, or null when the test is no experiment
     * @throws ExtensionConfigurationException for a bad setting, naming it, the value and the fix
     */
    public static @Nullable Setup setup(Method method, Class<?> testClass, Function<String, Optional<String>> configuration) {
        Optional<OptimizerExperiment> annotation = AnnotationSupport.findAnnotation(method, OptimizerExperiment.class)
                .or(() -> AnnotationSupport.findAnnotation(testClass, OptimizerExperiment.class));
        Optional<String> configured = configuration.apply(OptimizerExperiment.CONFIGURATION).map(String::strip);
        if (configured.isPresent() && !configured.get().equals("compare") && !configured.get().equals("off")) {
            throw new ExtensionConfigurationException(OptimizerExperiment.CONFIGURATION + " is '" + configured.get()
                    + "'; use 'compare' to run every test with and without the optimizer, or 'off'");
        }
        if (annotation.isEmpty() && !configured.map("compare"::equals).orElse(false)) {
            return null;
        }
        String gate = annotation.map(OptimizerExperiment::gate).orElse("B").strip().toUpperCase(java.util.Locale.ROOT);
        if (!gate.equals("A") && !gate.equals("B")) {
            throw new ExtensionConfigurationException("@OptimizerExperiment(gate = \"" + annotation.get().gate() + "\") on "
                    + testClass.getSimpleName() + ": gate must be \"A\" (without the optimizer) or \"B\" (with it)");
        }
        String factory = annotation.map(OptimizerExperiment::optimizer).orElse("");
        return new Setup(factory.isBlank() ? QueryOptimizer.standard() : optimizer(testClass, factory.strip()), gate);
    }

    private static QueryOptimizer optimizer(Class<?> testClass, String name) {
        String fix = "; declare 'static QueryOptimizer " + name + "()' in " + testClass.getSimpleName();
        Method factory;
        try {
            factory = testClass.getDeclaredMethod(name);
        } catch (NoSuchMethodException missing) {
            throw new ExtensionConfigurationException("@OptimizerExperiment(optimizer = \"" + name + "\"): " + testClass.getSimpleName()
                    + " has no method " + name + "()" + fix, missing);
        }
        if (!Modifier.isStatic(factory.getModifiers()) || !QueryOptimizer.class.isAssignableFrom(factory.getReturnType())) {
            throw new ExtensionConfigurationException("@OptimizerExperiment(optimizer = \"" + name + "\"): " + factory
                    + " must be static and return a QueryOptimizer" + fix);
        }
        try {
            factory.setAccessible(true);
            QueryOptimizer optimizer = (QueryOptimizer) factory.invoke(null);
            if (optimizer == null) {
                throw new ExtensionConfigurationException("@OptimizerExperiment(optimizer = \"" + name + "\"): " + name + "() returned null"
                        + fix);
            }
            return optimizer;
        } catch (IllegalAccessException | InvocationTargetException e) {
            Throwable cause = e instanceof InvocationTargetException target && target.getCause() != null ? target.getCause() : e;
            throw new ExtensionConfigurationException("@OptimizerExperiment(optimizer = \"" + name + "\"): " + name + "() failed: " + cause,
                    cause);
        }
    }

    /**
     * Runs both arms.
     *
     * @param testId the test's report id
     * @param test the test's scope; its router must be the experiment's {@link ArmRouter}
     * @param server the fixture server, for missing fixtures
     * @param setup the experiment
     * @param first runs the body the first time (JUnit's invocation)
     * @param again runs the body again
     * @return both arms and what the test fails with
     */
    public static Outcome run(String testId, TestScope test, FixtureServer server, Setup setup, Body first, Body again) {
        ArmRouter arms = test.armRouter();
        int missingBefore = server.missingFixtures().size();
        test.startArm();
        if (arms != null) {
            arms.startArm(false);
        }
        Throwable failureA = body(first);
        List<LlmCall> callsA = test.runCalls();
        List<Double> scoresA = arms == null ? List.of() : arms.scores();
        List<MissingFixture> missingA = since(server, missingBefore);
        int missingAfterA = server.missingFixtures().size();
        test.startArm();
        if (arms != null) {
            arms.startArm(true);
        }
        Throwable failureB = body(again);
        List<LlmCall> callsB = test.runCalls();
        List<Double> scoresB = arms == null ? List.of() : arms.scores();
        List<MissingFixture> missingB = since(server, missingAfterA);
        OptimizerEffects.Pair pair = new OptimizerEffects.Pair(testId, setup.gate(), arm(failureA, callsA, scoresA),
                arm(failureB, callsB, scoresB));
        Throwable failure;
        if (!missingB.isEmpty()) {
            failure = missing("B (with the optimizer)", testId, missingB);
        } else if (!missingA.isEmpty()) {
            failure = missing("A (without the optimizer)", testId, missingA);
        } else {
            failure = setup.gate().equals("A") ? failureA : failureB;
        }
        return new Outcome(pair, setup.gate().equals("A") ? callsA : callsB, failure);
    }

    private static @Nullable Throwable body(Body body) {
        try {
            body.run();
            return null;
        } catch (TestAbortedException aborted) {
            throw aborted;
        } catch (Throwable failure) {
            return failure;
        }
    }

    private static List<MissingFixture> since(FixtureServer server, int before) {
        List<MissingFixture> all = server.missingFixtures();
        return List.copyOf(all.subList(Math.min(before, all.size()), all.size()));
    }

    private static AssertionFailedError missing(String arm, String testId, List<MissingFixture> missing) {
        StringBuilder message = new StringBuilder("llmunit: optimizer experiment ").append(testId).append(": arm ").append(arm)
                .append(" has no recorded fixture for ").append(missing.size()).append(missing.size() == 1 ? " request" : " requests")
                .append(". The optimizer rewrites requests, so arm B needs recordings of its own: run once with -Dllmunit.mode=auto,")
                .append(" which records the missing requests of both arms.");
        for (MissingFixture request : missing) {
            message.append(System.lineSeparator()).append("  ").append(request.provider().id()).append(' ').append(request.model())
                    .append(", last user message: \"").append(shorten(request.lastUserMessage())).append('"');
            if (request.closestFixture() != null) {
                message.append(" (closest fixture ").append(request.closestFixture()).append(')');
            }
        }
        return new AssertionFailedError(message.toString());
    }

    private static String shorten(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= 100 ? line : line.substring(0, 100) + "…";
    }

    private static OptimizerEffects.Arm arm(@Nullable Throwable failure, List<LlmCall> calls, List<Double> scores) {
        long tokens = 0;
        for (LlmCall call : calls) {
            tokens += call.usage().inputTokens() + call.usage().outputTokens();
        }
        var cost = CallLedger.totalCost(calls);
        Double quality = scores.isEmpty() ? null : scores.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        long p95 = calls.isEmpty() ? 0 : CallLedger.percentile(calls, 95).toMillis();
        String message = failure == null ? "" : failure.getMessage() == null ? failure.getClass().getName()
                : failure.getMessage().lines().findFirst().orElse("");
        BigDecimal usd = cost == null ? null : cost.amount();
        return new OptimizerEffects.Arm(failure == null, quality, tokens, usd, p95, calls.size(), message);
    }
}
