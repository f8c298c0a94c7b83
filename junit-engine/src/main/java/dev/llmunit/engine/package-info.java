/**
 * Eval cases from files as JUnit tests: {@link dev.llmunit.engine.LlmCases @LlmCases} names the
 * files and the target, the {@code llmunit} JUnit Platform engine runs one test per case.
 */
@NullMarked
package dev.llmunit.engine;

import org.jspecify.annotations.NullMarked;
