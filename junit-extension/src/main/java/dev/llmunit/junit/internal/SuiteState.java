package dev.llmunit.junit.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.junit.report.LlmRunReport;
import dev.llmunit.junit.report.RunOptions;
import dev.llmunit.junit.report.RunVerdict;
import dev.llmunit.junit.report.TestRecord;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.MissingFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * What a whole test run shares, kept in JUnit's root store so it lives exactly as long as the run:
 * the fixture servers (one per distinct fixture set and mode, shared by every class and thread),
 * the LangChain4j models pointed at them (stateless, so shared; each test still gets its own
 * router), and the finished tests' records. Closing it writes the report and gates the run, then
 * stops the servers.
 */
public final class SuiteState implements AutoCloseable {

    private final Map<String, FixtureServer> servers = new ConcurrentHashMap<>();
    private final Map<String, ChatModel> models = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<TestRecord> records = new ConcurrentLinkedQueue<>();
    private final Function<String, Optional<String>> configuration;

    /**
     * Creates the state of a run.
     *
     * @param configuration the run's configuration parameters (JUnit backs them with system properties)
     */
    public SuiteState(Function<String, Optional<String>> configuration) {
        this.configuration = configuration;
    }

    /**
     * The started fixture server for a configuration, started on first use.
     *
     * @param key what makes servers differ, such as the fixture set and mode
     * @param factory builds and starts the server
     * @return the shared server
     */
    public FixtureServer server(String key, Supplier<FixtureServer> factory) {
        return servers.computeIfAbsent(key, ignored -> factory.get());
    }

    /**
     * The shared LangChain4j model for a provider on a server.
     *
     * @param serverKey the server's key
     * @param server the server
     * @param spec the provider
     * @return the model, built on first use
     */
    public ChatModel model(String serverKey, FixtureServer server, ProviderSpec spec) {
        return models.computeIfAbsent(serverKey + "|" + spec.provider().id() + ":" + spec.model(), ignored -> spec.model(server));
    }

    /**
     * Adds a finished test.
     *
     * @param record the test's record
     */
    public void add(TestRecord record) {
        records.add(record);
    }

    /**
     * The records so far.
     *
     * @return a snapshot
     */
    public List<TestRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
        try {
            List<MissingFixture> missing = new ArrayList<>();
            for (FixtureServer server : servers.values()) {
                missing.addAll(server.missingFixtures());
            }
            if (records.isEmpty() && missing.isEmpty()) {
                return;
            }
            RunOptions options = RunOptions.fromConfiguration(configuration, Path.of("").toAbsolutePath(), System.out);
            RunVerdict verdict = LlmRunReport.finish(List.copyOf(records), missing, options);
            if (verdict.failed()) {
                // Thrown from the root store's close, this fails the test run itself (a non-zero Maven exit).
                throw new AssertionFailedError(verdict.failureMessage());
            }
        } finally {
            for (FixtureServer server : servers.values()) {
                server.close();
            }
        }
    }
}
