package dev.llmunit.core.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text helpers for answers: the one place that unwraps code fences and normalises text for comparison. */
public final class AnswerText {

    /** The whole text is one fenced block, as chat models like to wrap JSON: ```json … ```. */
    private static final Pattern FENCE = Pattern.compile("\\A\\s*```[\\w+-]*[ \\t]*\\R(.*?)\\R?[ \\t]*```\\s*\\z", Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private AnswerText() {}

    /**
     * The text inside a surrounding Markdown code fence, or the text itself when it is not fenced.
     *
     * @param text an answer
     * @return the fenced content or the text
     */
    public static String withoutFence(String text) {
        if (text.indexOf("```") < 0) {
            return text; // the common case, without a regex
        }
        Matcher fenced = FENCE.matcher(text);
        return fenced.matches() ? fenced.group(1) : text;
    }

    /**
     * The text as two answers that say the same thing compare: NFKC, lower case, whitespace
     * collapsed, a surrounding fence, quotes or backticks and trailing {@code . ! ?} removed.
     *
     * @param text an answer
     * @return the normalised text; empty for a blank answer
     */
    public static String normalize(String text) {
        String flat = collapseWhitespace(Normalizer.normalize(withoutFence(text), Normalizer.Form.NFKC)).toLowerCase(Locale.ROOT);
        boolean changed = true;
        while (changed && !flat.isEmpty()) {
            changed = false;
            char last = flat.charAt(flat.length() - 1);
            if (last == '.' || last == '!' || last == '?') {
                flat = flat.substring(0, flat.length() - 1).strip();
                changed = true;
            }
            if (flat.length() >= 2 && isQuote(flat.charAt(0)) && flat.charAt(flat.length() - 1) == flat.charAt(0)) {
                flat = flat.substring(1, flat.length() - 1).strip();
                changed = true;
            }
        }
        return flat;
    }

    /**
     * A short, one-line form of a text for messages.
     *
     * @param text any text
     * @param limit the most characters to keep
     * @return the text on one line, cut with an ellipsis past the limit
     */
    public static String shorten(String text, int limit) {
        String flat = WHITESPACE.matcher(text).replaceAll(" ").strip();
        return flat.length() <= limit ? flat : flat.substring(0, limit - 1) + "…";
    }

    /** Runs of whitespace become one space, the ends are stripped: a loop, as this runs for every answer. */
    private static String collapseWhitespace(String text) {
        StringBuilder flat = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = flat.length() > 0;
            } else {
                if (space) {
                    flat.append(' ');
                    space = false;
                }
                flat.append(c);
            }
        }
        return flat.toString();
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`';
    }
}
