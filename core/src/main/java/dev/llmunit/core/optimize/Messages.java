package dev.llmunit.core.optimize;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reading and rewriting the text of chat messages: the one place the strategies share for it. */
final class Messages {

    private Messages() {}

    /** The text of a system, user (text parts joined) or AI message; null for other kinds or media-only messages. */
    static @Nullable String text(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return system.text();
        }
        if (message instanceof UserMessage user) {
            return user.hasSingleText() ? user.singleText() : null;
        }
        if (message instanceof AiMessage ai) {
            return ai.text();
        }
        return null;
    }

    /** The text of the last user message, or empty. */
    static String lastUserText(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                return user.singleText();
            }
        }
        return "";
    }

    /** The index of the last user message, or -1. */
    static int lastUserIndex(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage) {
                return i;
            }
        }
        return -1;
    }

    /** The same message kind with new text; a user message keeps its name. */
    static ChatMessage withText(ChatMessage message, String text) {
        if (message instanceof SystemMessage) {
            return SystemMessage.from(text);
        }
        if (message instanceof UserMessage user) {
            return user.name() == null ? UserMessage.from(text) : UserMessage.from(user.name(), text);
        }
        if (message instanceof AiMessage) {
            return AiMessage.from(text);
        }
        return message;
    }

    /**
     * Appends an instruction to the request's system message, or adds a system message first when
     * there is none, so the user's own messages stay as they were.
     */
    static ChatRequest withSystemInstruction(ChatRequest request, String instruction) {
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof SystemMessage system) {
                messages.set(i, SystemMessage.from(system.text() + "\n\n" + instruction));
                return request.toBuilder().messages(messages).build();
            }
        }
        messages.add(0, SystemMessage.from(instruction));
        return request.toBuilder().messages(messages).build();
    }

    /** Whether the request asks for JSON output. */
    static boolean wantsJson(ChatRequest request) {
        ResponseFormat format = request.responseFormat();
        return format != null && format.type() == ResponseFormatType.JSON;
    }

    /** Shortens text for examples and logs, at a word boundary where one is near. */
    static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = text.lastIndexOf(' ', max);
        return text.substring(0, cut > max / 2 ? cut : max) + "…";
    }
}
