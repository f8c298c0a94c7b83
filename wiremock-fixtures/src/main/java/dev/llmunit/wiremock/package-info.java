/**
 * Provider fixtures on WireMock. {@link dev.llmunit.wiremock.FixtureServer} plays OpenAI, Anthropic
 * and Gemini from plain WireMock stub mappings, records missing traffic with secrets redacted
 * ({@link dev.llmunit.wiremock.FixtureMode}), and reports requests with no fixture;
 * {@link dev.llmunit.wiremock.OpenAiFixtures} and {@link dev.llmunit.wiremock.AnthropicFixtures}
 * write exact wire formats, errors, faults and delays by hand; {@link dev.llmunit.wiremock.FixtureModels}
 * builds LangChain4j models pointed at the server; {@link dev.llmunit.wiremock.LeakScanner} proves
 * no fixture holds a secret.
 */
@NullMarked
package dev.llmunit.wiremock;

import org.jspecify.annotations.NullMarked;
