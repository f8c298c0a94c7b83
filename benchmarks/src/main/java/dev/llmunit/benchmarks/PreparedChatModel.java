package dev.llmunit.benchmarks;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

/** A model that answers every request at once with the same prepared response, like a cached HTTP reply. */
final class PreparedChatModel implements ChatModel {

    private final ChatResponse response;

    private PreparedChatModel(ChatResponse response) {
        this.response = response;
    }

    /**
     * A model answering with a fixed text, model name and a usage of 24 input and 1 output tokens.
     *
     * @param text the answer
     * @param servedModel the model name the response reports, as a provider would return it
     * @return the model
     */
    static PreparedChatModel answering(String text, String servedModel) {
        return new PreparedChatModel(ChatResponse.builder()
                .aiMessage(AiMessage.from(text))
                .modelName(servedModel)
                .tokenUsage(new TokenUsage(24, 1))
                .finishReason(FinishReason.STOP)
                .build());
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        return response;
    }
}
