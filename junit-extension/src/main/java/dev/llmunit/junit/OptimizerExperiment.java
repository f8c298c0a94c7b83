package dev.llmunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs each {@link LlmTest @LlmTest} method twice to measure what a
 * {@link dev.llmunit.core.optimize.QueryOptimizer} does: arm A with the injected router as it is,
 * arm B with every request of the router going through the optimizer first. Each arm plays its own
 * recorded fixtures (an optimized request is a different request, so a different recording;
 * {@code auto} mode records both), and a request arm B has no recording for fails the test with a
 * missing-fixture error naming arm B.
 *
 * <pre>{@code
 * @LlmTest(fixtures = "triage", providers = "openai:gpt-4o-mini")
 * @OptimizerExperiment(optimizer = "compressing")
 * class TriageOptimizerTest {
 *     static QueryOptimizer compressing() {
 *         return QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression").build();
 *     }
 *     @Test
 *     void triagesAnOutage(Router router) { … }
 * }
 * }</pre>
 *
 * <p>The report's "Optimizer effects" section ({@code report.html}, and {@code optimizerEffects}
 * in {@code report.json}) shows per test and in total the paired differences B − A of pass/fail,
 * quality score (the optimizer's {@link dev.llmunit.core.optimize.QualityScorer} on every answer
 * of both arms), tokens, cost and judged p95 latency, with 95 % paired-bootstrap intervals over
 * the tests (fixed seed) and a verdict in words. The test itself passes or fails, and is recorded
 * for the baseline gate, by the arm {@link #gate()} names; budgets judge both arms' calls together.
 *
 * <p>The configuration parameter {@code llmunit.optimizer=compare} turns every {@code @LlmTest}
 * method into an experiment with {@link dev.llmunit.core.optimize.QueryOptimizer#standard()}.
 * Ensembles are not compared: the experiment rewrites the injected router's requests.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface OptimizerExperiment {

    /** The configuration parameter that makes every test an experiment: {@value}. */
    String CONFIGURATION = "llmunit.optimizer";

    /**
     * The name of a static no-argument method of the test class that returns the
     * {@code QueryOptimizer} of arm B. Empty: {@code QueryOptimizer.standard()}.
     *
     * @return the method name
     */
    String optimizer() default "";

    /**
     * The arm whose verdict and calls the test reports and the baseline gate judges: {@code "B"}
     * (with the optimizer, default) or {@code "A"} (without).
     *
     * @return {@code "A"} or {@code "B"}
     */
    String gate() default "B";
}
