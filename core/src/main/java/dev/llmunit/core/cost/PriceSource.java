package dev.llmunit.core.cost;

/** Where the price behind a {@link Cost} came from. */
public enum PriceSource {
    /** The model's entry in the price catalog. */
    CATALOG,
    /** The default price of {@link UnknownPricePolicy#useDefault(ModelPrice)}: the model was not in the catalog. */
    DEFAULT,
    /** No price: the model was not in the catalog and the policy counts it as unknown; the amount is zero and must not be read as free. */
    UNKNOWN
}
