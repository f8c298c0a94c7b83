package dev.llmunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Turns a test class into an llmunit test: one fixture server for the whole suite, a
 * {@code Router} (and per-provider {@code ChatModel}s) wired to it injected into each test, a
 * {@link LlmCalls call ledger} per test, the budget annotations checked after each test, and the
 * run's report in {@code target/llmunit}.
 *
 * <pre>{@code
 * @LlmTest(fixtures = "triage", providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
 * class TriageTest {
 *     @Test
 *     void routesARefund(Router router, LlmCalls calls) {
 *         assertThat(router.route(ChatRequest.builder()…build())).wasServedBy("openai");
 *         assertThat(calls).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * <p>Each attribute left empty falls back to the JUnit configuration parameter or system property
 * named in its Javadoc, then to the default. A system property {@code llmunit.mode} wins over the
 * annotation, so {@code -Dllmunit.mode=record} re-records any suite. For settings an annotation
 * cannot hold, register {@link LlmExtension#builder()} instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(LlmExtension.class)
public @interface LlmTest {

    /**
     * The fixture set: {@code src/test/resources/llmunit/fixtures/<set>/}. Falls back to
     * {@code llmunit.fixtures}, then no fixture files (fixtures come only from stubs).
     *
     * @return the fixture set's name
     */
    String fixtures() default "";

    /**
     * {@code playback}, {@code record}, {@code auto} or {@code live}. The configuration parameter
     * or system property {@code llmunit.mode} wins over it; the default is {@code playback}.
     *
     * @return the mode, or empty for the configured one
     */
    String mode() default "";

    /**
     * The providers of the injected router, in fallback order, each {@code provider:model} or
     * {@code name=provider:model} (providers: {@code openai}, {@code anthropic}, {@code gemini}),
     * such as {@code "openai:gpt-4o-mini"}. Falls back to {@code llmunit.providers} (comma-separated),
     * then {@code openai:gpt-4o-mini}. Ignored for the router when the class has an
     * {@link LlmRouter} method, but still used for {@link LlmModel} parameters.
     *
     * @return the provider specifications
     */
    String[] providers() default {};
}
