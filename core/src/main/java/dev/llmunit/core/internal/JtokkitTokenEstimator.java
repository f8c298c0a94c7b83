package dev.llmunit.core.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmunit.core.cost.TokenEstimator;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/** {@link TokenEstimator#standard()}: jtokkit's {@code o200k_base} encoding, built on first use. */
public final class JtokkitTokenEstimator implements TokenEstimator {

    /** The shared instance. */
    public static final JtokkitTokenEstimator INSTANCE = new JtokkitTokenEstimator();

    private static final ObjectMapper JSON = new ObjectMapper();

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
                    } else if (content instanceof ImageContent) {
                        tokens += TOKENS_PER_IMAGE;
                    }
                }
            } else if (message instanceof SystemMessage system) {
                tokens += count(system.text(), textCounter);
            } else if (message instanceof AiMessage ai) {
                tokens += count(ai.text(), textCounter);
                if (ai.hasToolExecutionRequests()) {
                    for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                        tokens += TOKENS_PER_TOOL + count(call.name(), textCounter) + count(call.arguments(), textCounter);
                    }
                }
            } else if (message instanceof ToolExecutionResultMessage tool) {
                tokens += count(tool.text(), textCounter);
            }
        }
        return tokens;
    }

    /**
     * The tokens of what a request sends besides its messages: each tool definition as its JSON
     * (name, description, parameter schema) plus {@value #TOKENS_PER_TOOL}, and a JSON response
     * format's schema as JSON. Providers bill both as input tokens.
     *
     * @param request the request
     * @return the tokens, zero for a request with neither
     */
    public int estimateDefinitions(ChatRequest request) {
        int tokens = 0;
        List<ToolSpecification> tools = request.toolSpecifications();
        if (tools != null) {
            for (ToolSpecification tool : tools) {
                tokens += TOKENS_PER_TOOL + countText(tool.toJson());
            }
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON && format.jsonSchema() != null) {
            JsonSchema schema = format.jsonSchema();
            tokens += countText(schema.name());
            if (schema.rootElement() != null) {
                tokens += countText(json(JsonSchemaElementUtils.toMap(schema.rootElement())));
            }
        }
        return tokens;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException unexpected) {
            return String.valueOf(value); // a schema map always serialises; its text is a fair count anyway
        }
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
