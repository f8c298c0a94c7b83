package dev.llmunit.core.cost;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.List;

/**
 * Estimates how many input tokens a list of messages will cost before the call is made, for the
 * cheapest strategy and pre-flight budget checks. The estimate is approximate: each provider has
 * its own tokenizer; the standard estimator counts with OpenAI's {@code o200k_base} encoding
 * (jtokkit), which is within a few percent of other providers' counts for English text.
 */
@FunctionalInterface
public interface TokenEstimator {

    /** Tokens added per message for role and framing, as OpenAI's chat format spends them. */
    int TOKENS_PER_MESSAGE = 4;

    /**
     * Tokens counted for an image of unknown size: an upper bound of what providers bill for one
     * image at full detail (Anthropic about 1,600 for its largest unresized image, OpenAI at most
     * 1,445 at high detail), since an estimate is only safe for a budget when it is not low. The
     * detail level does not lower it: LangChain4j's default is {@code LOW}, which only OpenAI bills
     * at 85 tokens; Anthropic and Gemini bill by the image's size.
     */
    int TOKENS_PER_IMAGE = 1_600;

    /** Tokens added per tool for the framing providers wrap around each tool definition. */
    int TOKENS_PER_TOOL = 10;

    /**
     * Estimates the input tokens of a request's messages.
     *
     * @param messages the messages, in order
     * @return the estimated token count, never negative
     */
    int estimateInputTokens(List<ChatMessage> messages);

    /**
     * Estimates the input tokens of a whole request: its messages (by
     * {@link #estimateInputTokens(List)}) plus what providers also bill as input, the request's
     * tool definitions and its response-format JSON schema, both counted as the JSON they are
     * sent as with the {@link #standard()} encoding. Budgets reserve this estimate.
     *
     * @param request the request
     * @return the estimated token count, never negative
     */
    default int estimateInputTokens(ChatRequest request) {
        long tokens = (long) estimateInputTokens(request.messages())
                + dev.llmunit.core.internal.JtokkitTokenEstimator.INSTANCE.estimateDefinitions(request);
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /**
     * The {@code o200k_base} estimator: text parts and tool calls counted with jtokkit plus
     * {@value #TOKENS_PER_MESSAGE} tokens per message; each image {@value #TOKENS_PER_IMAGE} tokens. Audio, video and PDF parts are not
     * counted: their billed size depends on content the estimator does not decode.
     *
     * @return the shared standard estimator
     */
    static TokenEstimator standard() {
        return dev.llmunit.core.internal.JtokkitTokenEstimator.INSTANCE;
    }
}
