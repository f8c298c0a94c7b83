/**
 * The JUnit 5 extension: {@link dev.llmunit.junit.LlmTest @LlmTest} (or
 * {@link dev.llmunit.junit.LlmExtension#builder()}), injection of routers wired to the suite's
 * fixture server, the per-test call ledger {@link dev.llmunit.junit.LlmCalls}, the budget
 * annotations ({@link dev.llmunit.junit.CostBudget}, {@link dev.llmunit.junit.LatencyBudget},
 * {@link dev.llmunit.junit.MinConfidence}), and, in {@code dev.llmunit.junit.report}, the run's
 * report and the baseline gate. Works on JUnit Jupiter 5.14 and on JUnit 6.
 */
@NullMarked
package dev.llmunit.junit;

import org.jspecify.annotations.NullMarked;
