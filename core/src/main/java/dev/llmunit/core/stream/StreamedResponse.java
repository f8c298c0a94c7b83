package dev.llmunit.core.stream;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.trace.StreamTiming;
import dev.llmunit.core.trace.Trace;
import java.util.Objects;

/**
 * The complete answer of a streamed, routed call, with how it was obtained and how it arrived.
 *
 * @param routed the routed response: the final response (for {@link MidStreamPolicy#CONTINUE},
 *     partial text and continuation joined), the provider that served, and the trace with every attempt
 * @param timing time to first token, generation time and tokens per second
 */
public record StreamedResponse(RoutedResponse routed, StreamTiming timing) {

    /** Checks neither part is missing. */
    public StreamedResponse {
        Objects.requireNonNull(routed, "routed");
        Objects.requireNonNull(timing, "timing");
    }

    /**
     * The final LangChain4j response, as the handler's {@code onCompleteResponse} received it.
     *
     * @return the response
     */
    public ChatResponse chatResponse() {
        return routed.chatResponse();
    }

    /**
     * The provider that served the answer.
     *
     * @return its name in the router
     */
    public String provider() {
        return routed.provider();
    }

    /**
     * The call's trace; its {@link Trace#stream()} is {@link #timing()}.
     *
     * @return the trace
     */
    public Trace trace() {
        return routed.trace();
    }

    /**
     * What the call cost, from the providers' final usage.
     *
     * @return the trace's total cost
     */
    public Usd cost() {
        return routed.cost();
    }
}
