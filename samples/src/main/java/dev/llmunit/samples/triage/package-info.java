/**
 * A support-ticket triage service: {@link dev.llmunit.samples.triage.TriageService} asks an LLM,
 * through a LangChain4j {@code AiServices} interface, to classify each
 * {@link dev.llmunit.samples.triage.Ticket}; {@link dev.llmunit.samples.triage.TriageModels} builds
 * the production llmunit router (OpenAI first, Anthropic as fallback) it runs on.
 */
@NullMarked
package dev.llmunit.samples.triage;

import org.jspecify.annotations.NullMarked;
