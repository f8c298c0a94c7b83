package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/** How amounts read in messages, the console and the HTML page: one place, so they all agree. */
final class Formats {

    private Formats() {}

    /** Dollars with at least 6 decimals, so per-call prices line up: {@code $0.000400}, {@code $0.0043125}. */
    static String usd(@Nullable Usd amount) {
        if (amount == null) {
            return "unknown";
        }
        BigDecimal value = amount.amount();
        int scale = Math.max(6, value.stripTrailingZeros().scale());
        return "$" + value.setScale(scale, RoundingMode.UNNECESSARY).toPlainString();
    }

    /** A fraction as a signed percentage without needless zeros: {@code 0.10} reads {@code +10 %}. */
    static String tolerance(BigDecimal fraction) {
        return "+" + plain(fraction.movePointRight(2)) + " %";
    }

    /** The change from before to after in percent, one decimal: {@code +30.0 %}. */
    static String change(BigDecimal before, BigDecimal after) {
        BigDecimal percent = after.subtract(before).movePointRight(2).divide(before, 1, RoundingMode.HALF_UP);
        return (percent.signum() >= 0 ? "+" : "") + percent.toPlainString() + " %";
    }

    static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0, RoundingMode.UNNECESSARY) : stripped).toPlainString();
    }

    static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** A fraction as a percentage with one decimal, such as {@code 37.6 %}. */
    static String percent(double fraction) {
        return BigDecimal.valueOf(fraction * 100).setScale(1, java.math.RoundingMode.HALF_UP).toPlainString() + " %";
    }
}
