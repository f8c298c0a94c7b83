package dev.llmunit.benchmarks;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RouterBuilder;

/** The request and the router the benchmarks share, so their figures compare like with like. */
final class BenchmarkSetup {

    private BenchmarkSetup() {}

    /**
     * A small triage request: a system prompt and one user message.
     *
     * @return the request
     */
    static ChatRequest triageRequest() {
        return ChatRequest.builder()
                .messages(SystemMessage.from("You triage support tickets. Answer with one word."),
                        UserMessage.from("My invoice shows a charge twice this month."))
                .build();
    }

    /**
     * A router over two priced prepared models, {@code primary} first, defaults otherwise (retry,
     * circuit breaker, cost accounting from the bundled catalog), so every call also prices itself.
     *
     * @param primary the model that answers
     * @return the builder, for tracing settings
     */
    static RouterBuilder twoPricedProviders(PreparedChatModel primary) {
        return Router.builder()
                .provider("primary", primary, p -> p.modelName("gpt-4o-mini"))
                .provider("secondary", PreparedChatModel.answering("billing", "claude-haiku-4-5-20251001"),
                        p -> p.modelName("claude-haiku-4-5"));
    }
}
