package dev.llmunit.core.cost;

import java.util.Objects;

/**
 * What one call cost.
 *
 * @param model the model name the cost was looked up by
 * @param usage the call's tokens
 * @param usd the amount; {@link Usd#ZERO} when the price is unknown
 * @param source whether the price came from the catalog, a default, or nowhere
 */
public record Cost(String model, Usage usage, Usd usd, PriceSource source) {

    /** Checks that an unknown price carries no amount. */
    public Cost {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(usd, "usd");
        Objects.requireNonNull(source, "source");
        if (source == PriceSource.UNKNOWN && !usd.equals(Usd.ZERO)) {
            throw new IllegalArgumentException("an unknown price has no amount, but was " + usd);
        }
    }

    /**
     * Whether the price was unknown, so {@link #usd()} is zero without meaning "free".
     *
     * @return {@code true} for {@link PriceSource#UNKNOWN}
     */
    public boolean isUnknown() {
        return source == PriceSource.UNKNOWN;
    }

    @Override
    public String toString() {
        return isUnknown() ? "unknown (no price for " + model + ")" : usd.toString();
    }
}
