package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.llmunit.wiremock.LlmProvider;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Serves sample {@code n} of a request to the run that asks for it: before WireMock matches a
 * request whose fixture has samples (or that asks for sample 2 or later), it sets the request's
 * sample scenario to the state of the sample asked for, under a lock per request held until the
 * match is made, so parallel tests asking for different samples of the same request never see
 * each other's state. A request asking for a sample that is not recorded matches no fixture: in
 * playback it gets the missing-fixture answer, in {@code auto} mode it is recorded as that sample.
 * Requests to a server without samples pay one header lookup.
 */
public final class SampleSelector implements ServeEventListener {

    /** The extension's name. */
    public static final String NAME = "llmunit-samples";

    private static final ThreadLocal<@Nullable ReentrantLock> HELD = new ThreadLocal<>();

    private final FixtureRuntime runtime;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /**
     * Creates the selector.
     *
     * @param runtime the server's shared state
     */
    public SampleSelector(FixtureRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
        release();
        LoggedRequest request = serveEvent.getRequest();
        boolean asked = Samples.asked(request);
        if (!asked && !runtime.hasSamples()) {
            return;
        }
        String path = URI.create(request.getUrl()).getRawPath();
        LlmProvider provider = LlmProvider.forPath(path);
        if (provider == null) {
            return;
        }
        int sample = Samples.requested(request);
        RequestFacts facts = RequestFacts.of(provider, request.getMethod().getName(), path, request.getBody(), runtime.volatileFields());
        String name = facts.fixtureName();
        WireMockServer wireMock = runtime.wireMock();
        if (!runtime.isSampled(name)) {
            if (sample <= 1) {
                return;
            }
            // The request's first recording becomes sample 1 of its scenario, so it no longer answers
            // every request: sample 2 must be a recording of its own.
            StubMapping first = stub(wireMock, name);
            if (first != null && !first.isInScenario()) {
                Samples.inScenario(first, name, 1);
                wireMock.editStubMapping(first);
            }
            runtime.markSampled(name);
        }
        ReentrantLock lock = locks.computeIfAbsent(name, key -> new ReentrantLock());
        lock.lock();
        HELD.set(lock);
        try {
            wireMock.setScenarioState(Samples.scenario(name), Samples.state(sample));
        } catch (RuntimeException noSuchScenario) {
            // Nothing of this request is recorded as a sample yet: no stub can match, which is what we want.
        }
    }

    private static @Nullable StubMapping stub(WireMockServer wireMock, String name) {
        try {
            return wireMock.getSingleStubMapping(Samples.stubId(name, 1));
        } catch (RuntimeException notThere) {
            return null;
        }
    }

    @Override
    public void afterMatch(ServeEvent serveEvent, Parameters parameters) {
        release();
    }

    @Override
    public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
        release();
    }

    private static void release() {
        ReentrantLock lock = HELD.get();
        if (lock != null) {
            HELD.remove();
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
