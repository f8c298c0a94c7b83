package dev.llmunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Cost limits in US dollars, checked from the {@link LlmCalls call ledger} after each test. On a
 * method it applies to that test; on a class to each of its tests, and a method's own attribute wins
 * over the class's. A breach fails the test with the calls that broke it. {@link #perClass()} is
 * judged once, after the class's last test, on all of the class's calls (those of {@code @BeforeAll}
 * and {@code @AfterAll} included), and a breach fails the class: the same total and verdict on every
 * run, however its tests were scheduled. A call whose cost is unknown (a model without a price)
 * breaks every cost budget: unknown never passes as free.
 *
 * <pre>{@code
 * @Test
 * @CostBudget(perCall = "0.001", perTest = "0.002")
 * void triagesCheaply(Router router) { … }
 * }</pre>
 *
 * <p>Amounts are plain decimal strings ({@code "0.002"}), so they are exact. An empty string means no limit.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface CostBudget {

    /**
     * The most one call may cost, such as {@code "0.001"}.
     *
     * @return a USD amount, or empty for no limit
     */
    String perCall() default "";

    /**
     * The most all calls of one test may cost together.
     *
     * @return a USD amount, or empty for no limit
     */
    String perTest() default "";

    /**
     * The most all calls of the class's tests may cost together; only read on a class.
     *
     * @return a USD amount, or empty for no limit
     */
    String perClass() default "";
}
