package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * The one step of the provider pipeline that differs between kinds of call: how an attempt talks
 * to its provider once the budget, the concurrency limit and the circuit breaker have let it
 * through. A plain call asks the provider's {@code ChatModel}; a streamed call consumes the
 * provider's stream. Everything around it (retry, fallback, classification, cost, trace, metrics,
 * observation) is {@link DefaultRouter}'s, the same for every kind.
 */
@FunctionalInterface
interface ProviderExchange {

    /**
     * Makes the provider call of one attempt.
     *
     * @param provider the provider the attempt is for
     * @param call the routed call, for its request
     * @return the provider's complete response, with its token usage
     * @throws RuntimeException whatever the provider failed with; the pipeline classifies it
     */
    ChatResponse exchange(ProviderState provider, RouteCall call);
}
