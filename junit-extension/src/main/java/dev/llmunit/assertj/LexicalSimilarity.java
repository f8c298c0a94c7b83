package dev.llmunit.assertj;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Word and character-trigram cosine; see {@link TextSimilarity#lexical()}. Stateless, so shared. */
final class LexicalSimilarity implements TextSimilarity {

    static final LexicalSimilarity INSTANCE = new LexicalSimilarity();

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private LexicalSimilarity() {}

    @Override
    public double similarity(String first, String second) {
        if (first.equals(second)) {
            return 1.0;
        }
        Map<String, Integer> a = terms(first);
        Map<String, Integer> b = terms(second);
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty() ? 1.0 : 0.0;
        }
        double dot = 0;
        for (Map.Entry<String, Integer> term : a.entrySet()) {
            Integer other = b.get(term.getKey());
            if (other != null) {
                dot += (double) term.getValue() * other;
            }
        }
        return Math.max(0.0, Math.min(1.0, dot / (norm(a) * norm(b))));
    }

    @Override
    public String name() {
        return "lexical similarity (words and character trigrams)";
    }

    @Override
    public String toString() {
        return name();
    }

    /** Words and trigrams in one vector; the prefixes keep the word "cat" apart from the trigram "cat". */
    private static Map<String, Integer> terms(String text) {
        Map<String, Integer> terms = new HashMap<>();
        Matcher words = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (words.find()) {
            String word = words.group();
            terms.merge("w:" + word, 1, Integer::sum);
            String padded = " " + word + " ";
            for (int i = 0; i + 3 <= padded.length(); i++) {
                terms.merge("c:" + padded.substring(i, i + 3), 1, Integer::sum);
            }
        }
        return terms;
    }

    private static double norm(Map<String, Integer> terms) {
        double sum = 0;
        for (int count : terms.values()) {
            sum += (double) count * count;
        }
        return Math.sqrt(sum);
    }
}
