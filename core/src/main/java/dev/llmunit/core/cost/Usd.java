package dev.llmunit.core.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact amount of US dollars. Backed by {@link BigDecimal} so sums of many tiny per-token
 * prices never drift; printed with at least two decimals and every significant digit, like
 * {@code $0.000435} or {@code $1.50}. Equal amounts are equal whatever their scale.
 */
public final class Usd implements Comparable<Usd> {

    /** Zero dollars. */
    public static final Usd ZERO = new Usd(BigDecimal.ZERO);

    private final BigDecimal amount;

    private Usd(BigDecimal amount) {
        this.amount = amount;
    }

    /**
     * An amount from its decimal text, the exact way to write money in code: {@code Usd.usd("0.002")}.
     *
     * @param amount a decimal number such as {@code "0.002"}; never negative
     * @return the amount
     * @throws IllegalArgumentException when the text is not a decimal number or is negative
     */
    public static Usd usd(String amount) {
        Objects.requireNonNull(amount, "amount");
        BigDecimal value;
        try {
            value = new BigDecimal(amount.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a USD amount must be a decimal number such as \"0.002\", but was \"" + amount + "\"", e);
        }
        return of(value);
    }

    /**
     * An amount from a {@link BigDecimal}.
     *
     * @param amount the amount in dollars; never negative
     * @return the amount
     * @throws IllegalArgumentException when the amount is negative
     */
    public static Usd of(BigDecimal amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("a USD amount must not be negative, but was " + amount.toPlainString());
        }
        return amount.signum() == 0 ? ZERO : new Usd(amount);
    }

    /**
     * The exact amount.
     *
     * @return the amount in dollars
     */
    public BigDecimal amount() {
        return amount;
    }

    /**
     * This amount plus another.
     *
     * @param other the amount to add
     * @return the exact sum
     */
    public Usd plus(Usd other) {
        return other.amount.signum() == 0 ? this : amount.signum() == 0 ? other : new Usd(amount.add(other.amount));
    }

    /**
     * This amount minus another, never below zero.
     *
     * @param other the amount to take away
     * @return the exact difference, or {@link #ZERO} when {@code other} is larger
     */
    public Usd minusOrZero(Usd other) {
        BigDecimal difference = amount.subtract(other.amount);
        return difference.signum() <= 0 ? ZERO : new Usd(difference);
    }

    /**
     * This amount times a count, such as a per-token price times tokens.
     *
     * @param count a non-negative count
     * @return the exact product
     */
    public Usd times(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, but was " + count);
        }
        return count == 0 || amount.signum() == 0 ? ZERO : new Usd(amount.multiply(BigDecimal.valueOf(count)));
    }

    /**
     * Whether this amount is larger than another.
     *
     * @param other the amount to compare with
     * @return {@code true} when strictly larger
     */
    public boolean isGreaterThan(Usd other) {
        return compareTo(other) > 0;
    }

    /**
     * The plain decimal text, as written in reports and JSON: {@code "0.000435"}.
     *
     * @return the amount without exponent or currency sign
     */
    public String toPlainString() {
        BigDecimal stripped = amount.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0, RoundingMode.UNNECESSARY) : stripped).toPlainString();
    }

    @Override
    public int compareTo(Usd other) {
        return amount.compareTo(other.amount);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Usd usd && amount.compareTo(usd.amount) == 0;
    }

    @Override
    public int hashCode() {
        return amount.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        BigDecimal stripped = amount.stripTrailingZeros();
        return "$" + amount.setScale(Math.max(2, stripped.scale()), RoundingMode.UNNECESSARY).toPlainString();
    }
}
