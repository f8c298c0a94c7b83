package dev.llmunit.junit.internal;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.error.ErrorAggregator;
import dev.llmunit.core.error.ProviderHealth;
import dev.llmunit.core.http.HttpExchangeCapture;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureServer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Router} that wraps another: every {@link dev.langchain4j.model.chat.ChatModel} entry
 * point goes through the subclass's {@link #route}, and the router's facts (providers, health,
 * breakers, errors, parameters, listeners) are the wrapped router's. The extension's wrappers
 * ({@link RecordingRouter}, {@link ArmRouter}) differ only in what they do around a call.
 */
abstract class ForwardingRouter implements Router {

    /** The router that does the work. */
    protected final Router delegate;

    ForwardingRouter(Router delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * The capture a call runs in: it keeps the call's HTTP exchanges for the ledger, and asks the
     * fixture server for the given recorded sample, so the runs of a repeated test play distinct
     * recordings.
     *
     * @param sample the sample to ask for ({@value FixtureServer#SAMPLE_HEADER}); 1 sends no header
     * @return a new capture
     */
    static HttpExchangeCapture captureForSample(int sample) {
        return sample <= 1 ? new HttpExchangeCapture()
                : new HttpExchangeCapture(Map.of(FixtureServer.SAMPLE_HEADER, Integer.toString(sample)));
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return route(request).chatResponse();
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
        return route(request).chatResponse();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return route(request).chatResponse();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return delegate.listeners();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }

    @Override
    public List<String> providers() {
        return delegate.providers();
    }

    @Override
    public CircuitState circuitState(String provider) {
        return delegate.circuitState(provider);
    }

    @Override
    public ProviderHealth health(String provider) {
        return delegate.health(provider);
    }

    @Override
    public Map<String, ProviderHealth> health() {
        return delegate.health();
    }

    @Override
    public ErrorAggregator errors() {
        return delegate.errors();
    }
}
