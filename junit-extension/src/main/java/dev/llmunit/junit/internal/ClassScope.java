package dev.llmunit.junit.internal;

import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.stream.StreamingRouter;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.wiremock.FixtureServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * One test class's state: its settings and server, the ledgers of its tests (for a per-class cost
 * budget), and a ledger for calls made outside any test ({@code @BeforeAll}, a router injected into
 * a per-class test instance's constructor that is used on a thread no test runs on).
 */
public final class ClassScope {

    private static final ThreadLocal<@Nullable CallLedger> RUNNING_TEST = new ThreadLocal<>();

    private final ExtensionSettings settings;
    private final SuiteState suite;
    private final FixtureServer server;
    private final CallLedger classLedger;
    private final ConcurrentLinkedQueue<CallLedger> testLedgers = new ConcurrentLinkedQueue<>();
    private volatile @Nullable RecordingRouter classRouter;
    private volatile @Nullable RecordingEnsemble classEnsemble;
    private volatile @Nullable RecordingStreamingRouter classStreaming;

    /**
     * Creates a class's state.
     *
     * @param settings the class's settings
     * @param suite the run's state
     * @param server the class's fixture server
     * @param className the class, for messages
     */
    public ClassScope(ExtensionSettings settings, SuiteState suite, FixtureServer server, String className) {
        this.settings = settings;
        this.suite = suite;
        this.server = server;
        this.classLedger = new CallLedger(className + " (outside any test)");
    }

    /**
     * The run's state, shared by every class.
     *
     * @return the run's state
     */
    public SuiteState suite() {
        return suite;
    }

    /**
     * The class's fixture server.
     *
     * @return the shared server
     */
    public FixtureServer server() {
        return server;
    }

    /**
     * The class's settings.
     *
     * @return the settings
     */
    public ExtensionSettings settings() {
        return settings;
    }

    /**
     * Starts a test: its ledger, also the one class-level routers record into on this thread.
     *
     * @param testId the test's id
     * @return the test's scope
     */
    public TestScope startTest(String testId) {
        CallLedger ledger = new CallLedger(testId);
        testLedgers.add(ledger);
        // A parallel executor may run another test on this thread while this one waits; remember what
        // was running so ending that test hands the thread back instead of clearing it.
        TestScope scope = new TestScope(this, ledger, RUNNING_TEST.get());
        RUNNING_TEST.set(ledger);
        return scope;
    }

    /**
     * Ends a test on this thread, handing the thread back to the test that ran on it before.
     *
     * @param test the test's scope
     */
    public void endTest(TestScope test) {
        CallLedger previous = test.previouslyRunning();
        if (previous == null) {
            RUNNING_TEST.remove();
        } else {
            RUNNING_TEST.set(previous);
        }
    }

    /**
     * Every call of the class: those made outside tests, then each test's by test id, so the list
     * (and a class budget's message) is the same however the tests were scheduled.
     *
     * @return the calls
     */
    public List<LlmCall> allCalls() {
        List<LlmCall> calls = new ArrayList<>(classLedger.all());
        List<CallLedger> byTest = new ArrayList<>(testLedgers);
        byTest.sort(java.util.Comparator.comparing(CallLedger::owner));
        for (CallLedger ledger : byTest) {
            calls.addAll(ledger.all());
        }
        return calls;
    }

    /**
     * The router for class-level injection (a constructor of a per-class test instance,
     * {@code @BeforeAll}): it records into the test running on the calling thread, else the class's ledger.
     *
     * @return the class's router
     */
    public synchronized RecordingRouter classRouter() {
        RecordingRouter router = classRouter;
        if (router == null) {
            router = new RecordingRouter(buildRouter(), "router", () -> {
                CallLedger running = RUNNING_TEST.get();
                return running != null ? running : classLedger;
            });
            classRouter = router;
        }
        return router;
    }

    /**
     * The ensemble for class-level injection: it records into the test running on the calling
     * thread, else the class's ledger.
     *
     * @return the class's ensemble
     */
    public synchronized RecordingEnsemble classEnsemble() {
        RecordingEnsemble ensemble = classEnsemble;
        if (ensemble == null) {
            ensemble = new RecordingEnsemble(buildEnsemble(), () -> {
                CallLedger running = RUNNING_TEST.get();
                return running != null ? running : classLedger;
            });
            classEnsemble = ensemble;
        }
        return ensemble;
    }

    /**
     * The streaming router for class-level injection: it records into the test running on the
     * calling thread, else the class's ledger.
     *
     * @return the class's streaming router
     */
    public synchronized RecordingStreamingRouter classStreaming() {
        RecordingStreamingRouter streaming = classStreaming;
        if (streaming == null) {
            streaming = new RecordingStreamingRouter(buildStreaming(), "router", () -> {
                CallLedger running = RUNNING_TEST.get();
                return running != null ? running : classLedger;
            }, () -> 1);
            classStreaming = streaming;
        }
        return streaming;
    }

    /**
     * Builds a new streaming router for one test with the user's {@code @LlmRouter} factory.
     *
     * @return a streaming router no other test shares
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException when the class's
     *     {@code @LlmRouter} method returns no streaming router, or it fails
     */
    StreamingRouter buildStreaming() {
        var factory = settings.streamingFactory();
        if (factory == null) {
            throw new org.junit.jupiter.api.extension.ExtensionConfigurationException("llmunit has no StreamingRouter to inject: "
                    + (settings.routerFactoryName().isEmpty() ? "the class has no @LlmRouter method"
                            : settings.routerFactoryName() + " returns no StreamingRouter")
                    + "; return one from the @LlmRouter method (StreamingRouter.builder()...build())");
        }
        StreamingRouter built = fromFactory(factory, "a streaming router", "StreamingRouter");
        return built instanceof RecordingStreamingRouter recording ? recording.delegate() : built;
    }

    /**
     * Builds a new ensemble for one test with the user's {@code @LlmRouter} factory.
     *
     * @return an ensemble no other test shares
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException when the class has no
     *     ensemble factory or it fails
     */
    Ensemble buildEnsemble() {
        var factory = settings.ensembleFactory();
        if (factory == null) {
            throw new org.junit.jupiter.api.extension.ExtensionConfigurationException("llmunit has no Ensemble to inject: "
                    + (settings.routerFactory() != null ? settings.routerFactoryName() + " returns a Router, so there is no Ensemble to inject"
                            : "the class has no @LlmRouter method")
                    + "; return an Ensemble from the @LlmRouter method (Ensemble.builder()...build())");
        }
        Ensemble built = fromFactory(factory, "an ensemble", "Ensemble");
        return built instanceof RecordingEnsemble recording ? recording.delegate() : built;
    }

    /**
     * Builds a new router for one test: the user's factory, or the configured providers in fallback order.
     *
     * @return a router no other test shares
     */
    Router buildRouter() {
        if (settings.routerFactory() != null) {
            Router built = fromFactory(settings.routerFactory(), "a router", "Router");
            return built instanceof RecordingRouter recording ? recording.delegate() : built;
        }
        var builder = Router.builder().name("llmunit");
        for (ProviderSpec spec : settings.providers()) {
            builder.provider(spec.name(), suite.model(settings.serverKey(), server, spec), provider -> provider.modelName(spec.model()));
        }
        // No jitter: with fixtures the same backoff on every run keeps latency verdicts reproducible.
        return builder.retry(retry -> retry.jitter(0)).priceCatalog(suite.prices()).build();
    }

    /**
     * Calls the user's {@code @LlmRouter} method: its own configuration error passes through, any
     * other failure or a null becomes a configuration error naming the method.
     *
     * @param factory the method, given this class's fixture server
     * @param what what it builds, for the message ("a router")
     * @param type the type it must return, for the message ("Router")
     * @return what it built, never null
     */
    private <T> T fromFactory(java.util.function.Function<FixtureServer, T> factory, String what, String type) {
        T built;
        try {
            built = factory.apply(server);
        } catch (org.junit.jupiter.api.extension.ExtensionConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(settings.routerFactoryName()
                    + " failed to build " + what + ": " + e, e);
        }
        if (built == null) {
            throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(settings.routerFactoryName()
                    + " returned null; return the " + type + " the tests should use");
        }
        return built;
    }

    /**
     * A router of one configured provider alone, for {@code @LlmModel}: no retries, no fallback.
     *
     * @param name the provider's configured name
     * @return a new router
     * @throws IllegalArgumentException when no provider has that name, listing the configured ones
     */
    Router buildSingle(String name) {
        for (ProviderSpec spec : settings.providers()) {
            if (spec.name().equals(name)) {
                return buildSingle(spec);
            }
        }
        throw new IllegalArgumentException("@LlmModel(\"" + name + "\") names no configured provider; the providers are "
                + settings.providers() + ". Add it to @LlmTest(providers) or llmunit.providers, such as \"" + name + "=openai:gpt-4o-mini\"");
    }

    /**
     * A router of one provider alone, on this class's fixture server: no retries, no fallback.
     *
     * @param spec the provider and model
     * @return a new router
     */
    Router buildSingle(ProviderSpec spec) {
        return Router.builder().name("llmunit-" + spec.name())
                .provider(spec.name(), suite.model(settings.serverKey(), server, spec), provider -> provider.modelName(spec.model()))
                .retry(retry -> retry.maxRetries(0))
                .priceCatalog(suite.prices())
                .build();
    }
}
