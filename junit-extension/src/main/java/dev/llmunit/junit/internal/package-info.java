/**
 * The JUnit extension's implementation: settings, the call ledger, the recording router, budget
 * checks and the suite's shared state. Not API: nothing here is needed to use llmunit, and it may
 * change in any release.
 */
@NullMarked
package dev.llmunit.junit.internal;

import org.jspecify.annotations.NullMarked;
