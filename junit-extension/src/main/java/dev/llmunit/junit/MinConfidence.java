package dev.llmunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least {@link Confidence confidence} every successful call of a test must have, checked after
 * the test from the {@link LlmCalls call ledger}. A call whose confidence is unknown breaks it. The
 * calls of an ensemble run are judged together by the run's confidence ({@link EnsembleCall#confidence()},
 * calibrated where the ensemble has a calibration), so it works for members without log-probabilities.
 * On a class it applies to each test; a method's annotation wins.
 *
 * <pre>{@code
 * @Test
 * @MinConfidence(0.8)
 * void classifiesConfidently(Router router) { … }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface MinConfidence {

    /**
     * The least confidence, between 0 and 1.
     *
     * @return the minimum
     */
    double value();
}
