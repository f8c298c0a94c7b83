package dev.llmunit.samples.triage;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Drafts the support team's first reply to a ticket and streams it into the agent's editor as it
 * is written, so the agent can start reading before the model has finished. It works on any
 * LangChain4j {@link StreamingChatModel}; in production that is llmunit's streaming router over
 * OpenAI and Anthropic.
 */
public final class ReplyDrafter {

    static final String INSTRUCTIONS = """
            You draft the support team's first reply to a customer ticket.
            Write two or three friendly sentences: thank the customer, say what happens next.
            Never promise a date or an amount.""";

    private final StreamingChatModel model;

    /**
     * Creates a drafter.
     *
     * @param model the streaming model that writes the drafts
     */
    public ReplyDrafter(StreamingChatModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Streams a draft reply to a ticket.
     *
     * @param ticket the ticket to answer
     * @param onText receives each piece of the draft as it arrives, in order
     * @return the whole draft once the stream ends; failed with the model's error when it breaks
     */
    public CompletableFuture<String> draft(Ticket ticket, Consumer<String> onText) {
        CompletableFuture<String> draft = new CompletableFuture<>();
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(INSTRUCTIONS), UserMessage.from("Subject: " + ticket.subject() + "\n\n" + ticket.body()))
                .build();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                onText.accept(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                draft.complete(response.aiMessage().text());
            }

            @Override
            public void onError(Throwable error) {
                draft.completeExceptionally(error);
            }
        });
        return draft;
    }
}
