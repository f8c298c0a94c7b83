package dev.llmunit.samples.triage;

import dev.llmunit.wiremock.LeakScanner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Guards the committed fixture set: recordings are redacted as they are written, and this proves it stayed so. */
class TriageFixturesTest {

    @Test
    void triageFixturesHoldNoApiKeyOrPrivateHeader() {
        LeakScanner.assertNoLeaks(Path.of("src/test/resources/llmunit/fixtures/triage"));
    }
}
