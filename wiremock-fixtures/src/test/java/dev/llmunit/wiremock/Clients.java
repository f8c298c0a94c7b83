package dev.llmunit.wiremock;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** LangChain4j clients pointed at a fixture server, built by {@link FixtureModels} as a user's test would. */
final class Clients {

    /** Time out well before a test's own timeout, so a hang fails with a message. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Clients() {}

    static ChatModel openAi(FixtureServer server) {
        return FixtureModels.openAiChat(server, FakeProviders.OPENAI_MODEL, builder -> builder.timeout(TIMEOUT));
    }

    static StreamingChatModel openAiStreaming(FixtureServer server) {
        return FixtureModels.openAiStreaming(server, FakeProviders.OPENAI_MODEL, builder -> builder.timeout(TIMEOUT));
    }

    static ChatModel anthropic(FixtureServer server) {
        return FixtureModels.anthropicChat(server, FakeProviders.ANTHROPIC_MODEL, builder -> builder.maxTokens(100).timeout(TIMEOUT));
    }

    static StreamingChatModel anthropicStreaming(FixtureServer server) {
        return FixtureModels.anthropicStreaming(server, FakeProviders.ANTHROPIC_MODEL,
                builder -> builder.maxTokens(100).timeout(TIMEOUT));
    }

    static ChatResponse chat(ChatModel model, String prompt) {
        return model.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).build());
    }

    /** Streams a prompt and waits for the complete response; rethrows the stream's error. */
    static ChatResponse stream(StreamingChatModel model, String prompt) {
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        model.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                // the complete response is asserted
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                result.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                result.completeExceptionally(error);
            }
        });
        try {
            return result.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new AssertionError("the stream did not complete within 20 s", e);
        }
    }
}
