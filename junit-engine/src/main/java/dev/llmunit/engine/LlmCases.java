package dev.llmunit.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the eval cases of files as tests of this class, one test per case, on llmunit's JUnit
 * Platform engine (id {@code llmunit}): the same fixture server, call ledger, budgets, report and
 * baseline gate as {@code @LlmTest}.
 *
 * <pre>{@code
 * @LlmCases(value = "evals/triage/*.yaml", fixtures = "triage")
 * class TriageEvalTest {
 *     @LlmTarget
 *     String triage(@Var("subject") String subject, @Var("body") String body, Router router) {
 *         return new TriageService(router).triageRouted(new Ticket("T", subject, body)).route().text();
 *     }
 * }
 * }</pre>
 *
 * <p>The target is the class's {@link LlmTarget} method, given the case's variables, or, when the
 * class has none, {@link #prompt()} with each {@code {{name}}} replaced by the case's variable, sent
 * through the injected router. Name the class like a test ({@code …Test}) so Maven Surefire and
 * Gradle select it. The class's {@code @CostBudget}, {@code @LatencyBudget}, {@code @MinConfidence}
 * and {@code @LlmRouter} apply as they do for {@code @LlmTest}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LlmCases {

    /**
     * The eval files, as globs relative to {@code llmunit/} on the test class path (the folder
     * {@code src/test/resources/llmunit/}), such as {@code evals/triage/*.yaml} or {@code evals/**}.
     * Files end in {@code .yaml}, {@code .yml}, {@code .json}, {@code .jsonl} or {@code .csv}.
     *
     * @return one or more globs
     */
    String[] value();

    /**
     * The fixture set, as {@code @LlmTest(fixtures)}; falls back to {@code llmunit.fixtures}.
     *
     * @return the set's name, or empty
     */
    String fixtures() default "";

    /**
     * The mode, as {@code @LlmTest(mode)}; a configured {@code llmunit.mode} wins.
     *
     * @return the mode, or empty
     */
    String mode() default "";

    /**
     * The providers of the injected router, as {@code @LlmTest(providers)}.
     *
     * @return {@code provider:model} or {@code name=provider:model} entries, in fallback order
     */
    String[] providers() default {};

    /**
     * The user message sent for each case when the class has no {@link LlmTarget} method, with
     * {@code {{name}}} replaced by the case's variable {@code name}.
     *
     * @return the template, or empty
     */
    String prompt() default "";

    /**
     * A system message sent before {@link #prompt()}, with the same replacements.
     *
     * @return the template, or empty for none
     */
    String system() default "";

    /**
     * The judge model of {@code llm-rubric} assertions, {@code provider:model} such as
     * {@code openai:gpt-4o-mini}. Its calls go through the fixture server like any other (recorded,
     * played back) and count in the case's ledger, cost and budgets; assertions on cost, latency and
     * confidence judge only the target's calls. Default: the first provider.
     *
     * @return the judge, or empty for the first provider
     */
    String judge() default "";
}
