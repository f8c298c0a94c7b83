package dev.llmunit.core.internal;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A streaming provider as the router's pipeline holds it: a {@link ChatModel} (so the pipeline's
 * strategy, prices, windows and capabilities see it like any provider) around the
 * {@link StreamingChatModel} the streaming exchange talks to. Its own {@link #chat(ChatRequest)}
 * streams to the end and returns the whole answer, for plain calls through the same router. Not API.
 */
public final class StreamingProviderModel implements ChatModel {

    private final StreamingChatModel streaming;

    /**
     * Wraps a streaming model.
     *
     * @param streaming the provider's LangChain4j streaming model
     */
    public StreamingProviderModel(StreamingChatModel streaming) {
        this.streaming = Objects.requireNonNull(streaming, "streaming model must not be null");
    }

    /**
     * The wrapped model.
     *
     * @return the streaming model
     */
    public StreamingChatModel streaming() {
        return streaming;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while streaming from " + streaming);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return chat(request);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return streaming.defaultRequestParameters();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return streaming.supportedCapabilities();
    }

    @Override
    public ModelProvider provider() {
        return streaming.provider();
    }

    @Override
    public String toString() {
        return "streaming " + streaming;
    }
}
