package dev.llmunit.core.cost;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Model prices and limits in the LiteLLM price-map JSON format. Immutable; variations are new
 * catalogs ({@link #withOverrides(PriceCatalog)}, {@link #withPrice(ModelPrice)}).
 *
 * <p>{@link #bundled()} ships a snapshot of the LiteLLM map (OpenAI, Anthropic, Gemini and other
 * chat models). Look-ups accept the dated names providers return: {@code gpt-4o-mini-2024-07-18}
 * resolves to {@code gpt-4o-mini} when the catalog has no entry of its own for the dated name.
 *
 * <pre>{@code
 * PriceCatalog prices = PriceCatalog.bundled()
 *         .withOverrides(PriceCatalog.fromPath(Path.of("prices.json")))
 *         .withPrice(ModelPrice.of("my-finetune", Usd.usd("0.000002"), Usd.usd("0.000008")));
 * }</pre>
 */
public final class PriceCatalog {

    private static final String BUNDLED = "/dev/llmunit/core/cost/model-prices.json";
    /**
     * The dearest price per token a catalog may state: 16 times the dearest real one (o1-pro's 0.0006 per output
     * token), so a price written per million tokens, or a typo like 1e999, is refused rather than billed.
     */
    private static final BigDecimal MAX_PRICE_PER_TOKEN = new BigDecimal("0.01");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern DATE_SUFFIX = Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|@\\d{8}|-v\\d+(:\\d+)?)$");
    private static final List<String> TIER_BASES = List.of("input_cost_per_token", "output_cost_per_token",
            "cache_read_input_token_cost", "cache_creation_input_token_cost");
    private static final Pattern TIER_FIELD = Pattern.compile("(" + String.join("|", TIER_BASES) + ")_above_(\\d+)k_tokens");
    /** The service tiers priced by suffix, such as {@code input_cost_per_token_priority}. */
    private static final List<String> SERVICE_TIERS = List.of("priority", "flex");
    private static final Pattern SERVICE_TIER_FIELD = Pattern.compile("(" + String.join("|", TIER_BASES) + ")(?:_above_(\\d+)k_tokens)?_("
            + String.join("|", SERVICE_TIERS) + ")");
    private static final String CACHE_WRITE_1H = "cache_creation_input_token_cost_above_1hr";
    private static final Pattern CACHE_WRITE_1H_TIER = Pattern.compile(CACHE_WRITE_1H + "_above_(\\d+)k_tokens");
    private static volatile @Nullable PriceCatalog bundled;

    private final Map<String, ModelPrice> prices;

    private PriceCatalog(Map<String, ModelPrice> prices) {
        this.prices = prices;
    }

    /**
     * The catalog shipped with llmunit, read once and shared.
     *
     * @return the bundled catalog
     */
    public static PriceCatalog bundled() {
        PriceCatalog catalog = bundled;
        if (catalog == null) {
            synchronized (PriceCatalog.class) {
                catalog = bundled;
                if (catalog == null) {
                    catalog = fromClasspath(BUNDLED);
                    bundled = catalog;
                }
            }
        }
        return catalog;
    }

    /**
     * A catalog with no prices, for tests that set every price in code.
     *
     * @return an empty catalog
     */
    public static PriceCatalog empty() {
        return new PriceCatalog(Map.of());
    }

    /**
     * Reads a catalog from the classpath.
     *
     * @param resource an absolute resource path such as {@code /prices.json}
     * @return the catalog
     * @throws InvalidPriceCatalogException when the resource is missing or malformed
     */
    public static PriceCatalog fromClasspath(String resource) {
        String absolute = resource.startsWith("/") ? resource : "/" + resource;
        try (InputStream in = PriceCatalog.class.getResourceAsStream(absolute)) {
            if (in == null) {
                throw new InvalidPriceCatalogException("price catalog classpath resource " + absolute
                        + " does not exist; put the file under src/main/resources or src/test/resources");
            }
            return fromStream(in, "classpath:" + absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read price catalog classpath:" + absolute, e);
        }
    }

    /**
     * Reads a catalog from a file.
     *
     * @param file a JSON file in the LiteLLM price-map format
     * @return the catalog
     * @throws InvalidPriceCatalogException when the file is missing or malformed
     */
    public static PriceCatalog fromPath(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromStream(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new InvalidPriceCatalogException("price catalog file " + file.toAbsolutePath() + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read price catalog file " + file.toAbsolutePath(), e);
        }
    }

    /**
     * Reads a catalog from a stream, which is not closed.
     *
     * @param json a JSON object of model name to price entry
     * @param source a name for the stream used in error messages, such as a file name
     * @return the catalog
     * @throws InvalidPriceCatalogException when the JSON is malformed or an entry is invalid
     */
    public static PriceCatalog fromStream(InputStream json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonParseException e) {
            throw new InvalidPriceCatalogException("price catalog " + source + " is not valid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidPriceCatalogException("price catalog " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read price catalog " + source, e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPriceCatalogException("price catalog " + source
                    + " must be a JSON object of model name to price entry, like {\"gpt-4o-mini\": {\"input_cost_per_token\": 1.5e-7, ...}}");
        }
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String model = entry.getKey();
            JsonNode fields = entry.getValue();
            if ("sample_spec".equals(model)) {
                continue; // LiteLLM's documentation entry, not a model
            }
            if (!fields.isObject()) {
                throw new InvalidPriceCatalogException("price catalog " + source + ", model \"" + model
                        + "\": the entry must be a JSON object of price fields, but was " + fields.getNodeType());
            }
            Usd input = price(source, model, fields, "input_cost_per_token");
            Usd output = price(source, model, fields, "output_cost_per_token");
            if (input == null || (output == null && !"embedding".equals(fields.path("mode").asText()))) {
                continue; // priced per image, second or character: not a token-priced chat model
            }
            prices.put(model, new ModelPrice(
                    model,
                    fields.path("litellm_provider").asText(""),
                    fields.path("mode").asText(""),
                    input,
                    output == null ? Usd.ZERO : output,
                    price(source, model, fields, "cache_read_input_token_cost"),
                    price(source, model, fields, "cache_creation_input_token_cost"),
                    price(source, model, fields, "output_cost_per_reasoning_token"),
                    tokens(source, model, fields, "max_input_tokens"),
                    tokens(source, model, fields, "max_output_tokens"),
                    tiers(source, model, fields),
                    price(source, model, fields, CACHE_WRITE_1H),
                    serviceTiers(source, model, fields)));
        }
        return new PriceCatalog(Collections.unmodifiableMap(prices));
    }

    /**
     * The price of a model, resolving dated and provider-prefixed names: an exact entry first, then
     * the name without an {@code openai/}-style prefix, then without a date or version suffix.
     *
     * @param model the model name a provider was configured with or returned
     * @return the price, empty when the catalog does not know the model
     */
    public Optional<ModelPrice> find(String model) {
        Objects.requireNonNull(model, "model");
        ModelPrice price = prices.get(model);
        if (price != null) {
            return Optional.of(price);
        }
        String name = model.toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        price = prices.get(name);
        if (price == null) {
            price = prices.get(DATE_SUFFIX.matcher(name).replaceFirst(""));
        }
        return Optional.ofNullable(price);
    }

    /**
     * The number of models with a price.
     *
     * @return the entry count
     */
    public int size() {
        return prices.size();
    }

    /**
     * All prices by catalog key, in file order.
     *
     * @return an unmodifiable map
     */
    public Map<String, ModelPrice> prices() {
        return prices;
    }

    /**
     * This catalog with every entry of another put over it (the other wins on the same key).
     *
     * @param overrides the catalog whose entries replace or add to this one's
     * @return a new catalog
     */
    public PriceCatalog withOverrides(PriceCatalog overrides) {
        Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
        merged.putAll(overrides.prices);
        return new PriceCatalog(Collections.unmodifiableMap(merged));
    }

    /**
     * This catalog with one model's price set in code.
     *
     * @param price the price; its {@code model} is the key
     * @return a new catalog
     */
    public PriceCatalog withPrice(ModelPrice price) {
        Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
        merged.put(price.model(), price);
        return new PriceCatalog(Collections.unmodifiableMap(merged));
    }

    private static @Nullable Usd price(String source, String model, JsonNode fields, String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidPriceCatalogException("price catalog " + source + ", model \"" + model + "\", field " + field
                    + ": expected a number of USD per token such as 1.5e-07, but was " + describe(value));
        }
        BigDecimal amount = value.decimalValue();
        if (amount.signum() < 0) {
            throw new InvalidPriceCatalogException("price catalog " + source + ", model \"" + model + "\", field " + field
                    + ": a price must not be negative, but was " + amount.toPlainString());
        }
        if (amount.compareTo(MAX_PRICE_PER_TOKEN) > 0) {
            throw new InvalidPriceCatalogException("price catalog " + source + ", model \"" + model + "\", field " + field
                    + ": " + amount + " USD per token is above the " + MAX_PRICE_PER_TOKEN.toPlainString() + " any model bills"
                    + " (the dearest catalog model, o1-pro, bills 0.0006 per output token); prices are USD per token, so $2.50"
                    + " per million tokens is 2.5e-06");
        }
        return Usd.of(amount);
    }

    private static List<PriceTier> tiers(String source, String model, JsonNode fields) {
        // One slot per base rate, and a last one for the one-hour cache write of the tier.
        Map<Long, Usd[]> byThreshold = new TreeMap<>();
        for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            Matcher tier = TIER_FIELD.matcher(field);
            Matcher oneHour = CACHE_WRITE_1H_TIER.matcher(field);
            if (tier.matches()) {
                long threshold = Long.parseLong(tier.group(2)) * 1000;
                int slot = TIER_BASES.indexOf(tier.group(1));
                byThreshold.computeIfAbsent(threshold, t -> new Usd[TIER_BASES.size() + 1])[slot] = price(source, model, fields, field);
            } else if (oneHour.matches()) {
                long threshold = Long.parseLong(oneHour.group(1)) * 1000;
                byThreshold.computeIfAbsent(threshold, t -> new Usd[TIER_BASES.size() + 1])[TIER_BASES.size()] =
                        price(source, model, fields, field);
            }
        }
        List<PriceTier> tiers = new ArrayList<>();
        byThreshold.forEach((threshold, rates) -> tiers.add(new PriceTier(threshold, rates[0], rates[1], rates[2], rates[3], rates[4])));
        return tiers;
    }

    /** The {@code _priority} and {@code _flex} rates, each tier with its own size tiers ({@code ..._above_200k_tokens_priority}). */
    private static Map<String, ServiceTierPrice> serviceTiers(String source, String model, JsonNode fields) {
        Map<String, Usd[]> base = new LinkedHashMap<>();
        Map<String, Map<Long, Usd[]>> sized = new LinkedHashMap<>();
        for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            Matcher matcher = SERVICE_TIER_FIELD.matcher(field);
            if (!matcher.matches()) {
                continue;
            }
            int slot = TIER_BASES.indexOf(matcher.group(1));
            String tier = matcher.group(3);
            Usd rate = price(source, model, fields, field);
            if (matcher.group(2) == null) {
                base.computeIfAbsent(tier, t -> new Usd[TIER_BASES.size()])[slot] = rate;
            } else {
                long threshold = Long.parseLong(matcher.group(2)) * 1000;
                sized.computeIfAbsent(tier, t -> new TreeMap<>())
                        .computeIfAbsent(threshold, t -> new Usd[TIER_BASES.size()])[slot] = rate;
            }
        }
        Map<String, ServiceTierPrice> tiers = new LinkedHashMap<>();
        for (String tier : SERVICE_TIERS) {
            if (!base.containsKey(tier) && !sized.containsKey(tier)) {
                continue;
            }
            Usd[] rates = base.getOrDefault(tier, new Usd[TIER_BASES.size()]);
            List<PriceTier> sizes = new ArrayList<>();
            sized.getOrDefault(tier, Map.of()).forEach((threshold, sizedRates) ->
                    sizes.add(new PriceTier(threshold, sizedRates[0], sizedRates[1], sizedRates[2], sizedRates[3])));
            tiers.put(tier, new ServiceTierPrice(rates[0], rates[1], rates[2], rates[3], sizes));
        }
        return tiers;
    }

    private static @Nullable Integer tokens(String source, String model, JsonNode fields, String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        boolean whole = value.isIntegralNumber()
                || (value.isFloatingPointNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
        if (!whole || !value.canConvertToInt() || value.intValue() <= 0) {
            throw new InvalidPriceCatalogException("price catalog " + source + ", model \"" + model + "\", field " + field
                    + ": expected a positive whole number of tokens such as 128000, but was " + describe(value));
        }
        return value.intValue();
    }

    private static String describe(JsonNode value) {
        return value.isTextual() ? "the string \"" + value.asText() + "\"" : value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + value;
    }
}
