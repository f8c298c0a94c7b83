/**
 * AssertJ assertions for LLM responses and a test's call ledger: start from
 * {@link dev.llmunit.assertj.LlmAssertions} for hard assertions or
 * {@link dev.llmunit.assertj.LlmSoftAssertions} to collect several failures. Failure messages show
 * what actually happened: the text, the provider that served, every attempt, the cost, and for the
 * ledger every call with the totals. {@link dev.llmunit.assertj.TextSimilarity} is the pluggable
 * similarity of the semantic checks.
 */
@NullMarked
package dev.llmunit.assertj;

import org.jspecify.annotations.NullMarked;
