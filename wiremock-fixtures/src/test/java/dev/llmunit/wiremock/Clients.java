package dev.llmunit.wiremock;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmunit.core.http.LlmHttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** LangChain4j clients pointed at a fixture server, as a user's test would build them. */
final class Clients {

    static final String CLIENT_KEY = "test-key";

    private Clients() {}

    static ChatModel openAi(String baseUrl) {
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl)
                .apiKey(CLIENT_KEY)
                .modelName(FakeProviders.OPENAI_MODEL)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .httpClientBuilder(LlmHttpClient.builder())
                .build();
    }

    static StreamingChatModel openAiStreaming(String baseUrl) {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(baseUrl)
                .apiKey(CLIENT_KEY)
                .modelName(FakeProviders.OPENAI_MODEL)
                .timeout(Duration.ofSeconds(20))
                .httpClientBuilder(LlmHttpClient.builder())
                .build();
    }

    static ChatModel anthropic(String baseUrl) {
        return AnthropicChatModel.builder()
                .baseUrl(baseUrl)
                .apiKey(CLIENT_KEY)
                .modelName(FakeProviders.ANTHROPIC_MODEL)
                .maxTokens(100)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .httpClientBuilder(LlmHttpClient.builder())
                .build();
    }

    static StreamingChatModel anthropicStreaming(String baseUrl) {
        return AnthropicStreamingChatModel.builder()
                .baseUrl(baseUrl)
                .apiKey(CLIENT_KEY)
                .modelName(FakeProviders.ANTHROPIC_MODEL)
                .maxTokens(100)
                .timeout(Duration.ofSeconds(20))
                .httpClientBuilder(LlmHttpClient.builder())
                .build();
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
