package dev.llmunit.junit.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations users write in annotations and settings: {@code 800ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code PT2S}. */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)");

    /**
     * The longest duration llmunit accepts: what fits in a {@code long} of nanoseconds (about 292
     * years), since latencies are compared and reported in nanoseconds.
     */
    static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @param text the text
     * @param where where it was written, for the message, such as {@code @LatencyBudget(p95) on TriageTest#refund}
     * @return the duration
     * @throws IllegalArgumentException naming where, the value and the valid forms
     */
    public static Duration parse(String text, String where) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher simple = SIMPLE.matcher(trimmed);
        if (simple.matches()) {
            BigDecimal amount = new BigDecimal(simple.group(1));
            BigDecimal millis = switch (simple.group(2)) {
                case "ms" -> amount;
                case "s" -> amount.movePointRight(3);
                default -> amount.multiply(BigDecimal.valueOf(60_000));
            };
            BigDecimal nanos = millis.movePointRight(6);
            if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw tooLong(text, where);
            }
            return Duration.ofNanos(nanos.longValue());
        }
        if (trimmed.startsWith("pt") || trimmed.startsWith("p")) {
            try {
                Duration parsed = Duration.parse(text.trim());
                if (parsed.compareTo(LONGEST) > 0) {
                    throw tooLong(text, where);
                }
                if (!parsed.isNegative()) {
                    return parsed;
                }
            } catch (DateTimeParseException notIso) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException(where + " is '" + text + "', which is not a duration; write it like 800ms, 2s, 1.5s, 1m or PT2S");
    }

    private static IllegalArgumentException tooLong(String text, String where) {
        return new IllegalArgumentException(where + " is '" + text + "', which is longer than the longest duration llmunit can"
                + " judge (" + LONGEST.toSeconds() + "s, about 292 years); write a real limit such as 2s, or leave it empty for no limit");
    }
}
