package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The redaction rules, header by header. */
class RedactionTest {

    @Test
    void treatsCredentialRequestHeadersAsPrivateInAnyCase() {
        assertThat(Redaction.isPrivateRequestHeader("Authorization")).isTrue();
        assertThat(Redaction.isPrivateRequestHeader("X-Api-Key")).isTrue();
        assertThat(Redaction.isPrivateRequestHeader("api-key")).isTrue();
        assertThat(Redaction.isPrivateRequestHeader("x-goog-api-key")).isTrue();
        assertThat(Redaction.isPrivateRequestHeader("OpenAI-Organization")).isTrue();
        assertThat(Redaction.isPrivateRequestHeader("anthropic-version")).isFalse();
    }

    @Test
    void treatsAccountHeadersAndEveryCloudflareHeaderAsPrivate() {
        assertThat(Redaction.isPrivateResponseHeader("openai-organization")).isTrue();
        assertThat(Redaction.isPrivateResponseHeader("OpenAI-Project")).isTrue();
        assertThat(Redaction.isPrivateResponseHeader("anthropic-organization-id")).isTrue();
        assertThat(Redaction.isPrivateResponseHeader("Set-Cookie")).isTrue();
        assertThat(Redaction.isPrivateResponseHeader("CF-RAY")).isTrue();
        assertThat(Redaction.isPrivateResponseHeader("cf-cache-status")).isTrue();
        assertThat(Redaction.isPrivateResponseHeader("x-ratelimit-remaining-tokens")).isFalse();
    }

    @Test
    void storesOnlyHeadersThatAreNeitherPrivateVolatileNorTransport() {
        assertThat(Redaction.isStoredResponseHeader("Content-Type")).isTrue();
        assertThat(Redaction.isStoredResponseHeader("openai-processing-ms")).isTrue();
        assertThat(Redaction.isStoredResponseHeader("retry-after")).isTrue();
        assertThat(Redaction.isStoredResponseHeader("x-request-id")).isFalse();
        assertThat(Redaction.isStoredResponseHeader("request-id")).isFalse();
        assertThat(Redaction.isStoredResponseHeader("Date")).isFalse();
        assertThat(Redaction.isStoredResponseHeader("Content-Length")).isFalse();
        assertThat(Redaction.isStoredResponseHeader("Transfer-Encoding")).isFalse();
        assertThat(Redaction.isStoredResponseHeader(":status")).isFalse();
        assertThat(Redaction.isStoredResponseHeader("cf-ray")).isFalse();
    }

    @Test
    void neverStoresLlmunitsOwnPlaybackHeaders() {
        // An upstream that is itself a fixture server sends these; a new recording must not keep them.
        assertThat(Redaction.isStoredResponseHeader("x-llmunit-fixture")).isFalse();
        assertThat(Redaction.isStoredResponseHeader("X-Llmunit-Recorded-Latency-Ms")).isFalse();
        assertThat(Redaction.isStoredResponseHeader("x-llmunit-recorded-ttft-ms")).isFalse();
    }

    @Test
    void replacesVolatileIdsDeterministicallyAndKeepsIdsARequestCanReferTo() {
        // GIVEN
        String body = "data: {\"id\":\"chatcmpl-AbC123\",\"created\":1753862400,\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"call_Xy9\"}]}}]}\n\n"
                + "data: {\"id\":\"chatcmpl-AbC123\",\"created\":1753862400}\n\n"
                + "{\"id\":\"msg_01Abc\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01Q\"}]}\n"
                + "{\"id\":\"msg_02Other\"}";

        // WHEN
        String normalised = Redaction.normaliseResponseIds(body, "0123456789ab");

        // THEN
        assertThat(normalised)
                .contains("\"id\":\"chatcmpl-llmunit0123456789ab\",\"created\":1753862400")
                .doesNotContain("chatcmpl-AbC123", "msg_01Abc", "msg_02Other")
                .contains("\"msg_llmunit0123456789ab\"", "\"msg_llmunit0123456789ab-2\"", "\"call_Xy9\"", "\"toolu_01Q\"");
        assertThat(Redaction.normaliseResponseIds(normalised, "0123456789ab")).isEqualTo(normalised);
        assertThat(Redaction.normaliseResponseIds("{\"ok\":true}", "x")).isEqualTo("{\"ok\":true}");
    }
}
