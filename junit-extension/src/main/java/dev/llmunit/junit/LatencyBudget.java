package dev.llmunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Latency limits checked from the {@link LlmCalls call ledger} after each test: for every call
 * ({@link #perCall()}) or for a percentile of the test's calls ({@link #p50()}, {@link #p95()},
 * {@link #p99()}, nearest rank), and for the time to the first token of streamed calls ({@link #ttft()}). The latency judged is {@link LlmCall#judgedLatency()}: in playback
 * the recorded provider latency plus backoff, so the verdict is the same on every run and machine.
 * On a class it applies to each test; a method's own attribute wins.
 *
 * <pre>{@code
 * @Test
 * @LatencyBudget(perCall = "2s", p95 = "800ms")
 * void answersQuickly(Router router) { … }
 * }</pre>
 *
 * <p>Durations are written {@code 800ms}, {@code 2s}, {@code 1.5s}, {@code 1m} or ISO-8601
 * ({@code PT2S}). An empty string means no limit.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface LatencyBudget {

    /**
     * The longest any one call may take.
     *
     * @return a duration such as {@code "2s"}, or empty for no limit
     */
    String perCall() default "";

    /**
     * The longest the median call may take.
     *
     * @return a duration, or empty for no limit
     */
    String p50() default "";

    /**
     * The longest the 95th-percentile call may take.
     *
     * @return a duration, or empty for no limit
     */
    String p95() default "";

    /**
     * The longest the 99th-percentile call may take.
     *
     * @return a duration, or empty for no limit
     */
    String p99() default "";

    /**
     * The longest any streamed call may take to its first token ({@link LlmCall#timeToFirstToken()}):
     * in playback the serving fixture's recorded time to first token plus the attempts and backoff
     * before it. Calls that did not stream count their whole judged latency, since their first
     * token comes with the whole answer.
     *
     * @return a duration such as {@code "300ms"}, or empty for no limit
     */
    String ttft() default "";
}
