package dev.llmunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs an {@link LlmTest @LlmTest} method several times and passes or fails it by a
 * {@link Reducer} over the runs, because one run of a model says little about the next:
 *
 * <pre>{@code
 * @Test
 * @LlmRepeat(value = 5, reducer = "minPassRate(0.8)")
 * void classifiesARefundAsBilling(Router router, LlmCalls calls) { … }
 * }</pre>
 *
 * <p>The method body runs {@code value} times in one test ({@code @BeforeEach} and
 * {@code @AfterEach} run once around all runs); {@link LlmCalls} shows the current run's calls.
 * In playback run {@code n} plays the {@code n}-th recorded sample of each request (recorded as
 * {@code n} samples in {@code auto} mode), never one recording {@code value} times; a missing
 * sample fails that run with the fix. The report shows each run, the pass rate with its Wilson
 * 95 % interval and a label (stable, flaky, failing); the baseline gate compares the interval's
 * lower bound. Budgets ({@link CostBudget#perTest()} and the others) judge all runs' calls together.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LlmRepeat {

    /**
     * How many times to run the test.
     *
     * @return at least 1
     */
    int value();

    /**
     * The reducer, such as {@code minPassRate(0.8)}, {@code atLeast(4)}, {@code pass@3} or
     * {@code pass^3}; see {@link Reducer}. Default: every run must pass.
     *
     * @return the reducer's text
     */
    String reducer() default "minPassRate(1.0)";
}
