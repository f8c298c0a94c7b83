package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.and;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.or;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The request side of a fixture, shared by the provider DSLs: the path, the body matchers, the
 * declared latency, and how a {@link FixtureResponse} becomes one WireMock mapping (or several, in
 * a scenario, for a sequence). Immutable: every setter returns a copy, so a partly built fixture
 * can be reused as a template. Not API.
 */
final class FixtureSpec {

    /** A request that asks for a stream: {@code "stream": true} at the top level. */
    private static final StringValuePattern STREAMING = matchingJsonPath("$[?(@.stream == true)]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlmProvider provider;
    private final String path;
    private final List<Consumer<MappingBuilder>> matchers;
    private final @Nullable String model;
    private final @Nullable Boolean requestStreams;
    private final @Nullable Duration fixedDelay;
    private final @Nullable Duration logNormalMedian;
    private final double logNormalSigma;
    private final int dribbleChunks;
    private final @Nullable Duration dribbleDuration;

    FixtureSpec(LlmProvider provider, String endpoint) {
        this(provider, provider.basePath() + endpoint, List.of(), null, null, null, null, 0, 0, null);
    }

    private FixtureSpec(LlmProvider provider, String path, List<Consumer<MappingBuilder>> matchers, @Nullable String model,
            @Nullable Boolean requestStreams, @Nullable Duration fixedDelay, @Nullable Duration logNormalMedian,
            double logNormalSigma, int dribbleChunks, @Nullable Duration dribbleDuration) {
        this.provider = provider;
        this.path = path;
        this.matchers = List.copyOf(matchers);
        this.model = model;
        this.requestStreams = requestStreams;
        this.fixedDelay = fixedDelay;
        this.logNormalMedian = logNormalMedian;
        this.logNormalSigma = logNormalSigma;
        this.dribbleChunks = dribbleChunks;
        this.dribbleDuration = dribbleDuration;
    }

    String path() {
        return path;
    }

    /** The model the request must name, if the fixture says; for metadata of errors and faults. */
    @Nullable String model() {
        return model;
    }

    // ---- matching ----------------------------------------------------------------------------------

    private FixtureSpec plus(Consumer<MappingBuilder> matcher, @Nullable String newModel, @Nullable Boolean newRequestStreams) {
        List<Consumer<MappingBuilder>> more = new ArrayList<>(matchers);
        more.add(matcher);
        return new FixtureSpec(provider, path, more, newModel, newRequestStreams, fixedDelay, logNormalMedian, logNormalSigma,
                dribbleChunks, dribbleDuration);
    }

    FixtureSpec lastMessageFromUserContaining(String text) {
        WireFormat.requireText("text", text);
        // The content is a string (OpenAI, SDKs) or a list of blocks (LangChain4j's Anthropic client).
        // A string's content must not be mistaken for a list: WireMock would match a list's elements
        // by their toString(), where "type" and "text" appear as keys.
        StringValuePattern plainContent = and(
                matchingJsonPath("$.messages[-1].content", containing(text)),
                not(matchingJsonPath("$.messages[-1].content[0]")));
        StringValuePattern blockContent = matchingJsonPath("$.messages[-1].content[*].text", containing(text));
        return plus(mapping -> mapping
                .withRequestBody(matchingJsonPath("$.messages[-1].role", equalTo("user")))
                .withRequestBody(or(plainContent, blockContent)), model, requestStreams);
    }

    FixtureSpec modelEquals(String requestModel) {
        WireFormat.requireText("model", requestModel);
        if (model != null && !model.equals(requestModel)) {
            throw new IllegalArgumentException("this fixture already matches model '" + model + "', so it cannot also match '"
                    + requestModel + "'");
        }
        return plus(mapping -> mapping.withRequestBody(matchingJsonPath("$.model", equalTo(requestModel))), requestModel,
                requestStreams);
    }

    FixtureSpec requestMatching(String requestJson, Set<String> volatileFields) {
        if (requestJson == null) {
            throw new NullPointerException("requestJson must not be null");
        }
        if (volatileFields == null) {
            throw new NullPointerException("volatileFields must not be null");
        }
        Set<String> ignored = Set.copyOf(volatileFields);
        RequestMatching.matchingBody(post(urlPathEqualTo(path)), requestJson, ignored); // fails here, not at stubbing
        JsonNode body = parse(requestJson);
        JsonNode requestModel = body.path("model");
        String newModel = requestModel.isTextual() && !ignored.contains("model") ? requestModel.asText() : model;
        Boolean streams = ignored.contains("stream") ? requestStreams : Boolean.valueOf(body.path("stream").asBoolean(false));
        return plus(mapping -> RequestMatching.matchingBody(mapping, requestJson, ignored), newModel, streams);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("a fixture's request body must be JSON, but was: " + json, e);
        }
    }

    // ---- latency -----------------------------------------------------------------------------------

    FixtureSpec fixedDelay(Duration delay) {
        WireFormat.requireNonNegative("delay", delay);
        if (logNormalMedian != null) {
            throw new IllegalArgumentException("this fixture already has a log-normal delay (median " + logNormalMedian.toMillis()
                    + " ms); a fixture has either a fixed or a log-normal delay, not both; asked for fixed " + delay.toMillis() + " ms");
        }
        return new FixtureSpec(provider, path, matchers, model, requestStreams, delay, null, 0, dribbleChunks, dribbleDuration);
    }

