/**
 * The query optimizer: detects a request's {@link dev.llmunit.core.optimize.TaskType}, rewrites it
 * with small {@link dev.llmunit.core.optimize.OptimizationStrategy strategies} (structured-output
 * instructions, step-by-step reasoning, few-shot examples, compression, parameter tuning), and
 * learns from a bounded {@link dev.llmunit.core.optimize.OptimizationHistory} which strategies pay
 * off per task type, with a seeded bandit so playback is deterministic.
 */
@NullMarked
package dev.llmunit.core.optimize;

import org.jspecify.annotations.NullMarked;
