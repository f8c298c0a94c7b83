package dev.llmunit.core.stream;

import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmunit.core.error.LlmException;

/**
 * A LangChain4j streaming handler that also hears when the streaming router starts an answer over
 * under {@link MidStreamPolicy#RESTART}. Any plain {@link StreamingChatResponseHandler} works with
 * the router; this one can drop the text it has shown before the new answer's tokens arrive.
 */
public interface RoutedStreamingHandler extends StreamingChatResponseHandler {

    /**
     * Called on the routing thread before the tokens of a restarted answer, after the backoff.
     * Default: nothing.
     *
     * @param interruption the failure that broke the previous stream, with the text it had delivered
     */
    default void onRestart(LlmException.StreamInterrupted interruption) {}
}
