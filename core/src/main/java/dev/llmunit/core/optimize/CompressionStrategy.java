package dev.llmunit.core.optimize;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compression: removes what the model does not need and keeps every fact. In system and user
 * messages it
 * <ul>
 *   <li>drops a sentence that already appeared earlier in the request (compared case- and
 *       whitespace-insensitively, quote markers {@code >} ignored, sentences of at least
 *       {@value #MIN_DUPLICATE_LENGTH} characters), such as a pasted ticket quoted again in a reply;</li>
 *   <li>drops whole lines that are only boilerplate: greetings ("Hi team,"), sign-offs ("Thanks in
 *       advance!", "Kind regards,"), "Sent from my iPhone", confidentiality footers;</li>
 *   <li>collapses runs of spaces and blank lines.</li>
 * </ul>
 * A sentence with any other content is never dropped or changed, so every user fact survives.
 */
public final class CompressionStrategy implements OptimizationStrategy {

    /** The strategy's name: {@value}. */
    public static final String NAME = "compression";

    /** Shorter sentences ("Yes.", "OK.") repeat legitimately and are kept: {@value} characters. */
    public static final int MIN_DUPLICATE_LENGTH = 20;

    private static final Pattern BOILERPLATE_LINE = Pattern.compile("(?i)^(?:"
            + "(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))(?: [\\p{L}.'-]+){0,3}\\s*[,!.:]?"
            + "|(?:many |a lot of )?thanks?(?: you)?(?: (?:so|very) much)?(?: (?:in advance|for your help|for reading))?\\s*[,!.]*"
            + "|cheers[,!.]*|(?:best|kind|warm)? ?regards[,!.]*|best[,!.]*|sincerely[,!.]*|yours truly[,!.]*"
            + "|sent from my [\\p{L} ]+"
            + "|i hope this helps[.!]*|(?:please )?let me know if you (?:have any questions|need anything else)[.!]*"
            + "|this e-?mail (?:and any attachments )?(?:is|are|may be) (?:strictly )?confidential.*"
            + ")$");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean appliesTo(ChatRequest request, StrategyContext context) {
        for (ChatMessage message : request.messages()) {
            if (message instanceof SystemMessage || message instanceof UserMessage user && user.hasSingleText()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ChatRequest apply(ChatRequest request, StrategyContext context) {
        Set<String> seen = new HashSet<>();
        List<ChatMessage> messages = request.messages();
        List<ChatMessage> rewritten = null;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            boolean compressible = message instanceof SystemMessage || message instanceof UserMessage user && user.hasSingleText();
            if (!compressible) {
                continue;
            }
            String text = Messages.text(message);
            String compressed = compress(text, seen);
            if (!compressed.equals(text)) {
                if (rewritten == null) {
                    rewritten = new ArrayList<>(messages);
                }
                rewritten.set(i, Messages.withText(message, compressed.isEmpty() ? text.strip() : compressed));
            }
        }
        return rewritten == null ? request : request.toBuilder().messages(rewritten).build();
    }

    /** Compresses one message's text; {@code seen} carries earlier sentences across messages. */
    static String compress(String text, Set<String> seen) {
        StringBuilder out = new StringBuilder(text.length());
        boolean blankPending = false;
        for (String rawLine : text.split("\n", -1)) {
            String line = collapseSpaces(rawLine);
            if (line.isEmpty()) {
                blankPending = out.length() > 0;
                continue;
            }
            if (BOILERPLATE_LINE.matcher(line).matches()) {
                continue;
            }
            StringBuilder kept = new StringBuilder(line.length());
            for (String sentence : SENTENCE_END.split(line)) {
                String key = key(sentence);
                if (key.length() >= MIN_DUPLICATE_LENGTH && !seen.add(key)) {
                    continue; // said before in this request
                }
                if (kept.length() > 0) {
                    kept.append(' ');
                }
                kept.append(sentence);
            }
            if (kept.length() == 0 || isOnlyQuoteMarks(kept)) {
                continue;
            }
            if (out.length() > 0) {
                out.append(blankPending ? "\n\n" : "\n");
            }
            blankPending = false;
            out.append(kept);
        }
        return out.toString();
    }

    private static String collapseSpaces(String line) {
        StringBuilder out = new StringBuilder(line.length());
        boolean space = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\u00a0') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A sentence's identity: lower case, quote marks and surrounding punctuation gone, single spaces. */
    private static String key(String sentence) {
        StringBuilder key = new StringBuilder(sentence.length());
        for (int i = 0; i < sentence.length(); i++) {
            char c = sentence.charAt(i);
            if (c == '>' && key.length() == 0) {
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (key.length() > 0 && key.charAt(key.length() - 1) != ' ') {
                    key.append(' ');
                }
            } else {
                key.append(Character.toLowerCase(c));
            }
        }
        int end = key.length();
        while (end > 0 && (key.charAt(end - 1) == ' ' || key.charAt(end - 1) == '.' || key.charAt(end - 1) == '!')) {
            end--;
        }
        return key.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isOnlyQuoteMarks(CharSequence line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) != '>' && line.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
