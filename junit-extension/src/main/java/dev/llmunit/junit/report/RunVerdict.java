package dev.llmunit.junit.report;

/** Placeholder until the report lands. */
public record RunVerdict(boolean failed, String failureMessage) {}
