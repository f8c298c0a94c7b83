package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** llmunit's facts in a stub's metadata, written and read back. */
class FixtureMetadataTest {

    @Test
    void survivesARoundTripThroughAMappingFile() {
        // GIVEN
        FixtureMetadata facts = new FixtureMetadata("openai", "gpt-4o-mini", 812L, 240L, LocalDate.of(2025, 6, 1), true);
        StubMapping stub = post(urlPathEqualTo("/openai/v1/chat/completions")).withMetadata(facts.toMetadata())
                .willReturn(okJson("{}")).build();

        // WHEN
        StubMapping reread = Json.read(Json.write(stub), StubMapping.class);

        // THEN
        assertThat(Json.write(stub)).contains("\"llmunit\"", "\"latencyMs\" : 812", "\"recordedAt\" : \"2025-06-01\"");
        assertThat(FixtureMetadata.from(reread)).hasValue(facts);
    }

    @Test
    void leavesUnknownFieldsOutAndBuildsByCopy() {
        FixtureMetadata facts = FixtureMetadata.of(LlmProvider.ANTHROPIC, "claude-sonnet-4-5").withLatencyMs(300).withStream(true);
        assertThat(facts.toMetadata()).isEqualTo(Map.of(FixtureMetadata.KEY,
                Map.of("provider", "anthropic", "model", "claude-sonnet-4-5", "stream", true, "latencyMs", 300L)));
        assertThat(facts.withTimeToFirstTokenMs(90).timeToFirstTokenMs()).isEqualTo(90L);
    }

    @Test
    void isAbsentFromStubsWithoutIt() {
        assertThat(FixtureMetadata.from(post(urlPathEqualTo("/x")).willReturn(okJson("{}")).build())).isEmpty();
    }

    @Test
    void rejectsNegativeLatencyAndWronglyTypedFields() {
        assertThatThrownBy(() -> FixtureMetadata.of(LlmProvider.OPENAI, null).withLatencyMs(-1))
                .hasMessage("latencyMs must be at least 0, but was -1");
        StubMapping stub = post(urlPathEqualTo("/x")).withName("slow one")
                .withMetadata(Map.of("llmunit", Map.of("provider", "openai", "latencyMs", "fast"))).willReturn(okJson("{}")).build();
        assertThatThrownBy(() -> FixtureMetadata.from(stub))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stub 'slow one': metadata.llmunit.latencyMs must be a whole number of milliseconds such as 812,"
                        + " but was the string \"fast\"");
    }
}
