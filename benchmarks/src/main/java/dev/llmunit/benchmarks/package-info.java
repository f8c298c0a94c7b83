/** JMH benchmarks of llmunit's own overhead, each paired with the direct call it wraps. */
package dev.llmunit.benchmarks;
