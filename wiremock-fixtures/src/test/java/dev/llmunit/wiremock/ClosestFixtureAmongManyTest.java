package dev.llmunit.wiremock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A miss among thousands of recorded-like fixtures whose prompts share most of their words still
 * names the one fixture that differs least, as the closest fixture's message says.
 */
@Timeout(60)
class ClosestFixtureAmongManyTest {

    private static final int FIXTURES = 5_000;
    private static FixtureServer server;

    /** Ticket {@code i}'s prompt: every ticket shares the sentence, the numbers tell them apart. */
    private static String prompt(int i) {
        return "Ticket " + i + ": the export of report " + (7919L * i % 100_003) + " stops at row " + (1000 + i)
                + " and the dashboard shows error E" + (i % 97) + ".";
    }

    @BeforeAll
    static void serveFiveThousandWholeBodyFixtures() {
        server = FixtureServer.builder().build().start();
        List<MappingBuilder> stubs = new ArrayList<>();
        for (int i = 0; i < FIXTURES; i++) {
            String body = "{\"model\":\"" + FakeProviders.OPENAI_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + prompt(i) + "\"}],\"stream\":false}";
            stubs.add(OpenAiFixtures.chatCompletion().whenRequestMatches(body).replyText("BUG-" + i).withName("ticket " + i));
        }
        server.stubAll(stubs);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void forgetEarlierMisses() {
        server.clearMissingFixtures();
    }

    @Test
    void namesTheFixtureThatDiffersInOneWord() {
        // GIVEN ticket 4321's prompt with its error code changed
        String asked = prompt(4321).replace("error E" + (4321 % 97), "error E999");

        // WHEN
        Throwable error = catchThrowable(() -> Clients.chat(Clients.openAi(server), asked));

        // THEN
        assertThat(error).hasMessageContaining("Closest fixture 'ticket 4321'");
        assertThat(server.missingFixtures()).singleElement().satisfies(missing -> {
            assertThat(missing.closestFixture()).isEqualTo("ticket 4321");
            assertThat(missing.difference()).contains("messages[0].content");
        });
    }

    @Test
    void namesItWhenTheRequestHasWordsNoFixtureHas() {
        // GIVEN ticket 17's prompt with words no fixture uses
        String asked = prompt(17) + " Happens since Tuesday's upgrade.";

        // WHEN
        catchThrowable(() -> Clients.chat(Clients.openAi(server), asked));

        // THEN
        assertThat(server.missingFixtures()).singleElement()
                .satisfies(missing -> assertThat(missing.closestFixture()).isEqualTo("ticket 17"));
    }

    @Test
    void aFixtureAddedAfterAMissIsFoundByTheNextMissAndARemovedOneIsNot() {
        // GIVEN a miss whose closest fixture is ticket 99, its summaries kept for the next miss
        String asked = prompt(99).replace("stops at row", "halts near row");
        catchThrowable(() -> Clients.chat(Clients.openAi(server), asked));
        assertThat(server.missingFixtures()).singleElement().satisfies(missing -> assertThat(missing.closestFixture()).isEqualTo("ticket 99"));
        server.clearMissingFixtures();

        // WHEN a fixture closer to the request is added, the same request misses again, then the fixture goes
        String body = "{\"model\":\"" + FakeProviders.OPENAI_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + asked.replace("near row", "at row") + "\"}],\"stream\":false}";
        var added = server.stub(OpenAiFixtures.chatCompletion().whenRequestMatches(body).replyText("BUG-99b").withName("ticket 99 halts"));
        catchThrowable(() -> Clients.chat(Clients.openAi(server), asked));
        server.wireMock().removeStubMapping(added);
        catchThrowable(() -> Clients.chat(Clients.openAi(server), asked));

        // THEN the second miss names the new fixture, the third the old one again
        assertThat(server.missingFixtures()).extracting(MissingFixture::closestFixture).containsExactly("ticket 99 halts", "ticket 99");
    }

    @Test
    void stillServesEveryRecordedPrompt() {
        assertThat(Clients.chat(Clients.openAi(server), prompt(0)).aiMessage().text()).isEqualTo("BUG-0");
        assertThat(Clients.chat(Clients.openAi(server), prompt(FIXTURES - 1)).aiMessage().text()).isEqualTo("BUG-" + (FIXTURES - 1));
        assertThat(server.missingFixtures()).isEmpty();
    }
}
