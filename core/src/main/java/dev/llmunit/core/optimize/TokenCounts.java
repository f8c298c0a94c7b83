package dev.llmunit.core.optimize;

import dev.langchain4j.data.message.ChatMessage;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.internal.JtokkitTokenEstimator;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The optimizer's token counts, before and after each rewrite. A jtokkit count is most of what an
 * optimization costs (about 30 µs for a 400-character ticket, against a few µs for detection and
 * every strategy), and the same texts come back: the system prompt of every request of an app,
 * the few-shot examples, every message a rewrite left as it was, and the whole request when a
 * suite replays it. With the standard estimator the counts of texts are therefore kept in a small
 * fixed table (the last text seen per slot, compared in full, so a count is never a guess); any
 * other estimator is asked for the whole list, as before.
 *
 * <p>Thread-safe: a slot holds an immutable entry, and a racing reader sees either an entry or an
 * older one (and counts again).
 */
final class TokenCounts {

    /** Slots in the table: {@value}. */
    static final int SLOTS = 256;

    /** Longer texts are counted every time, so the table holds at most {@value} characters per slot. */
    static final int MAX_CACHED_CHARS = 16_384;

    private record Entry(String text, int tokens) {}

    private final TokenEstimator estimator;
    private final @Nullable JtokkitTokenEstimator standard;
    private final @Nullable Entry[] slots;
    private final ToIntFunction<String> cachedCounter = this::countText;

    TokenCounts(TokenEstimator estimator) {
        this.estimator = estimator;
        this.standard = estimator == TokenEstimator.standard() ? (JtokkitTokenEstimator) estimator : null;
        this.slots = standard == null ? null : new Entry[SLOTS];
    }

    /** The estimator's count of the messages. */
    int estimate(List<ChatMessage> messages) {
        return standard == null ? estimator.estimateInputTokens(messages) : standard.estimateInputTokens(messages, cachedCounter);
    }

    private int countText(String text) {
        if (text.length() > MAX_CACHED_CHARS) {
            return standard.countText(text);
        }
        int hash = text.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        Entry entry = slots[slot];
        if (entry != null && entry.text.equals(text)) {
            return entry.tokens;
        }
        int tokens = standard.countText(text);
        slots[slot] = new Entry(text, tokens);
        return tokens;
    }
}
