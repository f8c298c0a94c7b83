package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.standalone.MappingsSource;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappings;
import java.util.List;
import java.util.UUID;

/**
 * A mappings source that loads and saves nothing: the fixture server loads mapping files itself
 * (to name the file in every error) and never lets WireMock save or delete them.
 */
public final class NoMappingsSource implements MappingsSource {

    @Override
    public void loadMappingsInto(StubMappings stubMappings) {
        // The fixture server adds the stubs it loaded itself.
    }

    @Override
    public void save(List<StubMapping> stubMappings) {
        // Fixture files are written only by llmunit's recorder.
    }

    @Override
    public void save(StubMapping stubMapping) {
        // Fixture files are written only by llmunit's recorder.
    }

    @Override
    @SuppressWarnings("removal") // abstract in WireMock 3 although deprecated: it must be implemented
    public void remove(StubMapping stubMapping) {
        // Removing a stub at run time never deletes its fixture file.
    }

    @Override
    public void remove(UUID stubMappingId) {
        // Removing a stub at run time never deletes its fixture file.
    }

    @Override
    public void removeAll() {
        // Resetting the server never deletes fixture files.
    }
}
