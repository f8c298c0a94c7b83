/**
 * The JUnit 5 extension: {@code @LlmTest}, injection of routers wired to fixtures, the per-test
 * call ledger, budgets, the report and the baseline gate. Arrives with the extension issue; the
 * module builds empty until then.
 */
@NullMarked
package dev.llmunit.junit;

import org.jspecify.annotations.NullMarked;
