package dev.llmunit.core.internal;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.ensemble.MemberResult;
import dev.llmunit.core.ensemble.MergeContext;
import dev.llmunit.core.ensemble.MergeDecision;
import dev.llmunit.core.ensemble.MergeStrategy;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.RoutedResponse;
import java.util.ArrayList;
import java.util.List;

/** {@link MergeStrategy#fuse(ChatModel)}: mixture of n. */
public final class FuseMerge implements MergeStrategy {

    /** What the fuser is told unless the user says otherwise. */
    public static final String DEFAULT_INSTRUCTION = "Several assistants answered the request above. Read their answers and write the"
            + " single best answer to the request, in the format the request asks for. Reply with that answer only.";

    private final ChatModel fuser;
    private final String instruction;

    /**
     * @param fuser the model that writes the answer
     * @param instruction what it is told
     */
    public FuseMerge(ChatModel fuser, String instruction) {
        this.fuser = fuser;
        this.instruction = instruction;
    }

    @Override
    public MergeDecision merge(MergeContext context) {
        StringBuilder text = new StringBuilder(instruction);
        int number = 1;
        for (MemberResult candidate : context.candidates()) {
            text.append("\n\nAnswer ").append(number++).append(":\n").append(candidate.text());
        }
        List<ChatMessage> messages = new ArrayList<>(context.request().messages());
        messages.add(UserMessage.from(text.toString()));
        ChatRequest request = context.request().toBuilder().messages(messages).build();
        RoutedResponse fused;
        try {
            fused = context.call("fuser", fuser, request);
        } catch (LlmException e) {
            return MergeDecision.fallBack(context.consensus(), "the fuser call failed (" + e.kind() + "): " + e.getMessage()
                    + "; chose the weighted consensus answer instead");
        }
        String answer = fused.chatResponse().aiMessage() == null ? null : fused.chatResponse().aiMessage().text();
        if (answer == null || answer.isBlank()) {
            return MergeDecision.fallBack(context.consensus(), "the fuser answered nothing; chose the weighted consensus answer instead");
        }
        return MergeDecision.write(fused.chatResponse());
    }

    @Override
    public String name() {
        return "fuse";
    }

    @Override
    public String toString() {
        return "MergeStrategy.fuse(" + fuser + ")";
    }
}
