package dev.llmunit.core.cost;

import dev.langchain4j.data.message.ChatMessage;
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
     * Estimates the input tokens of a request's messages.
     *
     * @param messages the messages, in order
     * @return the estimated token count, never negative
     */
    int estimateInputTokens(List<ChatMessage> messages);

    /**
     * The {@code o200k_base} estimator: text parts counted with jtokkit plus
     * {@value #TOKENS_PER_MESSAGE} tokens per message; images and other media are not counted.
     *
     * @return the shared standard estimator
     */
    static TokenEstimator standard() {
        return dev.llmunit.core.internal.JtokkitTokenEstimator.INSTANCE;
    }
}
