/** A small support-ticket triage service built on a LangChain4j {@code AiServices} interface and the llmunit router. */
package dev.llmunit.samples;
