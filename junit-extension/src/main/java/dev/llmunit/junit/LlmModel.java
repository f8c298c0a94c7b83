package dev.llmunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Picks one configured provider for an injected LangChain4j {@code ChatModel} parameter, instead
 * of the test's router:
 *
 * <pre>{@code
 * @Test
 * void anthropicAlone(@LlmModel("anthropic") ChatModel claude, LlmCalls calls) { … }
 * }</pre>
 *
 * <p>The model is that provider alone, with no retries and no fallback, and its calls land in the
 * test's {@link LlmCalls ledger} like the router's.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface LlmModel {

    /**
     * The provider's name as configured, such as {@code openai}.
     *
     * @return the provider name
     */
    String value();
}
