/** The {@code llmunit} TestEngine's implementation: discovery, eval-file parsing, grading. Not API. */
@NullMarked
package dev.llmunit.engine.internal;

import org.jspecify.annotations.NullMarked;
