/**
 * Provider fixtures on WireMock: a fixture server that replays recorded OpenAI and Anthropic
 * traffic, records new traffic with secrets redacted, and injects faults and latency. Arrives with
 * the fixtures issue; the module builds empty until then.
 */
@NullMarked
package dev.llmunit.wiremock;

import org.jspecify.annotations.NullMarked;
