package dev.llmunit.wiremock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.wiremock.LlmProvider;
import dev.llmunit.wiremock.RequestMatching;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What llmunit reads from a request, and the hash that names its fixture. */
class RequestFactsTest {

    private static RequestFacts facts(LlmProvider provider, String path, String body) {
        return RequestFacts.of(provider, "post", path, body.getBytes(StandardCharsets.UTF_8), RequestMatching.DEFAULT_VOLATILE_FIELDS);
    }

    @Test
    void hashesTheSameRequestTheSameWhateverTheKeyOrderAndVolatileFields() {
        RequestFacts first = facts(LlmProvider.OPENAI, "/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"user\":\"a\",\"seed\":1}");
        RequestFacts second = facts(LlmProvider.OPENAI, "/openai/v1/chat/completions",
                "{\"messages\":[{\"content\":\"Hi\",\"role\":\"user\"}],\"model\":\"gpt-4o-mini\",\"stream_options\":{\"include_usage\":true}}");

        assertThat(first.hash()).hasSize(12).matches("[0-9a-f]{12}").isEqualTo(second.hash());
        assertThat(first.fixtureName()).isEqualTo("openai-gpt-4o-mini-" + first.hash());
        assertThat(first.stubId()).isEqualTo(second.stubId());
        assertThat(first.method()).isEqualTo("POST");
    }

    @Test
    void hashesNumbersByTheirValueAsTheMatcherComparesThem() {
        // GIVEN spellings of one number (WireMock's equalToJson takes them for the same request)
        String hash = facts(LlmProvider.OPENAI, "/p", "{\"temperature\":1,\"top_p\":0.7,\"max_tokens\":100}").hash();

        // THEN they name the same fixture; another value names another
        assertThat(facts(LlmProvider.OPENAI, "/p", "{\"temperature\":1.0,\"top_p\":0.70,\"max_tokens\":1E2}").hash()).isEqualTo(hash);
        assertThat(facts(LlmProvider.OPENAI, "/p", "{\"temperature\":1e0,\"top_p\":7e-1,\"max_tokens\":100.000}").hash()).isEqualTo(hash);
        assertThat(facts(LlmProvider.OPENAI, "/p", "{\"temperature\":1,\"top_p\":0.700000000000000000001,\"max_tokens\":100}").hash())
                .isNotEqualTo(hash);
        assertThat(facts(LlmProvider.OPENAI, "/p", "{\"temperature\":\"1\",\"top_p\":0.7,\"max_tokens\":100}").hash()).isNotEqualTo(hash);
    }

    @Test
    void keepsTheNamesOfRecordingsWithoutDecimals() {
        // GIVEN a request of strings and integers, as most recorded requests are
        String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1000,\"n\":1,\"messages\":[{\"role\":\"user\",\"content\":\"Hi \\\"you\\\"\"}]}";

        // THEN its name is what it was before numbers were hashed by value: the hash of the body with sorted keys
        String canonical = "{\"max_tokens\":1000,\"messages\":[{\"content\":\"Hi \\\"you\\\"\",\"role\":\"user\"}],\"model\":\"gpt-4o-mini\",\"n\":1}";
        assertThat(facts(LlmProvider.OPENAI, "/p", body).hash())
                .isEqualTo(CanonicalBody.sha256("POST\n/p\n" + canonical).substring(0, 12));
    }

    @Test
    void hashesDifferentMessageOrderDifferently() {
        String a = "{\"role\":\"user\",\"content\":\"A\"}";
        String b = "{\"role\":\"assistant\",\"content\":\"B\"}";
        assertThat(facts(LlmProvider.OPENAI, "/p", "{\"messages\":[" + a + "," + b + "]}").hash())
                .isNotEqualTo(facts(LlmProvider.OPENAI, "/p", "{\"messages\":[" + b + "," + a + "]}").hash());
        assertThat(facts(LlmProvider.OPENAI, "/p", "{\"messages\":[]}").hash())
                .isNotEqualTo(facts(LlmProvider.OPENAI, "/q", "{\"messages\":[]}").hash());
    }

    @Test
    void readsTheLastUserMessageOfEachProvidersShape() {
        assertThat(facts(LlmProvider.OPENAI, "/p", "{\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"x\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"second\"}]}]}")
                .lastUserMessage()).isEqualTo("second");
        assertThat(facts(LlmProvider.ANTHROPIC, "/p", "{\"messages\":[{\"role\":\"user\",\"content\":\"  many \\n  spaces  \"}]}")
                .lastUserMessage()).isEqualTo("many spaces");
        assertThat(facts(LlmProvider.GEMINI, "/gemini/v1beta/models/gemini-2.0-flash:generateContent",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Bonjour\"}]}]}"))
                .satisfies(gemini -> {
                    assertThat(gemini.lastUserMessage()).isEqualTo("Bonjour");
                    assertThat(gemini.model()).isEqualTo("gemini-2.0-flash");
                    assertThat(gemini.fixtureName()).startsWith("gemini-gemini-2.0-flash-");
                });
        assertThat(facts(LlmProvider.OPENAI, "/p", "x".repeat(300)).lastUserMessage()).isEmpty();
        assertThat(RequestFacts.truncate("y".repeat(100))).hasSize(81).endsWith("…");
    }

    @Test
    void namesRequestsWithoutModelUnknownAndKeepsFileNamesSafe() {
        assertThat(facts(LlmProvider.OPENAI, "/openai/v1/models", "").fixtureName()).startsWith("openai-unknown-");
        assertThat(facts(LlmProvider.OPENAI, "/p", "{\"model\":\"ft:gpt-4o-mini:Org/Name:ab1\"}").fixtureName())
                .matches("openai-ft-gpt-4o-mini-org-name-ab1-[0-9a-f]{12}");
    }
}
