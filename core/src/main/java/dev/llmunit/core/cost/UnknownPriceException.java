package dev.llmunit.core.cost;

/** The price catalog has no entry for a model and the policy is {@link UnknownPricePolicy#fail()}. */
public final class UnknownPriceException extends IllegalStateException {

    /**
     * Creates the error.
     *
     * @param model the model with no price
     */
    public UnknownPriceException(String model) {
        super("no price for model '" + model + "' in the price catalog; add it with PriceCatalog.withPrice(ModelPrice.of(\""
                + model + "\", inputPerToken, outputPerToken)) or a price file, or choose UnknownPricePolicy.countAsUnknown()");
    }
}
