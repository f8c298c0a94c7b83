package dev.llmunit.core.internal;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.ensemble.SampleVariation;
import java.util.ArrayList;
import java.util.List;

/** {@link SampleVariation#systemNote()}: sample 1 unchanged, later samples with a trailing system note. */
public enum SystemNoteVariation implements SampleVariation {
    /** The one instance. */
    INSTANCE;

    @Override
    public ChatRequest vary(ChatRequest request, int sample, int samples) {
        if (sample == 1) {
            return request;
        }
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        messages.add(SystemMessage.from("Independent sample " + sample + " of " + samples + "."));
        return request.toBuilder().messages(messages).build();
    }

    @Override
    public String toString() {
        return "SampleVariation.systemNote()";
    }
}
