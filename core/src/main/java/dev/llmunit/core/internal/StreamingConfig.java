package dev.llmunit.core.internal;

import dev.llmunit.core.stream.MidStreamPolicy;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link dev.llmunit.core.stream.StreamingRouterBuilder#build()} hands the implementation,
 * besides the plain router it builds. Not API.
 *
 * @param policy what to do after a failure past the first token
 * @param maxRestarts how many times one call may restart or continue its answer
 * @param firstToken the time-to-first-token timeout per attempt, or null
 * @param betweenTokens the longest gap between tokens, or null
 * @param total the whole call's timeout, or null
 * @param continuePrompt the user message that asks for a continuation under {@link MidStreamPolicy#CONTINUE}
 */
public record StreamingConfig(MidStreamPolicy policy, int maxRestarts, @Nullable Duration firstToken,
        @Nullable Duration betweenTokens, @Nullable Duration total, String continuePrompt) {

    /** Checks the required parts. */
    public StreamingConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(continuePrompt, "continuePrompt");
    }
}
