/**
 * Implementation classes of llmunit core. Not API: names and behaviour here change without notice; depend on the public packages instead.
 */
@NullMarked
package dev.llmunit.core.internal;

import org.jspecify.annotations.NullMarked;
