package dev.llmunit.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;

import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The stubbed provider the engine's tests run against: fixed answers per question, with usage (so
 * exact costs) and fixed delays (so recorded latencies), a judge, and a coin whose four recorded
 * samples answer heads, tails, heads, tails.
 */
final class Stubs {

    /** gpt-4o-mini: 100 input x $0.15/M + 10 output x $0.60/M. */
    static final String CAPITAL_COST = "0.000021";

    private static final Set<FixtureServer> STUBBED = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private Stubs() {}

    /** A router over the stubs; the stubs are added to a server once. */
    static Router router(FixtureServer server) {
        if (STUBBED.add(server)) {
            stub(server);
        }
        return Router.builder().provider("openai", FixtureModels.openAiChat(server, "gpt-4o-mini")).retry(retry -> retry.jitter(0)).build();
    }

    private static void stub(FixtureServer server) {
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("capital of France").withFixedDelay(Duration.ofMillis(120))
                .replyText("The capital of France is Paris.", reply -> reply.usage(100, 10)).withName("capital"));
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Give me JSON")
                .replyText("{\"city\": \"Paris\"}", reply -> reply.usage(20, 8)).withName("json"));
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("How long do refunds take?")
                .replyText("Refunds reach your card within 5 days.", reply -> reply.usage(30, 9)).withName("refund"));
        server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Rubric: States how many days")
                .replyText("{\"pass\": true, \"score\": 0.9, \"reason\": \"It says 5 days.\"}", reply -> reply.usage(80, 20))
                .withName("judge"));
        String[] coin = {"heads", "tails", "heads", "tails"};
        for (int sample = 1; sample <= coin.length; sample++) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("Flip a coin")
                    .replyText(coin[sample - 1], reply -> reply.usage(10, 1))
                    .withHeader(FixtureServer.SAMPLE_HEADER, sample == 1 ? absent() : equalTo(Integer.toString(sample)))
                    .withName("coin sample " + sample));
        }
    }
}
