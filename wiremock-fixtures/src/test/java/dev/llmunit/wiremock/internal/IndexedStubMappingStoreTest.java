package dev.llmunit.wiremock.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.ImmutableRequest;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.store.InMemoryStubMappingStore;
import com.github.tomakehurst.wiremock.store.StubMappingStore;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.llmunit.wiremock.OpenAiFixtures;
import dev.llmunit.wiremock.RequestMatching;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The playback index decides exactly as WireMock's own store: for every request, the same stubs
 * match, in the same order, whatever the stubs (recorded, hand-written, lenient, with placeholders,
 * in scenarios, at other priorities) and the requests (reordered keys, other number spellings,
 * volatile fields, lenient or broken JSON); and it compares a request with only its own bucket
 * and the stubs it cannot index.
 */
class IndexedStubMappingStoreTest {

    private static final String CHAT = "/openai/v1/chat/completions";

    private static final String BILLING = """
            {"model": "gpt-4o-mini", "temperature": 1.0, "top_p": 0.70, "max_tokens": 100, "user": "u-1",
             "tool_choice": null, "messages": [
               {"role": "system", "content": "Route tickets. Réponds en français."},
               {"role": "user", "content": "I was charged twice."}]}
            """;
    private static final String REFUND = """
            {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Refund please"}],
             "response_format": {"type": "json_schema", "json_schema": {"name": "t", "strict": true, "schema": {"type": "object"}}}}
            """;
    private static final String HELLO = """
            {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello"}], "seed": 3}
            """;

