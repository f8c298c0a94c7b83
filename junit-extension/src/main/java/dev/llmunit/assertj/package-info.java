/**
 * AssertJ entry points for LLM responses and call ledgers. Arrives with the extension issue; the
 * package is empty until then.
 */
@NullMarked
package dev.llmunit.assertj;

import org.jspecify.annotations.NullMarked;
