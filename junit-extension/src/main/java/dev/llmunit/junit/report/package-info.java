/**
 * The run's report and the baseline gate. The extension hands every finished test to
 * {@link dev.llmunit.junit.report.LlmRunReport#finish LlmRunReport.finish} once per test execution (once per
 * JVM, or once per test class when Surefire forks several JVMs); that
 * writes the execution's part, merges every part of the run into {@code report.json} and
 * {@code report.html}, prints a short summary, and checks the suite cost budget and the
 * committed {@code llmunit-baseline.json}. {@link dev.llmunit.junit.report.ReportMerge} does the
 * same for the reports of several CI shards; {@link dev.llmunit.junit.report.LlmReport} is the
 * report as data, read from and written to JSON.
 */
@NullMarked
package dev.llmunit.junit.report;

import org.jspecify.annotations.NullMarked;
