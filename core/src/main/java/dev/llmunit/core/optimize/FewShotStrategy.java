package dev.llmunit.core.optimize;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Few-shot examples: puts the best scored past exchanges of the same task type (from the
 * optimizer's history, see {@link OptimizationHistory#examples}) before the last user message, as
 * user/assistant pairs. Applies only when such examples exist; an example whose prompt equals the
 * current prompt is never used, so a request is not shown its own answer.
 */
public final class FewShotStrategy implements OptimizationStrategy {

    /** The strategy's name: {@value}. */
    public static final String NAME = "few-shot";

    /** Examples added per request by default: {@value}. */
    public static final int DEFAULT_EXAMPLES = 2;

    private final int examples;

    /** Adds up to {@value #DEFAULT_EXAMPLES} examples. */
    public FewShotStrategy() {
        this(DEFAULT_EXAMPLES);
    }

    /**
     * Adds up to {@code examples} examples.
     *
     * @param examples at least 1
     */
    public FewShotStrategy(int examples) {
        if (examples < 1) {
            throw new IllegalArgumentException("few-shot examples must be at least 1, but was " + examples);
        }
        this.examples = examples;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean appliesTo(ChatRequest request, StrategyContext context) {
        String prompt = Messages.lastUserText(request);
        for (HistoryEntry example : context.examples()) {
            if (!prompt.equals(example.prompt())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ChatRequest apply(ChatRequest request, StrategyContext context) {
        List<ChatMessage> messages = request.messages();
        int last = Messages.lastUserIndex(messages);
        if (last < 0) {
            return request;
        }
        String prompt = Messages.lastUserText(request);
        List<ChatMessage> shots = new ArrayList<>(2 * examples);
        for (HistoryEntry example : context.examples()) {
            if (shots.size() == 2 * examples) {
                break;
            }
            if (example.prompt() != null && example.answer() != null && !prompt.equals(example.prompt())) {
                shots.add(UserMessage.from(example.prompt()));
                shots.add(AiMessage.from(example.answer()));
            }
        }
        if (shots.isEmpty()) {
            return request;
        }
        List<ChatMessage> rewritten = new ArrayList<>(messages.size() + shots.size());
        rewritten.addAll(messages.subList(0, last));
        rewritten.addAll(shots);
        rewritten.addAll(messages.subList(last, messages.size()));
        return request.toBuilder().messages(rewritten).build();
    }

    @Override
    public String toString() {
        return NAME;
    }
}
