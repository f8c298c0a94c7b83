/**
 * Money and prices: exact {@link dev.llmunit.core.cost.Usd} amounts and the {@link dev.llmunit.core.cost.PriceCatalog} in the LiteLLM price-map format.
 */
@NullMarked
package dev.llmunit.core.cost;

import org.jspecify.annotations.NullMarked;
