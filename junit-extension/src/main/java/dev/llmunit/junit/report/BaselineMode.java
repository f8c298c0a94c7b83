package dev.llmunit.junit.report;

/** Placeholder until the report lands. */
public enum BaselineMode { CHECK, UPDATE, OFF }
