package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.LlmProvider;
import dev.llmunit.wiremock.MissingFixture;
import dev.llmunit.wiremock.Redaction;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Answers a playback request that no fixture matched: HTTP 404 with the provider's own error
 * JSON, whose message names the provider, the model and the last user message, shows how the
 * closest fixture differs (of every stub the server holds, see {@link ClosestFixtures}) and says
 * how to record the missing one. Runs on llmunit's lowest-priority catch-all stub per provider.
 */
public final class MissingFixtureResponder implements ResponseDefinitionTransformerV2 {

    /** The extension's name, as the catch-all stubs name it. */
    public static final String NAME = "llmunit-fixture-missing";

    private final FixtureRuntime runtime;

    /**
     * Creates the responder.
     *
     * @param runtime the server's shared state
     */
    public MissingFixtureResponder(FixtureRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        LoggedRequest request = serveEvent.getRequest();
        String path = URI.create(request.getUrl()).getRawPath();
        LlmProvider provider = runtime.paths().providerFor(path);
        if (provider == null) {
            return serveEvent.getResponseDefinition();
        }
        RequestFacts facts = RequestFacts.of(provider, request.getMethod().getName(), path, request.getBody(), runtime.volatileFields());
        StubMapping closest = closest(request, facts, provider);
        dev.llmunit.wiremock.Excerpts excerpts = runtime.excerpts();
        String difference = closest == null ? null : FixtureDifference.describe(closest.getRequest(), request, excerpts.showsValues());
        String closestName = closest == null ? null : runtime.fixtureName(closest); // as the ledger names it: its file
        String shownUrl = Redaction.withoutPrivateQueryParameters(request.getUrl()); // never echo a ?key=
        int sample = Samples.requested(request);
        String message = sample > 1 ? sampleMessage(facts, shownUrl, sample) : message(facts, shownUrl, closestName, difference);
        runtime.addMissing(new MissingFixture(provider, facts.model(), excerpts.apply(facts.lastUserMessage()), facts.method(), shownUrl,
                closestName, difference, message));
        return ProviderErrors.response(provider, 404, FixtureServer.FIXTURE_MISSING_CODE, message);
    }

    private String sampleMessage(RequestFacts facts, String url, int sample) {
        FixtureLocation location = runtime.location();
        String where = location == null ? "this server has no fixture location" : "fixtures are read from " + location.describe();
        return "llmunit: sample " + sample + " of the " + facts.provider().id() + " model " + facts.model() + " request"
                + (facts.lastUserMessage().isEmpty() || !runtime.excerpts().showsValues() ? ""
                        : " with last user message '" + facts.lastUserMessage() + "'")
                + " (" + facts.method() + " " + url + ") is not recorded: run " + sample + " of a repeated test plays the request's"
                + " recording number " + sample + " (" + Samples.fileName(facts.fixtureName(), sample) + ".json), never an earlier one again. "
                + "To record the missing samples, run with -Dllmunit.mode=auto (needs " + facts.provider().apiKeyVariable() + "); "
                + where + ".";
    }

    private String message(RequestFacts facts, String url, @Nullable String closestName, @Nullable String difference) {
        FixtureLocation location = runtime.location();
        String where = location == null ? "this server has no fixture location" : "fixtures are read from " + location.describe();
        StringBuilder text = new StringBuilder()
                .append("llmunit: no fixture for ").append(facts.provider().id())
                .append(" model ").append(facts.model())
                .append(facts.lastUserMessage().isEmpty() ? ", no user message"
                        : runtime.excerpts() == dev.llmunit.wiremock.Excerpts.DROP ? ""
                        : runtime.excerpts() == dev.llmunit.wiremock.Excerpts.REDACT ? ", last user message " + runtime.excerpts().apply(facts.lastUserMessage())
                        : ", last user message '" + facts.lastUserMessage() + "'")
                .append(" (").append(facts.method()).append(' ').append(url).append("). ");
        if (closestName == null) {
            text.append("There is no ").append(facts.provider().id()).append(" fixture to compare with. ");
        } else {
            text.append("Closest fixture '").append(closestName).append("' differs in ").append(difference).append(". ");
        }
        return text.append("To record it, run with -Dllmunit.mode=auto (records only what is missing; needs ")
                .append(facts.provider().apiKeyVariable()).append("); ").append(where).append('.')
                .toString();
    }

    /** Every stub but llmunit's own is a candidate: recordings of other tools sit at other paths and carry no metadata. */
    private @Nullable StubMapping closest(LoggedRequest request, RequestFacts facts, LlmProvider provider) {
        // The version before the list: a change in between makes the next miss read the list again.
        long version = runtime.stubSetVersion();
        return runtime.closestFixtures().closest(version, () -> {
            List<StubMapping> candidates = new ArrayList<>();
            for (StubMapping stub : runtime.wireMock().getStubMappings()) {
                if (!runtime.isInternal(stub)) {
                    candidates.add(stub);
                }
            }
            return candidates;
        }, request, facts, provider);
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
