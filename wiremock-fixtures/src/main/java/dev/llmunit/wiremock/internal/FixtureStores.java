package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.common.FileSource;
import com.github.tomakehurst.wiremock.store.DefaultStores;
import com.github.tomakehurst.wiremock.store.StubMappingStore;

/**
 * WireMock's default stores, but stubs are kept in an {@link IndexedStubMappingStore}, so
 * playback costs the same with one fixture or thousands. Set on the server with
 * {@code WireMockConfiguration.withStores(..)}, the one place WireMock lets the stub lookup itself
 * be replaced: request-matcher extensions, transformers and serve-event listeners all run after
 * (or inside) WireMock's scan of every stub.
 */
public final class FixtureStores extends DefaultStores {

    private final IndexedStubMappingStore stubs = new IndexedStubMappingStore();

    /**
     * Creates the stores.
     *
     * @param fileRoot the server's file root, as WireMock's default stores take it
     */
    public FixtureStores(FileSource fileRoot) {
        super(fileRoot);
    }

    @Override
    public StubMappingStore getStubStore() {
        return stubs;
    }

    /**
     * The stub store, as llmunit's own type.
     *
     * @return the indexed store the server keeps its stubs in
     */
    public IndexedStubMappingStore indexedStubs() {
        return stubs;
    }
}
