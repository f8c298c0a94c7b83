package dev.llmunit.core.optimize;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.Locale;

/**
 * Step-by-step reasoning for {@link TaskType#REASONING} requests: asks the model to work through
 * the problem before answering and to put the final answer on its own last line, which usually
 * raises accuracy on multi-step problems at the price of more output tokens. Not applied when the
 * request wants JSON (the reasoning would break it) or already asks for steps.
 */
public final class StepByStepStrategy implements OptimizationStrategy {

    /** The strategy's name: {@value}. */
    public static final String NAME = "step-by-step";

    /** The instruction added to the system message. */
    public static final String INSTRUCTION = "Work through the problem step by step, then give the final answer on the last line as "
            + "\"Answer: <answer>\".";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean appliesTo(ChatRequest request, StrategyContext context) {
        if (context.task().type() != TaskType.REASONING || Messages.wantsJson(request)) {
            return false;
        }
        for (ChatMessage message : request.messages()) {
            if (message instanceof SystemMessage system && system.text().toLowerCase(Locale.ROOT).contains("step by step")) {
                return false;
            }
        }
        return !Messages.lastUserText(request).toLowerCase(Locale.ROOT).contains("step by step");
    }

    @Override
    public ChatRequest apply(ChatRequest request, StrategyContext context) {
        return Messages.withSystemInstruction(request, INSTRUCTION);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
