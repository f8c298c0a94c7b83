package dev.llmunit.core.cost;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Prices calls: resolves a model in the {@link PriceCatalog} (dated names included, resolved once
 * and cached) and applies the {@link UnknownPricePolicy} when it is missing. Thread-safe.
 *
 * <pre>{@code
 * CostCalculator costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.fail());
 * Cost cost = costs.cost("gpt-4o-mini-2024-07-18", Usage.from(response.tokenUsage()));
 * }</pre>
 */
public final class CostCalculator {

    private static final System.Logger LOG = System.getLogger(CostCalculator.class.getName());
    private static final int MAX_CACHED_NAMES = 4096;
    private static final Optional<ModelPrice> NONE = Optional.empty();

    private final PriceCatalog catalog;
    private final UnknownPricePolicy policy;
    private final ConcurrentHashMap<String, Optional<ModelPrice>> resolved = new ConcurrentHashMap<>();
    /**
     * Models already warned about, in this JVM: every router has its own calculator (a test suite
     * builds hundreds), so a per-calculator set would repeat the same warning hundreds of times.
     */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** What a call is priced by when neither the provider's configuration nor its response names a model. */
    private static final String NAMELESS = "unknown";

    private CostCalculator(PriceCatalog catalog, UnknownPricePolicy policy) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * A calculator over a catalog.
     *
     * @param catalog the prices
     * @param policy what to do with models the catalog lacks
     * @return the calculator
     */
    public static CostCalculator of(PriceCatalog catalog, UnknownPricePolicy policy) {
        return new CostCalculator(catalog, policy);
    }

    /**
     * The price a model is charged, after the policy: the catalog's, the default, or none.
     *
     * @param model a model name as configured or as returned by the provider
     * @return the price, empty when unknown under {@link UnknownPricePolicy#countAsUnknown()}
     * @throws UnknownPriceException when unknown under {@link UnknownPricePolicy#fail()}
     */
    public Optional<ModelPrice> price(String model) {
        Optional<ModelPrice> price = catalogPrice(model);
        if (price.isPresent()) {
            return price;
        }
        switch (policy.mode()) {
            case FAIL:
                throw new UnknownPriceException(model);
            case USE_DEFAULT:
                return Optional.of(policy.defaultPrice());
            default:
                return NONE;
        }
    }

    /**
     * The cost of one call.
     *
     * @param model the model name the call was priced by (the provider's returned name is best)
     * @param usage the call's tokens
     * @return the cost, {@link PriceSource#UNKNOWN} with zero dollars when the model has no price
     * @throws UnknownPriceException when unknown under {@link UnknownPricePolicy#fail()}
     */
    public Cost cost(String model, Usage usage) {
        Optional<ModelPrice> known = catalogPrice(model);
        if (known.isPresent()) {
            return new Cost(model, usage, known.get().cost(usage), PriceSource.CATALOG);
        }
        switch (policy.mode()) {
            case FAIL:
                throw new UnknownPriceException(model);
            case USE_DEFAULT:
                return new Cost(model, usage, policy.defaultPrice().cost(usage), PriceSource.DEFAULT);
            default:
                warnOnce(model);
                return new Cost(model, usage, Usd.ZERO, PriceSource.UNKNOWN);
        }
    }

    /**
     * The cost of one response, priced by the most precise model name known: the name the provider
     * returned (often dated, such as {@code gpt-4o-mini-2024-07-18}) when the catalog knows it,
     * else the name the provider was configured with; the policy applies when neither is priced.
     * A call served in a service tier (such as {@code priority}) that only the configured name has
     * rates for is priced by the configured name.
     *
     * @param servedModel the model name in the response, or null
     * @param configuredModel the model name the provider was configured with, or null
     * @param usage the call's tokens
     * @return the cost
     * @throws UnknownPriceException when neither name is priced under {@link UnknownPricePolicy#fail()}
     */
    public Cost cost(@Nullable String servedModel, @Nullable String configuredModel, Usage usage) {
        if (servedModel != null) {
            Optional<ModelPrice> served = catalogPrice(servedModel);
            if (served.isPresent() && !onlyPricedUnder(configuredModel, served.get(), usage.serviceTier())) {
                return new Cost(servedModel, usage, served.get().cost(usage), PriceSource.CATALOG);
            }
        }
        String model = configuredModel != null ? configuredModel : servedModel != null ? servedModel : NAMELESS;
        return cost(model, usage);
    }

    /** Once per model and JVM; a model without a name gets a hint on how to name it instead. */
    private static void warnOnce(String model) {
        if (WARNED.size() >= MAX_CACHED_NAMES || !WARNED.add(model)) {
            return;
        }
        if (model.equals(NAMELESS)) {
            LOG.log(Level.WARNING, "llmunit: a provider has no model name (none configured, none in its responses), so its"
                    + " calls count as unknown cost. Name its model, such as .provider(\"openai\", model, p -> p.modelName(\"gpt-4o-mini\")),"
                    + " to price it.");
        } else {
            LOG.log(Level.WARNING, "llmunit: no price for model ''{0}''; its calls count as unknown cost. "
                    + "Add it to the price catalog or set an UnknownPricePolicy.", model);
        }
    }

    /**
     * Whether the service tier a call was served in has rates under the configured name but not
     * under the served one: LiteLLM lists {@code _priority} rates on {@code gpt-4o-mini}, not on
     * {@code gpt-4o-mini-2024-07-18}, the name OpenAI answers with.
     */
    private boolean onlyPricedUnder(@Nullable String configuredModel, ModelPrice served, @Nullable String serviceTier) {
        if (serviceTier == null || configuredModel == null || served.serviceTiers().containsKey(serviceTier)) {
            return false;
        }
        return catalogPrice(configuredModel).map(configured -> configured.serviceTiers().containsKey(serviceTier)).orElse(false);
    }

    /**
     * The catalog behind this calculator.
     *
     * @return the catalog
     */
    public PriceCatalog catalog() {
        return catalog;
    }

    /**
     * The policy for unknown models.
     *
     * @return the policy
     */
    public UnknownPricePolicy policy() {
        return policy;
    }

    private Optional<ModelPrice> catalogPrice(String model) {
        Optional<ModelPrice> price = resolved.get(model);
        if (price == null) {
            price = catalog.find(model);
            if (resolved.size() < MAX_CACHED_NAMES) {
                resolved.putIfAbsent(model, price);
            }
        }
        return price;
    }
}
