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

/** {@link TokenEstimator#standard()}: jtokkit's {@code o200k_base} encoding, built on first use. */
public final class JtokkitTokenEstimator implements TokenEstimator {

    /** The shared instance. */
    public static final JtokkitTokenEstimator INSTANCE = new JtokkitTokenEstimator();

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private JtokkitTokenEstimator() {}

    @Override
    public int estimateInputTokens(List<ChatMessage> messages) {
        int tokens = 0;
        for (ChatMessage message : messages) {
            tokens += TOKENS_PER_MESSAGE;
            if (message instanceof UserMessage user) {
                for (Content content : user.contents()) {
                    if (content instanceof TextContent text) {
                        tokens += count(text.text());
                    }
                }
            } else if (message instanceof SystemMessage system) {
                tokens += count(system.text());
            } else if (message instanceof AiMessage ai) {
                tokens += count(ai.text());
            } else if (message instanceof ToolExecutionResultMessage tool) {
                tokens += count(tool.text());
            }
        }
        return tokens;
    }

    private int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }
}
