package dev.llmunit.core.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.llmunit.core.cost.TokenEstimator;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/** {@link TokenEstimator#standard()}: jtokkit's {@code o200k_base} encoding, built on first use. */
public final class JtokkitTokenEstimator implements TokenEstimator {

    /** The shared instance. */
    public static final JtokkitTokenEstimator INSTANCE = new JtokkitTokenEstimator();

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private final ToIntFunction<String> counter = this::countText;

    private JtokkitTokenEstimator() {}

    @Override
    public int estimateInputTokens(List<ChatMessage> messages) {
        return estimateInputTokens(messages, counter);
    }

    /**
     * The same estimate with the text parts counted by {@code textCounter}, for a caller that keeps
     * the counts of texts it sees again (the query optimizer): which parts count and the per-message
     * framing stay in this one place.
     *
     * @param messages the messages, in order
     * @param textCounter the tokens of one non-empty text, as {@link #countText} counts them
     * @return the estimated token count
     */
    public int estimateInputTokens(List<ChatMessage> messages, ToIntFunction<String> textCounter) {
        int tokens = 0;
        for (ChatMessage message : messages) {
            tokens += TOKENS_PER_MESSAGE;
            if (message instanceof UserMessage user) {
                for (Content content : user.contents()) {
                    if (content instanceof TextContent text) {
                        tokens += count(text.text(), textCounter);
                    }
                }
            } else if (message instanceof SystemMessage system) {
                tokens += count(system.text(), textCounter);
            } else if (message instanceof AiMessage ai) {
                tokens += count(ai.text(), textCounter);
            } else if (message instanceof ToolExecutionResultMessage tool) {
                tokens += count(tool.text(), textCounter);
            }
        }
        return tokens;
    }

    /**
     * The {@code o200k_base} tokens of one text, without any per-message framing.
     *
     * @param text the text
     * @return the token count; 0 for null or empty text
     */
    public int countText(@Nullable String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    private static int count(@Nullable String text, ToIntFunction<String> textCounter) {
        return text == null || text.isEmpty() ? 0 : textCounter.applyAsInt(text);
    }
}
