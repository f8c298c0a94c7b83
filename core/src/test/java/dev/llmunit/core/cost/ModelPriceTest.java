package dev.llmunit.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelPriceTest {

    private static final String SOURCE = "tiers.json";

    private static final Usd INPUT = Usd.usd("0.000001");
    private static final Usd OUTPUT = Usd.usd("0.000002");

    // ---- cache rates ---------------------------------------------------------------------------------

    @Test
    void chargesCacheReadsAndWritesAtTheirOwnRates() {
        // GIVEN
        ModelPrice price = ModelPrice.of("cached", INPUT, OUTPUT).withCacheRates(Usd.usd("0.0000001"), Usd.usd("0.00000125"));

        // WHEN (1,000 − 600 − 300) × 0.000001 + 600 × 0.0000001 + 300 × 0.00000125 + 100 × 0.000002
        //      = 0.0001 + 0.00006 + 0.000375 + 0.0002
        Usd cost = price.cost(new Usage(1_000, 100, 600, 300, 0));

        // THEN
        assertThat(cost).isEqualTo(Usd.usd("0.000735"));
    }

    @Test
    void chargesCacheReadsAndWritesAtTheInputRateWhenTheModelHasNoCacheRates() {
        // GIVEN
        ModelPrice price = ModelPrice.of("uncached", INPUT, OUTPUT);

        // WHEN 1,000 × 0.000001 + 100 × 0.000002 = 0.001 + 0.0002
        Usd cost = price.cost(new Usage(1_000, 100, 600, 300, 0));

        // THEN
        assertThat(cost).isEqualTo(Usd.usd("0.0012"));
    }

    @Test
    void chargesCacheWritesAtTheInputRateWhenOnlyACacheReadRateIsSet() {
        // GIVEN
        ModelPrice price = ModelPrice.of("read-only-cache", INPUT, OUTPUT).withCacheRates(Usd.usd("0.0000001"), null);

        // WHEN (100 + 300) × 0.000001 + 600 × 0.0000001 + 100 × 0.000002 = 0.0004 + 0.00006 + 0.0002
        Usd cost = price.cost(new Usage(1_000, 100, 600, 300, 0));

        // THEN
        assertThat(cost).isEqualTo(Usd.usd("0.00066"));
    }

    // ---- reasoning rate ------------------------------------------------------------------------------

    @Test
    void chargesReasoningAtTheReasoningRateWhenTheModelListsOne() {
        // GIVEN
        ModelPrice price = price(Usd.usd("0.000003"), List.of());

        // WHEN 100 × 0.000001 + (1,000 − 600) × 0.000002 + 600 × 0.000003 = 0.0001 + 0.0008 + 0.0018
        Usd cost = price.cost(new Usage(100, 1_000, 0, 0, 600));

        // THEN
        assertThat(cost).isEqualTo(Usd.usd("0.0027"));
    }

    @Test
    void chargesReasoningAtTheOutputRateWhenTheModelListsNoReasoningRate() {
        // GIVEN
        ModelPrice price = ModelPrice.of("reasoner", INPUT, OUTPUT);

        // WHEN 100 × 0.000001 + 1,000 × 0.000002 = 0.0001 + 0.002
        Usd cost = price.cost(new Usage(100, 1_000, 0, 0, 600));

        // THEN
        assertThat(cost).isEqualTo(Usd.usd("0.0021"));
    }

    // ---- tiers ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} input tokens cost {1}")
    @CsvSource({
        // 1 × 0.000001 + 1,000 × 0.000002
        "1,       0.002001",
        // 200,000 × 0.000001 + 1,000 × 0.000002 = 0.2 + 0.002: exactly at the threshold is base price
        "200000,  0.202",
        // 200,001 × 0.000002 + 1,000 × 0.000004 = 0.400002 + 0.004: strictly above is tier price
        "200001,  0.404002",
    })
    void appliesTierRatesOnlyStrictlyAboveTheThreshold(long inputTokens, String expectedUsd) {
        // GIVEN base 0.000001 / 0.000002, above 200k 0.000002 / 0.000004
        ModelPrice price = price(null, List.of(new PriceTier(200_000, Usd.usd("0.000002"), Usd.usd("0.000004"), null, null)));

        // WHEN
        Usd cost = price.cost(Usage.of(inputTokens, 1_000));

        // THEN
        assertThat(cost).isEqualTo(Usd.usd(expectedUsd));
    }

    @Test
    void chargesCacheReadsAndWritesAtTheTierCacheRatesAboveTheThreshold() {
        // GIVEN base cache 0.0000001 / 0.00000125, above 200k input 0.000002, cache 0.0000002 / 0.0000025
        ModelPrice price = ModelPrice.of("tiered", INPUT, OUTPUT)
                .withCacheRates(Usd.usd("0.0000001"), Usd.usd("0.00000125"));
        price = withTiers(price, List.of(new PriceTier(200_000, Usd.usd("0.000002"), Usd.usd("0.000004"),
                Usd.usd("0.0000002"), Usd.usd("0.0000025"))));

        // WHEN 1,000 × 0.000002 + 150,000 × 0.0000002 + 50,000 × 0.0000025 + 1,000 × 0.000004
        //      = 0.002 + 0.03 + 0.125 + 0.004
        Usd cost = price.cost(new Usage(201_000, 1_000, 150_000, 50_000, 0));

        // THEN
        assertThat(cost).isEqualTo(Usd.usd("0.161"));
    }

    @Test
    void keepsTheBaseRateForEveryRateATierDoesNotSet() {
        // GIVEN a tier that only raises the input price
        ModelPrice price = ModelPrice.of("tiered", INPUT, OUTPUT).withCacheRates(Usd.usd("0.0000001"), null);
        price = withTiers(price, List.of(new PriceTier(200_000, Usd.usd("0.000002"), null, null, null)));

        // WHEN (250,000 − 200,000) × 0.000002 + 200,000 × 0.0000001 + 1,000 × 0.000002 = 0.1 + 0.02 + 0.002
        Usd cost = price.cost(new Usage(250_000, 1_000, 200_000, 0, 0));

        // THEN
        assertThat(cost).isEqualTo(Usd.usd("0.122"));
    }

    @Test
    void appliesTheHighestTierTheInputExceeds() {
        // GIVEN tiers above 128k and 200k, given out of order
        ModelPrice price = price(null, List.of(
                new PriceTier(200_000, Usd.usd("0.000003"), null, null, null),
                new PriceTier(128_000, Usd.usd("0.000002"), null, null, null)));

        // WHEN / THEN 128,000 × 0.000001; 128,001 × 0.000002; 200,001 × 0.000003
        assertThat(price.cost(Usage.of(128_000, 0))).isEqualTo(Usd.usd("0.128"));
        assertThat(price.cost(Usage.of(128_001, 0))).isEqualTo(Usd.usd("0.256002"));
        assertThat(price.cost(Usage.of(200_001, 0))).isEqualTo(Usd.usd("0.600003"));
    }

    @Test
    void sortsTiersByThreshold() {
        // GIVEN
        PriceTier above200k = new PriceTier(200_000, Usd.usd("0.000003"), null, null, null);
        PriceTier above128k = new PriceTier(128_000, Usd.usd("0.000002"), null, null, null);

        // WHEN
        ModelPrice price = price(null, List.of(above200k, above128k));

        // THEN
        assertThat(price.tiers()).containsExactly(above128k, above200k);
    }

    @Test
    void rejectsATierThresholdThatIsNotPositive() {
        assertThatThrownBy(() -> new PriceTier(0, Usd.usd("0.000002"), null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aboveInputTokens must be positive, but was 0");
    }

    // ---- the estimate --------------------------------------------------------------------------------

    @Test
    void estimatesWithEveryInputTokenUncached() {
        // GIVEN a price whose cache read rate would make a cached estimate cheaper
        ModelPrice price = ModelPrice.of("cached", INPUT, OUTPUT).withCacheRates(Usd.usd("0.0000001"), null);

        // WHEN 1,000 × 0.000001 + 500 × 0.000002 = 0.001 + 0.001
        Usd estimate = price.estimate(1_000, 500);

        // THEN
        assertThat(estimate).isEqualTo(Usd.usd("0.002"));
    }

    @Test
    void estimatesAboveATierAtTheTierRates() {
        // GIVEN
        ModelPrice price = price(null, List.of(new PriceTier(200_000, Usd.usd("0.000002"), Usd.usd("0.000004"), null, null)));

        // WHEN 300,000 × 0.000002 + 1,000 × 0.000004 = 0.6 + 0.004
        Usd estimate = price.estimate(300_000, 1_000);

        // THEN
        assertThat(estimate).isEqualTo(Usd.usd("0.604"));
    }

    @Test
    void costsNothingForNoTokens() {
        assertThat(ModelPrice.of("any", INPUT, OUTPUT).cost(Usage.NONE)).isEqualTo(Usd.ZERO);
    }

    // ---- one-hour cache writes and service tiers -------------------------------------------------------

    @Test
    void chargesOneHourCacheWritesAtTheOneHourRateAndTheRestAtTheCacheWriteRate() {
        // GIVEN claude-haiku-4-5's rates: $1/M in, $5/M out, $1.25/M five-minute and $2/M one-hour cache writes
        ModelPrice price = PriceCatalog.bundled().find("claude-haiku-4-5").orElseThrow();

        // WHEN 100 uncached x $1/M + 1,000 five-minute writes x $1.25/M + 3,000 one-hour writes x $2/M + 50 out x $5/M
        Usd cost = price.cost(new Usage(4_100, 50, 0, 4_000, 0, 3_000, null));

        // THEN 0.0001 + 0.00125 + 0.006 + 0.00025
        assertThat(cost).isEqualTo(Usd.usd("0.0076"));
    }

    @Test
    void chargesOneHourCacheWritesAtTheCacheWriteRateWhenTheModelListsNoOneHourRate() {
        ModelPrice price = ModelPrice.of("cached", INPUT, OUTPUT).withCacheRates(Usd.usd("0.0000001"), Usd.usd("0.00000125"));

        assertThat(price.cost(new Usage(1_000, 0, 0, 1_000, 0, 1_000, null)))
                .isEqualTo(price.cost(new Usage(1_000, 0, 0, 1_000, 0)));
    }

    @Test
    void chargesOneHourCacheWritesAtTheTierRateAboveTheThreshold() {
        ModelPrice price = PriceCatalog.bundled().find("claude-sonnet-4-5").orElseThrow();

        // 250,000 input: 50,000 uncached x $6/M + 200,000 one-hour writes x $12/M (the above-200k rates)
        assertThat(price.cost(new Usage(250_000, 0, 0, 200_000, 0, 200_000, null))).isEqualTo(Usd.usd("2.7"));
    }

    @Test
    void chargesAnOpenAiCallInThePriorityTierThePriorityRates() {
        // GIVEN gpt-4o-mini: standard $0.15/M in, $0.075/M cached, $0.60/M out; priority $0.25/M, $0.125/M, $1.00/M
        ModelPrice price = PriceCatalog.bundled().find("gpt-4o-mini").orElseThrow();
        Usage usage = new Usage(1_000, 500, 200, 0, 0);

        // WHEN / THEN 800 x 0.00000025 + 200 x 0.000000125 + 500 x 0.000001, against the doc's standard $0.000435
        assertThat(price.cost(usage.withServiceTier("priority"))).isEqualTo(Usd.usd("0.000725"));
        assertThat(price.cost(usage)).isEqualTo(Usd.usd("0.000435"));
        assertThat(price.cost(usage.withServiceTier("default"))).isEqualTo(Usd.usd("0.000435"));
    }

    @Test
    void chargesAnOpenAiCallInTheFlexTierTheFlexRates() {
        // GIVEN o3: flex $1/M in, $0.25/M cached, $4/M out
        ModelPrice price = PriceCatalog.bundled().find("o3").orElseThrow();

        // WHEN / THEN 800 x 0.000001 + 200 x 0.00000025 + 500 x 0.000004
        assertThat(price.cost(new Usage(1_000, 500, 200, 0, 0).withServiceTier("FLEX"))).isEqualTo(Usd.usd("0.00285"));
    }

    @Test
    void chargesTheStandardRatesForATierTheCatalogHasNoRatesFor() {
        // gpt-4o-mini lists priority rates but no flex rates
        ModelPrice price = PriceCatalog.bundled().find("gpt-4o-mini").orElseThrow();
        Usage usage = new Usage(1_000, 500, 200, 0, 0);

        assertThat(price.cost(usage.withServiceTier("flex"))).isEqualTo(price.cost(usage));
    }

    @Test
    void appliesAServiceTiersOwnSizeTierAboveTheThreshold() {
        // GIVEN gemini-3-pro-preview: priority $3.60/M in, above 200k $7.20/M in and $32.40/M out
        ModelPrice price = PriceCatalog.bundled().find("gemini-3-pro-preview").orElseThrow();

        // WHEN / THEN 300,000 x 0.0000072 + 1,000 x 0.0000324; below the threshold 1,000 x 0.0000036 + 1,000 x 0.0000216
        assertThat(price.cost(Usage.of(300_000, 1_000).withServiceTier("priority"))).isEqualTo(Usd.usd("2.1924"));
        assertThat(price.cost(Usage.of(1_000, 1_000).withServiceTier("priority"))).isEqualTo(Usd.usd("0.0252"));
    }

    @Test
    void fallsBackToTheStandardRateForARateAServiceTierDoesNotList() {
        // a tier that lists only an input rate: output costs the standard rate
        ModelPrice price = ModelPrice.of("m", INPUT, OUTPUT).withServiceTier("priority",
                new ServiceTierPrice(Usd.usd("0.000003"), null, null, null, List.of()));

        // 1,000 in x 0.000003 (priority) + 100 out x 0.000002 (standard)
        assertThat(price.cost(Usage.of(1_000, 100).withServiceTier("priority"))).isEqualTo(Usd.usd("0.0032"));
    }

    // ---- reading tier, reasoning and mode fields -----------------------------------------------------

    @Test
    void readsTheAbove200kTierOfAnAnthropicEntryWithItsOneHourCacheWrites() {
        // GIVEN claude-sonnet-4-5 as the LiteLLM map has it
        PriceCatalog catalog = parse("""
                {"claude-sonnet-4-5": {
                  "litellm_provider": "anthropic", "mode": "chat",
                  "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                  "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
                  "cache_creation_input_token_cost_above_1hr": 6e-06,
                  "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05,
                  "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
                  "cache_read_input_token_cost_above_200k_tokens": 6e-07,
                  "input_cost_per_token_above_200k_tokens": 6e-06,
                  "output_cost_per_token_above_200k_tokens": 2.25e-05
                }}
                """);

        // WHEN
        ModelPrice price = catalog.find("claude-sonnet-4-5").orElseThrow();

        // THEN
        assertThat(price.tiers()).containsExactly(new PriceTier(200_000,
                Usd.usd("0.000006"), Usd.usd("0.0000225"), Usd.usd("0.0000006"), Usd.usd("0.0000075"), Usd.usd("0.000012")));
        assertThat(price.cacheWrite1hPerToken()).isEqualTo(Usd.usd("0.000006"));
    }

    @Test
    void readsTheAbove272kTierOfAnOpenAiEntry() {
        // GIVEN gpt-5.4 as the LiteLLM map has it
        PriceCatalog catalog = parse("""
                {"gpt-5.4": {
                  "litellm_provider": "openai", "mode": "chat",
                  "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1.5e-05, "cache_read_input_token_cost": 2.5e-07,
                  "cache_read_input_token_cost_above_272k_tokens": 5e-07,
                  "input_cost_per_token_above_272k_tokens": 5e-06,
                  "output_cost_per_token_above_272k_tokens": 2.25e-05
                }}
                """);

        // WHEN
        ModelPrice price = catalog.find("gpt-5.4").orElseThrow();

        // THEN
        assertThat(price.tiers()).containsExactly(new PriceTier(272_000,
                Usd.usd("0.000005"), Usd.usd("0.0000225"), Usd.usd("0.0000005"), null));
    }

    @Test
    void readsTwoTiersOfOneEntryLowestFirst() {
        // GIVEN
        PriceCatalog catalog = parse("""
                {"long-context": {
                  "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
                  "input_cost_per_token_above_200k_tokens": 3e-06,
                  "input_cost_per_token_above_128k_tokens": 2e-06
                }}
                """);

        // WHEN
        List<PriceTier> tiers = catalog.find("long-context").orElseThrow().tiers();

        // THEN
        assertThat(tiers).extracting(PriceTier::aboveInputTokens).containsExactly(128_000L, 200_000L);
    }

    @Test
    void keepsServiceTierVariantsOfTierFieldsOutOfTheStandardTiers() {
        // GIVEN gemini-3-pro-preview's _priority variants beside its tier fields
        PriceCatalog catalog = parse("""
                {"gemini-3-pro-preview": {
                  "input_cost_per_token": 2e-06, "output_cost_per_token": 1.2e-05,
                  "input_cost_per_token_above_200k_tokens": 4e-06,
                  "input_cost_per_token_above_200k_tokens_priority": 7.2e-06,
                  "output_cost_per_token_above_200k_tokens": 1.8e-05,
                  "output_cost_per_token_above_200k_tokens_priority": 3.24e-05
                }}
                """);

        // WHEN
        ModelPrice price = catalog.find("gemini-3-pro-preview").orElseThrow();

        // THEN
        assertThat(price.tiers()).containsExactly(new PriceTier(200_000, Usd.usd("0.000004"), Usd.usd("0.000018"), null, null));
        assertThat(price.serviceTiers()).containsOnlyKeys("priority");
        assertThat(price.serviceTiers().get("priority").tiers()).containsExactly(new PriceTier(200_000,
                Usd.usd("0.0000072"), Usd.usd("0.0000324"), null, null));
    }

    @Test
    void readsTheReasoningRateAndMode() {
        // GIVEN
        PriceCatalog catalog = parse("""
                {"gemini-2.5-flash": {
                  "litellm_provider": "vertex_ai-language-models", "mode": "chat",
                  "input_cost_per_token": 3e-07, "output_cost_per_token": 2.5e-06,
                  "output_cost_per_reasoning_token": 2.5e-06
                }}
                """);

        // WHEN
        ModelPrice price = catalog.find("gemini-2.5-flash").orElseThrow();

        // THEN
        assertThat(price.reasoningPerToken()).isEqualTo(Usd.usd("0.0000025"));
        assertThat(price.mode()).isEqualTo("chat");
        assertThat(price.provider()).isEqualTo("vertex_ai-language-models");
        assertThat(price.tiers()).isEmpty();
    }

    @Test
    void readsAnAbsentModeAsEmpty() {
        assertThat(parse("{\"my-finetune\": {\"input_cost_per_token\": 2e-06, \"output_cost_per_token\": 8e-06}}")
                .find("my-finetune").orElseThrow().mode()).isEmpty();
    }

    @Test
    void readsTheTiersOfTheBundledCatalog() {
        // GIVEN
        PriceCatalog bundled = PriceCatalog.bundled();

        // WHEN / THEN the values of shared/data/model-prices.json
        assertThat(bundled.find("claude-sonnet-4-5").orElseThrow().tiers()).containsExactly(new PriceTier(200_000,
                Usd.usd("0.000006"), Usd.usd("0.0000225"), Usd.usd("0.0000006"), Usd.usd("0.0000075"), Usd.usd("0.000012")));
        assertThat(bundled.find("gemini-2.5-pro").orElseThrow().tiers()).containsExactly(new PriceTier(200_000,
                Usd.usd("0.0000025"), Usd.usd("0.000015"), Usd.usd("0.00000025"), Usd.usd("0.00000025")));
        assertThat(bundled.find("gpt-5.4").orElseThrow().tiers()).containsExactly(new PriceTier(272_000,
                Usd.usd("0.000005"), Usd.usd("0.0000225"), Usd.usd("0.0000005"), null));
        assertThat(bundled.find("gpt-4o-mini").orElseThrow().tiers()).isEmpty();
    }

    @Test
    void rejectsATierPriceGivenAsAStringNamingSourceModelFieldAndValue() {
        assertThatThrownBy(() -> parse("""
                {"claude-sonnet-4-5": {
                  "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                  "input_cost_per_token_above_200k_tokens": "6e-06"
                }}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("\"claude-sonnet-4-5\"")
                .hasMessageContaining("input_cost_per_token_above_200k_tokens")
                .hasMessageContaining("\"6e-06\"");
    }

    @Test
    void rejectsANegativeTierPriceNamingSourceModelAndField() {
        assertThatThrownBy(() -> parse("""
                {"gpt-5.4": {
                  "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1.5e-05,
                  "cache_read_input_token_cost_above_272k_tokens": -5e-07
                }}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("\"gpt-5.4\"")
                .hasMessageContaining("cache_read_input_token_cost_above_272k_tokens")
                .hasMessageContaining("-0.0000005");
    }

    @Test
    void rejectsAReasoningPriceGivenAsAStringNamingSourceModelAndField() {
        assertThatThrownBy(() -> parse("""
                {"gemini-2.5-flash": {
                  "input_cost_per_token": 3e-07, "output_cost_per_token": 2.5e-06,
                  "output_cost_per_reasoning_token": "2.5e-06"
                }}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("\"gemini-2.5-flash\"")
                .hasMessageContaining("output_cost_per_reasoning_token");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Base rates 0.000001 in / 0.000002 out, no cache rates, the given reasoning rate and tiers. */
    private static ModelPrice price(@Nullable Usd reasoningPerToken, List<PriceTier> tiers) {
        return new ModelPrice("test-model", "", "chat", INPUT, OUTPUT, null, null, reasoningPerToken, null, null, tiers);
    }

    private static ModelPrice withTiers(ModelPrice price, List<PriceTier> tiers) {
        return new ModelPrice(price.model(), price.provider(), price.mode(), price.inputPerToken(), price.outputPerToken(),
                price.cacheReadPerToken(), price.cacheWritePerToken(), price.reasoningPerToken(), price.maxInputTokens(),
                price.maxOutputTokens(), tiers);
    }

    private static PriceCatalog parse(String json) {
        return PriceCatalog.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), SOURCE);
    }
}
