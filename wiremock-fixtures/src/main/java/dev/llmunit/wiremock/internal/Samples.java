package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.llmunit.wiremock.FixtureServer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How the recorded samples of one request are stored: as a plain WireMock scenario named
 * {@code llmunit-samples <fixture name>}. Sample 1 is the request's ordinary fixture
 * ({@code <name>.json}), required state {@code Started}; sample {@code n} is
 * {@code <name>-sample-n.json}, required state {@code sample-n}; each moves the scenario to the next
 * sample, so the standalone WireMock jar serving the files plays samples 1, 2, … in order, each once.
 * llmunit's own server sets the state from each request's {@value FixtureServer#SAMPLE_HEADER}
 * instead (see {@link SampleSelector}), so run {@code n} of a repeated test always gets sample {@code n}.
 */
public final class Samples {

    /** The prefix of the scenario names of llmunit's samples. */
    public static final String SCENARIO_PREFIX = "llmunit-samples ";

    private Samples() {}

    /**
     * The sample a request asks for.
     *
     * @param request the request
     * @return its {@value FixtureServer#SAMPLE_HEADER}, or 1 when absent or not a whole number of 1 or more
     */
    public static int requested(LoggedRequest request) {
        String value = request.getHeader(FixtureServer.SAMPLE_HEADER);
        if (value == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Whether a request carries the sample header at all. */
    static boolean asked(LoggedRequest request) {
        return request.containsHeader(FixtureServer.SAMPLE_HEADER);
    }

    /** The scenario of a request's samples. */
    public static String scenario(String fixtureName) {
        return SCENARIO_PREFIX + fixtureName;
    }

    /** The state in which a sample is served. */
    public static String state(int sample) {
        return sample <= 1 ? Scenario.STARTED : "sample-" + sample;
    }

    /** The file name (without extension) of a sample's fixture. */
    public static String fileName(String fixtureName, int sample) {
        return sample <= 1 ? fixtureName : fixtureName + "-sample-" + sample;
    }

    /** The stub id of a sample's fixture, derived from its file name so re-recording keeps it. */
    public static UUID stubId(String fixtureName, int sample) {
        return UUID.nameUUIDFromBytes(("llmunit:" + fileName(fixtureName, sample)).getBytes(StandardCharsets.UTF_8));
    }

    /** Puts a sample's stub into its request's scenario. */
    public static void inScenario(MappingBuilder mapping, String fixtureName, int sample) {
        mapping.inScenario(scenario(fixtureName)).whenScenarioStateIs(state(sample)).willSetStateTo(state(sample + 1));
    }

    /** Puts an existing stub (sample 1, recorded before the request had samples) into its request's scenario. */
    public static void inScenario(StubMapping stub, String fixtureName, int sample) {
        stub.setScenarioName(scenario(fixtureName));
        stub.setRequiredScenarioState(state(sample));
        stub.setNewScenarioState(state(sample + 1));
    }

    /**
     * The request (fixture name) whose samples a stub belongs to.
     *
     * @param stub a stub
     * @return the fixture name, or {@code null} when the stub is not one of llmunit's samples
     */
    public static @Nullable String sampledRequest(StubMapping stub) {
        String scenario = stub.getScenarioName();
        return scenario != null && scenario.startsWith(SCENARIO_PREFIX) ? scenario.substring(SCENARIO_PREFIX.length()) : null;
    }
}
