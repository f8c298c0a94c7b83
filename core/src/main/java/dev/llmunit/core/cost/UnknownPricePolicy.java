package dev.llmunit.core.cost;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to do with a model the price catalog does not know. A model with no price is never
 * silently free: it fails, or is counted as unknown in every total, or is charged a price you chose.
 */
public final class UnknownPricePolicy {

    /** The policy's choice. */
    public enum Mode {
        /** Throw {@link UnknownPriceException}. */
        FAIL,
        /** Warn once per model and record the cost as {@link PriceSource#UNKNOWN}. */
        COUNT_AS_UNKNOWN,
        /** Charge a default price, recorded as {@link PriceSource#DEFAULT}. */
        USE_DEFAULT
    }

    private static final UnknownPricePolicy FAIL = new UnknownPricePolicy(Mode.FAIL, null);
    private static final UnknownPricePolicy COUNT_AS_UNKNOWN = new UnknownPricePolicy(Mode.COUNT_AS_UNKNOWN, null);

    private final Mode mode;
    private final @Nullable ModelPrice defaultPrice;

    private UnknownPricePolicy(Mode mode, @Nullable ModelPrice defaultPrice) {
        this.mode = mode;
        this.defaultPrice = defaultPrice;
    }

    /**
     * Fail the cost look-up: for CI runs where every model must be priced.
     *
     * @return the policy
     */
    public static UnknownPricePolicy fail() {
        return FAIL;
    }

    /**
     * Warn once per model and count its calls as unknown cost. The default.
     *
     * @return the policy
     */
    public static UnknownPricePolicy countAsUnknown() {
        return COUNT_AS_UNKNOWN;
    }

    /**
     * Charge every unknown model the given price.
     *
     * @param price the default price (its model name is ignored)
     * @return the policy
     */
    public static UnknownPricePolicy useDefault(ModelPrice price) {
        return new UnknownPricePolicy(Mode.USE_DEFAULT, Objects.requireNonNull(price, "price"));
    }

    /** @return the policy's choice */
    public Mode mode() {
        return mode;
    }

    /** @return the default price for {@link Mode#USE_DEFAULT}, else null */
    public @Nullable ModelPrice defaultPrice() {
        return defaultPrice;
    }

    @Override
    public String toString() {
        return mode == Mode.USE_DEFAULT ? "useDefault(" + defaultPrice + ")" : mode.name();
    }
}
