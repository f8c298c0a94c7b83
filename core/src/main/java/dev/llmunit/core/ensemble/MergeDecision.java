package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What a {@link MergeStrategy} decided: a candidate's answer, or an answer it wrote. */
public final class MergeDecision {

    private final @Nullable MemberResult chosen;
    private final ChatResponse response;
    private final @Nullable String fallbackReason;

    private MergeDecision(@Nullable MemberResult chosen, ChatResponse response, @Nullable String fallbackReason) {
        this.chosen = chosen;
        this.response = response;
        this.fallbackReason = fallbackReason;
    }

    /**
     * Chooses a candidate's answer.
     *
     * @param candidate one of {@link MergeContext#candidates()}
     * @return the decision
     */
    public static MergeDecision choose(MemberResult candidate) {
        Objects.requireNonNull(candidate, "candidate must not be null");
        return new MergeDecision(candidate, Objects.requireNonNull(candidate.response(), "a candidate has a response"), null);
    }

    /**
     * Chooses a candidate's answer because the strategy's own way failed, saying why.
     *
     * @param candidate one of {@link MergeContext#candidates()}, normally {@link MergeContext#consensus()}
     * @param reason why, such as {@code "the judge answered 'ok', which is not JSON"}
     * @return the decision
     */
    public static MergeDecision fallBack(MemberResult candidate, String reason) {
        Objects.requireNonNull(candidate, "candidate must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
        return new MergeDecision(candidate, Objects.requireNonNull(candidate.response(), "a candidate has a response"), reason);
    }

    /**
     * An answer no candidate gave as it is, such as a fuser's.
     *
     * @param response the answer
     * @return the decision
     */
    public static MergeDecision write(ChatResponse response) {
        return new MergeDecision(null, Objects.requireNonNull(response, "response must not be null"), null);
    }

    /**
     * The chosen candidate.
     *
     * @return it, or {@code null} for a written answer
     */
    public @Nullable MemberResult chosen() {
        return chosen;
    }

    /**
     * The answer.
     *
     * @return the chosen candidate's response or the written one
     */
    public ChatResponse response() {
        return response;
    }

    /**
     * Why the strategy fell back.
     *
     * @return the reason, or {@code null} when it did not
     */
    public @Nullable String fallbackReason() {
        return fallbackReason;
    }
}
