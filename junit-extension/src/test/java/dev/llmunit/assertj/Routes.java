package dev.llmunit.assertj;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Real routed responses for the assertion tests: a real {@link Router} over tiny provider doubles,
 * priced from the bundled catalog. {@code gpt-4o-mini-2024-07-18} costs $0.15 per million input
 * and $0.60 per million output tokens, so 1000 in and 200 out cost exactly $0.00027.
 */
final class Routes {

    static final String TEXT = "The ticket belongs in billing.";
    static final String PRICED_MODEL = "gpt-4o-mini-2024-07-18";
    static final String UNPRICED_MODEL = "house-model-v1";

    private Routes() {}

    /** "primary" is rate limited, "openai" answers. */
    static RoutedResponse afterFallback() {
        return Router.builder()
                .provider("primary", Stub.failing())
                .provider("openai", Stub.answering(answer(TEXT, PRICED_MODEL)))
                .retry(r -> r.maxRetries(0))
                .build()
                .route(request());
    }

    /** "openai" answers at once. */
    static RoutedResponse direct() {
        return Router.builder()
                .provider("openai", Stub.answering(answer(TEXT, PRICED_MODEL)))
                .retry(r -> r.maxRetries(0))
                .build()
                .route(request());
    }

    /** "openai" is rate limited once, then answers on its retry. */
    static RoutedResponse afterRetry() {
        return Router.builder()
                .provider("openai", Stub.answering(answer(TEXT, PRICED_MODEL)).failingFirst(1))
                .retry(r -> r.maxRetries(1).initialBackoff(Duration.ofMillis(1)))
                .build()
                .route(request());
    }

    /** "house" answers with a model the catalog has no price for. */
    static RoutedResponse unpriced() {
        return Router.builder()
                .provider("house", Stub.answering(answer(TEXT, UNPRICED_MODEL)))
                .retry(r -> r.maxRetries(0))
                .build()
                .route(request());
    }

    /** "openai" answers after a delay. */
    static RoutedResponse slow(Duration delay) {
        return Router.builder()
                .provider("openai", Stub.answering(answer(TEXT, PRICED_MODEL)).delayedBy(delay))
                .retry(r -> r.maxRetries(0))
                .build()
                .route(request());
    }

    /** A response as a provider client builds it: text, served model, 1000 input and 200 output tokens, STOP. */
    static ChatResponse answer(String text, String model) {
        return ChatResponse.builder()
                .aiMessage(AiMessage.from(text))
                .modelName(model)
                .tokenUsage(new TokenUsage(1000, 200))
                .finishReason(FinishReason.STOP)
                .build();
    }

    /** A response with text only: no model, usage or finish reason. */
    static ChatResponse bare(String text) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).build();
    }

    static ChatRequest request() {
        return ChatRequest.builder().messages(List.of(UserMessage.from("Ticket #4411: charged twice. Which queue?"))).build();
    }

    /** A provider double: throws its queued rate limits first, then answers (after an optional delay). */
    static final class Stub implements ChatModel {

        private final ChatResponse answer;
        private final Deque<RuntimeException> failures = new ArrayDeque<>();
        private boolean alwaysFail;
        private Duration delay = Duration.ZERO;

        private Stub(ChatResponse answer) {
            this.answer = answer;
        }

        static Stub answering(ChatResponse answer) {
            return new Stub(answer);
        }

        static Stub failing() {
            Stub stub = new Stub(bare("unused"));
            stub.alwaysFail = true;
            return stub;
        }

        Stub failingFirst(int count) {
            for (int i = 0; i < count; i++) {
                failures.add(new RateLimitException("rate limited"));
            }
            return this;
        }

        Stub delayedBy(Duration delay) {
            this.delay = delay;
            return this;
        }

        @Override
        public synchronized ChatResponse doChat(ChatRequest request) {
            if (alwaysFail) {
                throw new RateLimitException("rate limited");
            }
            RuntimeException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RuntimeException(e);
                }
            }
            return answer;
        }
    }
}
