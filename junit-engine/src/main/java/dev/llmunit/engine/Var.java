package dev.llmunit.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Fills an {@link LlmTarget} parameter with one of the case's {@code vars}, converted to the parameter's type. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Var {

    /**
     * The variable's name in the case's {@code vars}.
     *
     * @return the name
     */
    String value();
}
