/**
 * AssertJ assertions for LLM responses: start from {@link dev.llmunit.assertj.LlmAssertions} for
 * hard assertions or {@link dev.llmunit.assertj.LlmSoftAssertions} to collect several failures.
 * Failure messages show what actually happened: the text, the provider that served, every attempt
 * and the cost.
 */
@NullMarked
package dev.llmunit.assertj;

import org.jspecify.annotations.NullMarked;
