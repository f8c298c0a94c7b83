package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Reads token log-probabilities from provider responses. The OpenAI module is an optional
 * dependency of core, so its reader sits in a nested class only loaded when the module is present.
 */
public final class ProviderConfidence {

    private static final boolean OPENAI = present("dev.langchain4j.model.openai.OpenAiChatResponseMetadata");

    private ProviderConfidence() {}

    /**
     * {@link dev.llmunit.core.ensemble.LogProbConfidence#of(ChatResponse)}.
     *
     * @param response a response
     * @return the geometric mean token probability, or empty
     */
    public static OptionalDouble of(ChatResponse response) {
        return OPENAI ? OpenAi.of(response) : OptionalDouble.empty();
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ProviderConfidence.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    private static final class OpenAi {
        static OptionalDouble of(ChatResponse response) {
            if (!(response.metadata() instanceof OpenAiChatResponseMetadata openAi)) {
                return OptionalDouble.empty();
            }
            List<LogProb> tokens = openAi.logProbs();
            if (tokens == null || tokens.isEmpty()) {
                return OptionalDouble.empty();
            }
            double sum = 0;
            int counted = 0;
            for (LogProb token : tokens) {
                if (token.logprob() != null) {
                    sum += token.logprob();
                    counted++;
                }
            }
            if (counted == 0) {
                return OptionalDouble.empty();
            }
            double confidence = Math.exp(sum / counted);
            return OptionalDouble.of(Math.max(0.0, Math.min(1.0, confidence)));
        }
    }
}