    /** Stubs of every kind, built afresh for each store (a store numbers the stubs it holds). */
    private static List<StubMapping> stubs() {
        List<MappingBuilder> mappings = new ArrayList<>();
        // Recorded style: strict whole-body equalToJson with the default volatile fields.
        mappings.add(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), BILLING, RequestMatching.DEFAULT_VOLATILE_FIELDS)
                .withName("billing"));
        mappings.add(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), BILLING, RequestMatching.DEFAULT_VOLATILE_FIELDS)
                .withName("billing again, newer"));
        mappings.add(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), BILLING, RequestMatching.DEFAULT_VOLATILE_FIELDS)
                .atPriority(1).withName("billing at priority 1"));
        mappings.add(RequestMatching.matchingBody(post(urlPathEqualTo("/anthropic/v1/messages")), BILLING,
                RequestMatching.DEFAULT_VOLATILE_FIELDS).withName("billing on another path"));
        mappings.add(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), BILLING, Set.of("temperature", "user"))
                .withName("billing, temperature volatile"));
        mappings.add(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), REFUND, Set.of()).withName("refund, nothing volatile"));
        mappings.add(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), HELLO, RequestMatching.DEFAULT_VOLATILE_FIELDS)
                .withHeader("x-tenant", equalTo("a")).withName("hello for tenant a"));
        mappings.add(OpenAiFixtures.chatCompletion().whenRequestMatches(HELLO).replyText("hi"));
        // Hand-written and lenient matchers: never ruled out.
        mappings.add(post(urlPathEqualTo(CHAT)).withRequestBody(equalToJson(HELLO, true, true)).withName("hello, lenient"));
        mappings.add(post(urlPathEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o"))).withName("any gpt-4o"));
        mappings.add(post(urlPathEqualTo(CHAT)).withRequestBody(equalToJson(
                "{\"model\": \"gpt-4o\", \"messages\": \"${json-unit.any-string}\", \"seed\": 3}")).withName("placeholder"));
        mappings.add(post(urlPathEqualTo(CHAT)).withRequestBody(equalToJson("[1, 2]")).withName("array body"));
        mappings.add(post(urlPathEqualTo(CHAT)).withRequestBody(equalToJson("{'model': 'gpt-4o', /* lenient */ 'messages': []}"))
                .withName("single quotes"));
        mappings.add(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("charged").replyText("billing by message"));
        mappings.add(any(urlPathMatching("/openai(/.*)?")).atPriority(1_000_000).withName("catch-all"));
        List<StubMapping> stubs = new ArrayList<>();
        for (MappingBuilder mapping : mappings) {
            stubs.add(mapping.willReturn(aResponse().withStatus(200)).build());
        }
        // Mapping files as llmunit's own fixture sets hold them, read as WireMock reads them.
        for (Path file : mappingFiles()) {
            stubs.add(readStub(file));
        }
        return stubs;
    }

    private static List<String> requests() {
        List<String> bodies = new ArrayList<>(List.of(BILLING, REFUND, HELLO));
        bodies.add(BILLING.replace("\"temperature\": 1.0", "\"temperature\": 1"));          // the same number
        bodies.add(BILLING.replace("\"temperature\": 1.0", "\"temperature\": 1e0"));
        bodies.add(BILLING.replace("0.70", "0.7").replace("100", "1E2"));
        bodies.add(BILLING.replace("0.70", "0.700000000000000000001"));                      // another number
        bodies.add(BILLING.replace("\"temperature\": 1.0", "\"temperature\": 0.2"));
        bodies.add(BILLING.replace("\"user\": \"u-1\",", "\"user\": \"u-2\", \"seed\": 9, \"metadata\": {\"a\": 1},"));
        bodies.add(BILLING.replace("\"user\": \"u-1\",", ""));                                 // volatile field absent
        bodies.add(BILLING.replace("\"tool_choice\": null,", ""));                           // null is not absent
        bodies.add(BILLING.replace("\"tool_choice\": null,", "\"tool_choice\": null, \"n\": 1,")); // a field added
        bodies.add(BILLING.replace("Réponds", "R\\u00e9ponds"));                             // the same text, escaped
        bodies.add("{\"messages\": [{\"content\": \"Route tickets. Réponds en français.\", \"role\": \"system\"},"
                + " {\"content\": \"I was charged twice.\", \"role\": \"user\"}], \"tool_choice\": null, \"max_tokens\": 100.00,"
                + " \"top_p\": 0.7, \"temperature\": 1, \"model\": \"gpt-4o-mini\"}");           // keys in another order
        bodies.add(BILLING.replace("\"role\": \"system\", \"content\": \"Route tickets. Réponds en français.\"},\n"
                + "               {\"role\": \"user\", \"content\": \"I was charged twice.\"}",
                "\"role\": \"user\", \"content\": \"I was charged twice.\"},\n"
                + "               {\"role\": \"system\", \"content\": \"Route tickets. Réponds en français.\"}")); // messages swapped
        bodies.add(REFUND.replace("\"strict\": true", "\"strict\": false"));
        bodies.add(REFUND.replace("}}}}", "}}}, \"seed\": 1}"));                              // seed is not volatile for refund
        bodies.add(HELLO.replace("\"seed\": 3", "\"seed\": 4"));
        bodies.add(HELLO.replace("\"seed\": 3", "\"seed\": 3, \"stream\": true"));
        bodies.add("{'model': 'gpt-4o', /* lenient */ 'messages': []}");                      // only WireMock's parser reads it
        bodies.add("{\"model\": \"gpt-4o\", \"messages\": []}");
        bodies.add("[1, 2]");
        bodies.add("[1.0, 2]");
        bodies.add("null");
        bodies.add("not json");
        bodies.add("");
        bodies.add("{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"); // the files' fixture
        return bodies;
    }

    private static List<Request> requestVariants() {
        List<Request> requests = new ArrayList<>();
        for (String body : requests()) {
            for (String path : List.of(CHAT, "/anthropic/v1/messages")) {
                requests.add(request(RequestMethod.POST, path, body, null));
                requests.add(request(RequestMethod.POST, path, body, "a"));
            }
            requests.add(request(RequestMethod.PUT, CHAT, body, null));
        }
        requests.add(request(RequestMethod.GET, "/openai/v1/models", null, null));
        return requests;
    }

    @Test
    void matchesTheSameStubsInTheSameOrderAsWireMocksOwnStore() {
        // GIVEN the same stubs in WireMock's store and in the index, added in the same order
        StubMappingStore wireMock = new InMemoryStubMappingStore();
        StubMappingStore index = new IndexedStubMappingStore();
        stubs().forEach(wireMock::add);
        stubs().forEach(index::add);

        // WHEN / THEN every request matches the same stubs, in order
        int matched = 0;
        for (Request request : requestVariants()) {
            List<String> expected = matching(wireMock, request);
            assertThat(matching(index, request)).as("%s %s %s", request.getMethod(), request.getUrl(), request.getBodyAsString())
                    .isEqualTo(expected);
            matched += expected.isEmpty() ? 0 : 1;
        }
        assertThat(matched).as("requests some stub matched").isGreaterThan(50);
    }

    @Test
    void staysTheSameAsWireMocksStoreAfterRemovalsAndEdits() {
        // GIVEN
        StubMappingStore wireMock = new InMemoryStubMappingStore();
        StubMappingStore index = new IndexedStubMappingStore();
        List<StubMapping> inWireMock = stubs();
        List<StubMapping> inIndex = stubs();
        inWireMock.forEach(wireMock::add);
        inIndex.forEach(index::add);

        // WHEN each store loses the newest billing stub by id, the priority-1 one by an equal pattern,
        // and the refund stub is edited to answer HELLO instead
        for (int store = 0; store < 2; store++) {
            StubMappingStore target = store == 0 ? wireMock : index;
            List<StubMapping> held = store == 0 ? inWireMock : inIndex;
            target.remove(held.get(1));
            target.remove(StubMapping.buildFrom(Json.write(held.get(2))));
            StubMapping refund = held.get(5);
            StubMapping edited = RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), HELLO, Set.of())
                    .withId(refund.getId()).withName("refund edited to hello").willReturn(aResponse()).build();
            edited.setInsertionIndex(refund.getInsertionIndex());
            target.replace(refund, edited);
        }

        // THEN
        assertThat(names(index.getAll())).isEqualTo(names(wireMock.getAll())).doesNotContain("billing again, newer",
                "billing at priority 1", "refund, nothing volatile");
        for (Request request : requestVariants()) {
            assertThat(matching(index, request)).as("%s %s", request.getUrl(), request.getBodyAsString())
                    .isEqualTo(matching(wireMock, request));
        }
        assertThat(matching(index, request(RequestMethod.POST, CHAT, HELLO.replace(", \"seed\": 3", ""), null)))
                .doesNotContain("refund edited to hello");
        assertThat(matching(index, request(RequestMethod.POST, CHAT, HELLO, null))).contains("refund edited to hello");
        assertThat(matching(index, request(RequestMethod.POST, CHAT, REFUND, null))).doesNotContain("refund edited to hello");
        // a look-up by id (WireMock makes one for every stub it adds) finds what WireMock's store finds
        for (int i = 0; i < inIndex.size(); i++) {
            assertThat(index.get(inIndex.get(i).getId()).map(StubMapping::getName)).as("stub %d by id", i)
                    .isEqualTo(wireMock.get(inWireMock.get(i).getId()).map(StubMapping::getName));
        }
        assertThat(index.get(inIndex.get(5).getId()).map(StubMapping::getName)).contains("refund edited to hello");
        assertThat(index.get(inIndex.get(1).getId())).isEmpty();

        StubMapping first = inIndex.get(0);
        index.clear();
        assertThat(index.getAll()).isEmpty();
        assertThat(index.get(first.getId())).isEmpty();
        assertThat(matching(index, request(RequestMethod.POST, CHAT, BILLING, null))).isEmpty();
    }

    @Test
    void comparesARequestOnlyWithItsOwnFixturesAndTheStubsItCannotIndex() {
        // GIVEN 1,000 recorded fixtures and llmunit's catch-all
        IndexedStubMappingStore index = new IndexedStubMappingStore();
        for (int i = 0; i < 1_000; i++) {
            index.add(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), prompt(i), RequestMatching.DEFAULT_VOLATILE_FIELDS)
                    .withName("fixture " + i).willReturn(aResponse()).build());
        }
        index.add(any(urlPathMatching("/openai(/.*)?")).atPriority(1_000_000).withName("catch-all").willReturn(aResponse()).build());

        // WHEN / THEN a recorded request is compared with its fixture and the catch-all
        assertThat(names(index.candidates(request(RequestMethod.POST, CHAT, prompt(0), null)).stream()))
                .containsExactly("fixture 0", "catch-all");
        assertThat(names(index.candidates(request(RequestMethod.POST, CHAT, prompt(999).replace("}]", "}], \"seed\": 1"), null))
                .stream())).containsExactly("fixture 999", "catch-all");
        // an unrecorded request with the catch-all alone; one the index cannot read with every stub
        assertThat(names(index.candidates(request(RequestMethod.POST, CHAT, prompt(1_000), null)).stream())).containsExactly("catch-all");
        assertThat(index.candidates(request(RequestMethod.POST, CHAT, "{'lenient': true}", null))).hasSize(1_001);
    }

    @Test
    void servesScenarioSamplesAndPrioritiesOverHttpExactlyAsAPlainWireMock() throws Exception {
        // GIVEN two servers with the same stubs, one on WireMock's store and one on the index
        WireMockServer plain = new WireMockServer(config());
        WireMockServer indexed = new WireMockServer(config().withStores(new FixtureStores(config().filesRoot())));
        plain.start();
        indexed.start();
        try {
            for (WireMockServer server : List.of(plain, indexed)) {
                // three recorded samples of one request, played in turn (as repeats are), then the last for ever
                for (int sample = 1; sample <= 3; sample++) {
                    server.stubFor(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), BILLING,
                                    RequestMatching.DEFAULT_VOLATILE_FIELDS)
                            .inScenario("billing samples")
                            .whenScenarioStateIs(sample == 1 ? Scenario.STARTED : "sample " + sample)
                            .willSetStateTo(sample < 3 ? "sample " + (sample + 1) : "sample 3")
                            .willReturn(aResponse().withBody("sample " + sample)));
                }
                server.stubFor(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), REFUND, Set.of())
                        .willReturn(aResponse().withBody("refund")));
                server.stubFor(RequestMatching.matchingBody(post(urlPathEqualTo(CHAT)), REFUND, Set.of()).atPriority(1)
                        .willReturn(aResponse().withBody("refund first")));
                server.stubFor(post(urlPathEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o")))
                        .willReturn(aResponse().withBody("any gpt-4o")));
                server.stubFor(any(urlPathMatching("/.*")).atPriority(1_000_000).willReturn(aResponse().withStatus(404).withBody("none")));
            }

            // WHEN the same requests go to both, in the same order
            List<String> sent = List.of(BILLING, REFUND, BILLING.replace("\"user\": \"u-1\"", "\"user\": \"u-9\""), HELLO,
                    BILLING.replace("1.0", "1"), "{\"model\": \"gpt-5\"}", BILLING, "{'model': 'gpt-4o'}");
            List<String> fromPlain = new ArrayList<>();
            List<String> fromIndexed = new ArrayList<>();
            for (String body : sent) {
                fromPlain.add(send(plain, body));
                fromIndexed.add(send(indexed, body));
            }

            // THEN they answer alike, samples in turn included
            assertThat(fromIndexed).isEqualTo(fromPlain).containsExactly("200 sample 1", "200 refund first", "200 sample 2",
                    "200 any gpt-4o", "200 sample 3", "404 none", "200 sample 3", "200 any gpt-4o");
        } finally {
            plain.stop();
            indexed.stop();
        }
    }

    private static WireMockConfiguration config() {
        return wireMockConfig().bindAddress("127.0.0.1").dynamicPort();
    }

    private static String send(WireMockServer server, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + server.port() + CHAT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static String prompt(int i) {
        return "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Question " + i + "\"}]}";
    }

    private static List<String> matching(StubMappingStore store, Request request) {
        return names(store.findAllMatchingRequest(request, Map.of(), subEvent -> { }));
    }

    private static List<String> names(Stream<StubMapping> stubs) {
        return stubs.map(stub -> stub.getName() != null ? stub.getName() : stub.getId().toString()).toList();
    }

    private static Request request(RequestMethod method, String path, String body, String tenant) {
        ImmutableRequest.Builder builder = ImmutableRequest.create()
                .withAbsoluteUrl("http://127.0.0.1:8080" + path)
                .withMethod(method)
                .withHeader("Content-Type", "application/json");
        if (tenant != null) {
            builder.withHeader("x-tenant", tenant);
        }
        if (body != null) {
            builder.withBody(body.getBytes(StandardCharsets.UTF_8));
        }
        return LoggedRequest.createFrom(builder.build());
    }

    private static List<Path> mappingFiles() {
        Supplier<Path> root = () -> Path.of("src/test/resources/llmunit/fixtures/fixture-server-test/mappings");
        try (Stream<Path> files = Files.list(root.get())) {
            return files.sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static StubMapping readStub(Path file) {
        try {
            return StubMapping.buildFrom(Files.readString(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
