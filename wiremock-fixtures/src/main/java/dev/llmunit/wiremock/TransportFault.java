package dev.llmunit.wiremock;

import com.github.tomakehurst.wiremock.http.Fault;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A failure below HTTP that a fixture can serve instead of a response, as WireMock injects it.
 * Through {@link dev.llmunit.core.http.LlmHttpClient} every one fails the call at once with an
 * {@link java.io.IOException}, never a timeout, so an llmunit router classifies it as
 * {@link dev.llmunit.core.error.ErrorKind#PROVIDER_UNAVAILABLE} (a connection failure) and retries it.
 *
 * <pre>{@code
 * server.stub(OpenAiFixtures.chatCompletion().anyRequest().fault(TransportFault.CONNECTION_RESET));
 * }</pre>
 */
public enum TransportFault {
    /** The server resets the connection (TCP RST) without answering. */
    CONNECTION_RESET(Fault.CONNECTION_RESET_BY_PEER),
    /** The server closes the connection without sending a byte. */
    EMPTY_RESPONSE(Fault.EMPTY_RESPONSE),
    /** The server sends {@code 200 OK} with chunked encoding, then a garbage chunk, then closes. */
    MALFORMED_CHUNK(Fault.MALFORMED_RESPONSE_CHUNK),
    /** The server sends random bytes, not HTTP, then closes. */
    RANDOM_DATA_THEN_CLOSE(Fault.RANDOM_DATA_THEN_CLOSE);

    private final Fault wireMockFault;

    TransportFault(Fault wireMockFault) {
        this.wireMockFault = wireMockFault;
    }

    /**
     * The WireMock fault that plays this one.
     *
     * @return the WireMock fault
     */
    public Fault wireMockFault() {
        return wireMockFault;
    }

    /**
     * The name used in settings, files and stub metadata.
     *
     * @return the lower-case name, such as {@code connection_reset}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a fault name, ignoring case, surrounding blanks and the difference between {@code -}
     * and {@code _}; WireMock's own names ({@code CONNECTION_RESET_BY_PEER},
     * {@code MALFORMED_RESPONSE_CHUNK}) are accepted too.
     *
     * @param name a name such as {@code connection_reset}
     * @return the fault
     * @throws IllegalArgumentException naming the value and the valid names when it is no fault
     */
    public static TransportFault parse(String name) {
        if (name == null) {
            throw new NullPointerException("fault name must not be null");
        }
        String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (TransportFault fault : values()) {
            if (fault.name().equals(normalized) || fault.wireMockFault.name().equals(normalized)) {
                return fault;
            }
        }
        throw new IllegalArgumentException("unknown transport fault '" + name + "'; use one of "
                + Arrays.stream(values()).map(TransportFault::id).collect(Collectors.joining(", ")));
    }
}
