package com.example.tickets;

import dev.langchain4j.model.chat.ChatModel;

/** Tags a support ticket with one word, asking an LLM: the application code a user tests. */
public final class TicketTagger {

    private final ChatModel model;

    /**
     * Creates a tagger.
     *
     * @param model the model to ask; in production an {@code OpenAiChatModel}, in tests llmunit's router
     */
    public TicketTagger(ChatModel model) {
        this.model = model;
    }

    /**
     * Tags a ticket.
     *
     * @param ticket the ticket's text
     * @return BILLING, BUG or OTHER
     */
    public String tag(String ticket) {
        return model.chat("Tag this support ticket with one word, BILLING, BUG or OTHER: " + ticket).trim();
    }
}
