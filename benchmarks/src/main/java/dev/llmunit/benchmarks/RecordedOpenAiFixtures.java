package dev.llmunit.benchmarks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.wiremock.FixtureMode;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.LlmProvider;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fixture set of {@code n} recorded OpenAI chat completions, one per ticket prompt, made the way
 * a user makes them: llmunit's fixture server in record mode, in front of a local stand-in for
 * OpenAI (a plain WireMock that answers every chat completion in OpenAI's wire format), with
 * LangChain4j's OpenAI client calling it. So the files are exactly what a recording writes
 * (strict whole-body {@code equalToJson}, llmunit metadata, body files), and plain WireMock serves
 * them unchanged. Shared by {@link PlaybackScaleBenchmark} and the generated-suite benchmark.
 */
public final class RecordedOpenAiFixtures {

    /** The model every fixture is recorded for. */
    public static final String MODEL = "gpt-4o-mini";
    /** The system prompt of every request. */
    public static final String SYSTEM_PROMPT = "You triage support tickets. Answer with the ticket's category only.";

    private static final int RECORDING_THREADS = 4;
    private static final Pattern TICKET_NUMBER = Pattern.compile("Ticket (\\d+):");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedOpenAiFixtures() {}

    /**
     * The user message of ticket {@code i}: distinct words per ticket, like a real suite's prompts.
     *
     * @param i the ticket number, from 0
     * @return the prompt
     */
    public static String prompt(int i) {
        return "Ticket " + i + ": the export of report " + (7919L * i % 100_003) + " stops at row " + (1000 + i)
                + " and the dashboard shows error E" + (i % 97) + ".";
    }

    /**
     * What the stand-in provider answered for ticket {@code i}, and so what its fixture replays.
     *
     * @param i the ticket number
     * @return the answer
     */
    public static String answer(int i) {
        return "BUG-" + i;
    }

    /**
     * The request a test sends for ticket {@code i}: the system prompt and the ticket.
     *
     * @param i the ticket number
     * @return the request
     */
    public static ChatRequest request(int i) {
        return ChatRequest.builder().messages(SystemMessage.from(SYSTEM_PROMPT), UserMessage.from(prompt(i))).build();
    }

    /**
     * The ticket number in a prompt or in a recorded request body.
     *
     * @param text text holding {@code Ticket <n>:}
     * @return the number, or -1 when there is none
     */
    public static int ticketNumber(String text) {
        Matcher matcher = TICKET_NUMBER.matcher(text);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /**
     * A directory under {@code java.io.tmpdir} holding the fixtures of tickets {@code 0..count-1},
     * recorded on first use and reused afterwards (JMH starts a JVM per benchmark and parameter).
     *
     * @param count how many fixtures
     * @return the fixture directory (with {@code mappings/} and {@code __files/})
     */
    public static Path cached(int count) {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"), "llmunit-recorded-openai-" + count);
        Path complete = directory.resolve("complete");
        if (Files.exists(complete)) {
            return directory;
        }
        deleteRecursively(directory);
        record(directory, count);
        try {
            Files.writeString(complete, Integer.toString(count));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory;
    }

    /**
     * Records the fixtures of tickets {@code 0..count-1} into a directory.
     *
     * @param directory where to write {@code mappings/} and {@code __files/}
     * @param count how many fixtures
     */
    public static void record(Path directory, int count) {
        WireMockServer provider = new WireMockServer(wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .maxRequestJournalEntries(10)
                .extensions(new StandInOpenAi()));
        provider.start();
        try (FixtureServer recorder = FixtureServer.builder()
                .fixtureDirectory(directory)
                .mode(FixtureMode.RECORD)
                .providers(LlmProvider.OPENAI)
                .apiKey(LlmProvider.OPENAI, "stand-in-key")
                .upstream(LlmProvider.OPENAI, URI.create("http://127.0.0.1:" + provider.port() + "/v1"))
                .build()
                .start()) {
            provider.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withTransformers(StandInOpenAi.NAME)));
            ChatModel model = FixtureModels.openAiChat(recorder, MODEL);
            // A few at a time: the server records parallel requests (one file each), and thousands one by one take minutes.
            ExecutorService callers = Executors.newFixedThreadPool(RECORDING_THREADS);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int ticket = i;
                    calls.add(callers.submit(() -> {
                        String text = model.chat(request(ticket)).aiMessage().text();
                        if (!answer(ticket).equals(text)) {
                            throw new IllegalStateException("recording ticket " + ticket + " expected '" + answer(ticket) + "', but got '"
                                    + text + "'");
                        }
                    }));
                }
                for (Future<?> call : calls) {
                    call.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while recording", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("recording failed: " + e.getCause(), e.getCause());
            } finally {
                callers.shutdownNow();
            }
            if (recorder.recordedFixtures().size() != count) {
                throw new IllegalStateException("expected " + count + " recordings, but " + recorder.recordedFixtures().size() + " were written");
            }
        } finally {
            provider.stop();
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** The stand-in provider: answers ticket {@code n} with {@link #answer(int)}, in OpenAI's wire format (the fixture DSL's). */
    private static final class StandInOpenAi implements ResponseDefinitionTransformerV2 {
        static final String NAME = "stand-in-openai";

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            int ticket;
            try {
                JsonNode messages = JSON.readTree(serveEvent.getRequest().getBodyAsString()).path("messages");
                ticket = ticketNumber(messages.path(messages.size() - 1).path("content").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ResponseDefinition reply = OpenAiFixtures.chatCompletion().anyRequest()
                    .replyText(answer(ticket), r -> r.usage(42, 3))
                    .build()
                    .getResponse();
            return aResponse().withStatus(200).withHeaders(reply.getHeaders()).withBody(reply.getBody()).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