    FixtureSpec logNormalDelay(Duration median, double sigma) {
        WireFormat.requireNonNegative("median", median);
        if (median.isZero()) {
            throw new IllegalArgumentException("median must be positive, but was " + median);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a positive number, such as 0.1 (tight) or 0.5 (long tail), but was "
                    + sigma);
        }
        if (fixedDelay != null) {
            throw new IllegalArgumentException("this fixture already has a fixed delay of " + fixedDelay.toMillis()
                    + " ms; a fixture has either a fixed or a log-normal delay, not both; asked for log-normal median "
                    + median.toMillis() + " ms");
        }
        return new FixtureSpec(provider, path, matchers, model, requestStreams, null, median, sigma, dribbleChunks, dribbleDuration);
    }

    FixtureSpec chunkedDribble(int chunks, Duration duration) {
        if (chunks < 1) {
            throw new IllegalArgumentException("chunks must be at least 1, but was " + chunks);
        }
        WireFormat.requireNonNegative("duration", duration);
        return new FixtureSpec(provider, path, matchers, model, requestStreams, fixedDelay, logNormalMedian, logNormalSigma, chunks,
                duration);
    }

    private @Nullable Integer latencyMillis() {
        if (fixedDelay == null && logNormalMedian == null && dribbleDuration == null) {
            return null;
        }
        long millis = (fixedDelay == null ? 0 : fixedDelay.toMillis())
                + (logNormalMedian == null ? 0 : logNormalMedian.toMillis())
                + (dribbleDuration == null ? 0 : dribbleDuration.toMillis());
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private void applyLatency(ResponseDefinitionBuilder response) {
        if (fixedDelay != null) {
            response.withFixedDelay((int) fixedDelay.toMillis());
        }
        if (logNormalMedian != null) {
            response.withLogNormalRandomDelay(logNormalMedian.toMillis(), logNormalSigma);
        }
        if (dribbleDuration != null) {
            response.withChunkedDribbleDelay(dribbleChunks, (int) dribbleDuration.toMillis());
        }
    }

    // ---- mappings ----------------------------------------------------------------------------------

    MappingBuilder mapping(FixtureResponse response) {
        return build(response, null, 0, 1);
    }

    List<MappingBuilder> sequence(List<FixtureResponse> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a sequence needs at least one step, but was empty");
        }
        // One scenario per sequence, never shared: parallel tests on one server keep their own state.
        String scenario = "llmunit " + provider.id() + " sequence " + UUID.randomUUID();
        List<MappingBuilder> mappings = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            mappings.add(build(steps.get(i), scenario, i, steps.size()));
        }
        return List.copyOf(mappings);
    }

    private MappingBuilder build(FixtureResponse response, @Nullable String scenario, int step, int steps) {
        if (requestStreams != null && response.stream() != null && !requestStreams.equals(response.stream())) {
            throw new IllegalArgumentException(requestStreams
                    ? "the fixture's request body has \"stream\": true, so it must reply with replyStream(..), not " + response.description()
                    : "the fixture's request body does not stream, so it must reply with replyText(..), not " + response.description());
        }
        if (dribbleDuration != null && String.valueOf(response.details().get("streamFault")).startsWith("stall")) {
            throw new IllegalArgumentException("the reply's stream fault " + response.details().get("streamFault")
                    + " dribbles the stream itself, so the fixture must not also declare withChunkedDribble(..); remove one");
        }
        MappingBuilder mapping = post(urlPathEqualTo(path));
        matchers.forEach(matcher -> matcher.accept(mapping));
        if (Boolean.TRUE.equals(response.stream())) {
            mapping.withRequestBody(STREAMING);
        } else if (Boolean.FALSE.equals(response.stream())) {
            mapping.withRequestBody(not(STREAMING));
        }
        ResponseDefinitionBuilder definition = response.response();
        applyLatency(definition);

        // The facts every fixture carries come from FixtureMetadata, the one place that defines them.
        String servedModel = response.model() != null ? response.model() : model;
        FixtureMetadata facts = FixtureMetadata.of(provider, servedModel).withStream(Boolean.TRUE.equals(response.stream()));
        Integer latency = latencyMillis();
        if (latency != null) {
            facts = facts.withLatencyMs(latency);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> llmunit = new LinkedHashMap<>((Map<String, Object>) facts.toMetadata().get(FixtureMetadata.KEY));
        llmunit.putAll(new TreeMap<>(response.details())); // sorted: the same fixture writes the same JSON
        String name = "llmunit " + provider.id() + ": " + response.description();
        if (scenario != null) {
            llmunit.put("scenario", scenario);
            llmunit.put("step", step + 1);
            llmunit.put("steps", steps);
            name += " (step " + (step + 1) + " of " + steps + ")";
        }
        mapping.withName(name).withMetadata(Map.of(FixtureMetadata.KEY, llmunit));

        if (scenario == null) {
            return mapping.willReturn(definition);
        }
        ScenarioMappingBuilder inScenario = mapping.inScenario(scenario)
                .whenScenarioStateIs(step == 0 ? Scenario.STARTED : stateOf(step));
        if (step < steps - 1) {
            inScenario.willSetStateTo(stateOf(step + 1));
        } // the last step keeps its state, so it answers every later request
        return inScenario.willReturn(definition);
    }

    private static String stateOf(int step) {
        return "step " + (step + 1);
    }
}
