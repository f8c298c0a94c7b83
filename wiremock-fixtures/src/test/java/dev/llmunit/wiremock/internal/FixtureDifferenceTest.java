package dev.llmunit.wiremock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The one-line difference shown for the closest fixture. */
class FixtureDifferenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void namesTheFirstDifferingPathWithBothValues() throws Exception {
        assertThat(FixtureDifference.firstDifference(JSON.readTree("[{\"role\":\"user\",\"content\":\"Hi\"}]"),
                JSON.readTree("[{\"role\":\"user\",\"content\":\"Hello\"}]"), "messages"))
                .isEqualTo("messages[0].content: expected 'Hi' but was 'Hello'");
        assertThat(FixtureDifference.firstDifference(JSON.readTree("[1,2]"), JSON.readTree("[1,2,3]"), "xs"))
                .isEqualTo("xs: expected 2 items but was 3");
        assertThat(FixtureDifference.firstDifference(JSON.readTree("{\"a\":1}"), JSON.readTree("{\"a\":1,\"b\":2}"), "o"))
                .isEqualTo("o.b: not in the fixture but was 2");
        assertThat(FixtureDifference.firstDifference(JSON.readTree("{\"a\":1}"), JSON.readTree("{}"), "o"))
                .isEqualTo("o.a: expected 1 but the request has none");
        assertThat(FixtureDifference.firstDifference(JSON.readTree("{\"a\":[1]}"), JSON.readTree("{\"a\":[1]}"), "o")).isNull();
    }
}
