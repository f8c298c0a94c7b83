package dev.llmunit.assertj;

import dev.langchain4j.model.chat.response.ChatResponse;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on a LangChain4j {@link ChatResponse}: its text, JSON, finish reason, model and
 * tokens. Start from {@link LlmAssertions#assertThat(ChatResponse)}:
 *
 * <pre>{@code
 * assertThat(chatModel.chat(request)).contains("billing").hasFinishReason(FinishReason.STOP);
 * }</pre>
 *
 * <p>Not final, like AssertJ's own concrete asserts, so {@link LlmSoftAssertions} can proxy it.
 */
public class ChatResponseAssert extends AbstractLlmResponseAssert<ChatResponseAssert, ChatResponse> {

    /**
     * Creates the assert; prefer {@link LlmAssertions#assertThat(ChatResponse)}.
     *
     * @param actual the response under test; null fails every check
     */
    public ChatResponseAssert(@Nullable ChatResponse actual) {
        super(actual, ChatResponseAssert.class);
    }

    @Override
    protected ChatResponse chatResponseOf(ChatResponse actual) {
        return actual;
    }
}
