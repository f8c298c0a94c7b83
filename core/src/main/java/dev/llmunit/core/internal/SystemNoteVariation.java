package dev.llmunit.core.internal;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.ensemble.SampleVariation;
import java.util.ArrayList;
import java.util.List;

/** {@link SampleVariation#systemNote()}: sample 1 unchanged, later samples with a system note before the last user message. */
public enum SystemNoteVariation implements SampleVariation {
    /** The one instance. */
    INSTANCE;

    @Override
    public ChatRequest vary(ChatRequest request, int sample, int samples) {
        if (sample == 1) {
            return request;
        }
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        int lastUser = messages.size();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage) {
                lastUser = i;
                break;
            }
        }
        // Right before the last user message: the request still ends with the user's turn (as providers and
        // fixture matchers expect), and everything before the note, the system prompt and history, stays as it was.
        messages.add(lastUser, SystemMessage.from("Independent sample " + sample + " of " + samples + "."));
        return request.toBuilder().messages(messages).build();
    }

    @Override
    public String toString() {
        return "SampleVariation.systemNote()";
    }
}
