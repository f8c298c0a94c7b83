package dev.llmunit.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.anthropic.internal.api.AnthropicUsage;
import dev.langchain4j.model.anthropic.internal.mapper.AnthropicMapper;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prices real-shaped LangChain4j usage with the bundled catalog. Every expected amount is worked
 * out by hand from {@code shared/data/model-prices.json}, never by calling the code under test.
 */
class CostCalculatorTest {

    private static final String UNKNOWN_MODEL = "acme-llm-7b";

    private final CostCalculator failOnUnknown = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.fail());

    // ---- the worked example of providers.md ----------------------------------------------------------

    @Test
    void pricesTheWorkedExampleOfTheCostFormulaExactly() {
        // GIVEN gpt-4o-mini, 1,000 prompt tokens (200 cached), 500 completion tokens, as OpenAiChatModel reports them
        Usage usage = Usage.from(openAi(1_000, 200, 500, 0));

        // WHEN 800 × 0.00000015 + 200 × 0.000000075 + 500 × 0.0000006 = 0.00012 + 0.000015 + 0.0003
        Cost cost = failOnUnknown.cost("gpt-4o-mini", usage);

        // THEN
        assertThat(cost.usd()).isEqualTo(Usd.usd("0.000435"));
        assertThat(cost.usd()).hasToString("$0.000435");
        assertThat(cost).hasToString("$0.000435");
        assertThat(cost.source()).isEqualTo(PriceSource.CATALOG);
    }

    @Test
    void pricesAPriorityCallOfADatedModelByTheConfiguredNameThatListsPriorityRates() {
        // GIVEN the catalog lists _priority rates on gpt-4o-mini only, not on the dated name OpenAI answers with
        Usage priority = new Usage(1_000, 500, 200, 0, 0).withServiceTier("priority");

        // WHEN
        Cost cost = failOnUnknown.cost("gpt-4o-mini-2024-07-18", "gpt-4o-mini", priority);
        Cost standard = failOnUnknown.cost("gpt-4o-mini-2024-07-18", "gpt-4o-mini", priority.withServiceTier(null));

        // THEN 800 x 0.00000025 + 200 x 0.000000125 + 500 x 0.000001; the standard call keeps the served name
        assertThat(cost.usd()).isEqualTo(Usd.usd("0.000725"));
        assertThat(cost.model()).isEqualTo("gpt-4o-mini");
        assertThat(standard.usd()).isEqualTo(Usd.usd("0.000435"));
        assertThat(standard.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    }

    // ---- real-shaped usage of each provider ----------------------------------------------------------

    /**
     * Rows: description, model as the provider returns it, the usage as the LangChain4j provider module
     * builds it, and the hand-computed cost. Prices (USD per token) from the bundled catalog:
     * <pre>
     * gpt-4o-mini          in 1.5e-07   cache read 7.5e-08    out 6e-07
     * o4-mini              in 1.1e-06   cache read 2.75e-07   out 4.4e-06    (no output_cost_per_reasoning_token)
     * gpt-5                in 1.25e-06  cache read 1.25e-07   out 1e-05      (no output_cost_per_reasoning_token)
     * gpt-5.4              in 2.5e-06   cache read 2.5e-07    out 1.5e-05
     *   above 272k         in 5e-06     cache read 5e-07      out 2.25e-05
     * claude-haiku-4-5     in 1e-06     cache read 1e-07      cache write 1.25e-06   out 5e-06
     * claude-sonnet-4-5    in 3e-06     cache read 3e-07      cache write 3.75e-06   out 1.5e-05
     *   above 200k         in 6e-06     cache read 6e-07      cache write 7.5e-06    out 2.25e-05
     * gemini-2.5-flash     in 3e-07     out 2.5e-06           (output_cost_per_reasoning_token 2.5e-06)
     * gemini-2.5-pro       in 1.25e-06  out 1e-05
     *   above 200k         in 2.5e-06   out 1.5e-05
     * </pre>
     * Dated names ({@code gpt-4o-mini-2024-07-18}, {@code claude-haiku-4-5-20251001}, ...) have the
     * prices of their base name.
     *
     * <p>Streaming: LangChain4j's OpenAI streaming client builds its usage with the same
     * {@code OpenAiUtils.tokenUsageFrom} as the non-streaming one, so these rows stand for both; the
     * Anthropic streaming client has a path of its own, covered by
     * {@link #streamedAnthropicUsageCostsTheSameAsTheSameUsageNotStreamed()}.
     */
    static Stream<Arguments> realShapedUsage() {
        return Stream.of(
                // 800 × 0.00000015 + 200 × 0.000000075 + 500 × 0.0000006 = 0.00012 + 0.000015 + 0.0003 = 0.000435
                argumentSet("OpenAI gpt-4o-mini, 200 of 1,000 prompt tokens cached",
                        "gpt-4o-mini", openAi(1_000, 200, 500, 0), "0.000435"),
                // the same call by the dated name OpenAI returns: 0.000435
                argumentSet("OpenAI gpt-4o-mini-2024-07-18 (dated) prices like gpt-4o-mini",
                        "gpt-4o-mini-2024-07-18", openAi(1_000, 200, 500, 0), "0.000435"),
                // (2,006 − 1,920) × 0.00000015 + 1,920 × 0.000000075 + 300 × 0.0000006 = 0.0000129 + 0.000144 + 0.00018 = 0.0003369
                argumentSet("OpenAI gpt-4o-mini, mostly cached prompt, reasoning_tokens 0",
                        "gpt-4o-mini-2024-07-18", openAi(2_006, 1_920, 300, 0), "0.0003369"),
                // reasoning is inside completion and billed at the output rate:
                // (1,200 − 1,024) × 0.0000011 + 1,024 × 0.000000275 + 1,850 × 0.0000044 = 0.0001936 + 0.0002816 + 0.00814 = 0.0086152
                argumentSet("OpenAI o4-mini, 1,600 of 1,850 completion tokens reasoning",
                        "o4-mini-2025-04-16", openAi(1_200, 1_024, 1_850, 1_600), "0.0086152"),
                // 500 × 0.00000125 + 2,000 × 0.00001 = 0.000625 + 0.02 = 0.020625
                argumentSet("OpenAI gpt-5, 1,536 of 2,000 completion tokens reasoning, nothing cached",
                        "gpt-5-2025-08-07", openAi(500, 0, 2_000, 1_536), "0.020625"),
                // exactly 272,000 prompt tokens is still base price:
                // (272,000 − 72,000) × 0.0000025 + 72,000 × 0.00000025 + 5,000 × 0.000015 = 0.5 + 0.018 + 0.075 = 0.593
                argumentSet("OpenAI gpt-5.4 at 272,000 prompt tokens: base price",
                        "gpt-5.4", openAi(272_000, 72_000, 5_000, 4_000), "0.593"),
                // above 272k every token takes the tier rate:
                // (300,000 − 100,000) × 0.000005 + 100,000 × 0.0000005 + 5,000 × 0.0000225 = 1.0 + 0.05 + 0.1125 = 1.1625
                argumentSet("OpenAI gpt-5.4 at 300,000 prompt tokens: above-272k price",
                        "gpt-5.4-2026-03-05", openAi(300_000, 100_000, 5_000, 4_000), "1.1625"),
                // input_tokens excludes the cache: 3 × 0.000001 + 1,111 × 0.0000001 + 250 × 0.000005 = 0.000003 + 0.0001111 + 0.00125 = 0.0013641
                argumentSet("Anthropic claude-haiku-4-5, input_tokens 3 beside cache_read_input_tokens 1,111",
                        "claude-haiku-4-5", anthropic(3, 0, 1_111, 250), "0.0013641"),
                // 25 × 0.000001 + 4,100 × 0.00000125 + 120 × 0.000005 = 0.000025 + 0.005125 + 0.0006 = 0.00575
                argumentSet("Anthropic claude-haiku-4-5-20251001 (dated), writing 4,100 tokens to the cache",
                        "claude-haiku-4-5-20251001", anthropic(25, 4_100, 0, 120), "0.00575"),
                // 50 × 0.000003 + 2,000 × 0.00000375 + 10,000 × 0.0000003 + 800 × 0.000015 = 0.00015 + 0.0075 + 0.003 + 0.012 = 0.02265
                argumentSet("Anthropic claude-sonnet-4-5, cache read and cache write",
                        "claude-sonnet-4-5", anthropic(50, 2_000, 10_000, 800), "0.02265"),
                // total input 500 + 0 + 199,500 = 200,000, not above 200k:
                // 500 × 0.000003 + 199,500 × 0.0000003 + 2,000 × 0.000015 = 0.0015 + 0.05985 + 0.03 = 0.09135
                argumentSet("Anthropic claude-sonnet-4-5, 200,000 input tokens with cache reads: base price",
                        "claude-sonnet-4-5-20250929", anthropic(500, 0, 199_500, 2_000), "0.09135"),
                // total input 501 + 0 + 199,500 = 200,001, above 200k although input_tokens is only 501:
                // 501 × 0.000006 + 199,500 × 0.0000006 + 2,000 × 0.0000225 = 0.003006 + 0.1197 + 0.045 = 0.167706
                argumentSet("Anthropic claude-sonnet-4-5, 200,001 input tokens with cache reads: above-200k price",
                        "claude-sonnet-4-5-20250929", anthropic(501, 0, 199_500, 2_000), "0.167706"),
                // total input 1,000 + 50,000 + 150,000 = 201,000:
                // 1,000 × 0.000006 + 50,000 × 0.0000075 + 150,000 × 0.0000006 + 1,000 × 0.0000225 = 0.006 + 0.375 + 0.09 + 0.0225 = 0.4935
                argumentSet("Anthropic claude-sonnet-4-5 above 200k, cache read and cache write at tier rates",
                        "claude-sonnet-4-5", anthropic(1_000, 50_000, 150_000, 1_000), "0.4935"),
                // 1,500 × 0.0000003 + 400 × 0.0000025 = 0.00045 + 0.001 = 0.00145
                argumentSet("Gemini gemini-2.5-flash, plain usage",
                        "gemini-2.5-flash", new TokenUsage(1_500, 400), "0.00145"),
                // thinking tokens billed as output, cached content at the cache rate:
                // 476 × 0.0000003 + 1,024 × 0.00000003 + 400 × 0.0000025 + 900 × 0.0000025
                // = 0.0001428 + 0.00003072 + 0.001 + 0.00225 = 0.00342352
                argumentSet("Gemini gemini-2.5-flash with thinking and cached content",
                        "gemini-2.5-flash", GoogleAiGeminiTokenUsage.builder().inputTokenCount(1_500).outputTokenCount(400)
                                .thoughtsTokenCount(900).cachedContentTokenCount(1_024).totalTokenCount(2_800).build(),
                        "0.00342352"),
                // exactly 200,000 is not above 200k: 200,000 × 0.00000125 + 1,000 × 0.00001 = 0.25 + 0.01 = 0.26
                argumentSet("Gemini gemini-2.5-pro at 200,000 input tokens: base price",
                        "gemini-2.5-pro", new TokenUsage(200_000, 1_000), "0.26"),
                // 200,001 × 0.0000025 + 1,000 × 0.000015 = 0.5000025 + 0.015 = 0.5150025
                argumentSet("Gemini gemini-2.5-pro at 200,001 input tokens: above-200k price",
                        "gemini-2.5-pro", new TokenUsage(200_001, 1_000), "0.5150025"));
    }

    @ParameterizedTest
    @MethodSource("realShapedUsage")
    void pricesRealShapedUsageExactly(String model, TokenUsage tokenUsage, String expectedUsd) {
        // GIVEN
        Usage usage = Usage.from(tokenUsage);

        // WHEN
        Cost cost = failOnUnknown.cost(model, usage);

        // THEN
        assertThat(cost.usd()).isEqualTo(Usd.usd(expectedUsd));
        assertThat(cost.source()).isEqualTo(PriceSource.CATALOG);
        assertThat(cost.model()).isEqualTo(model);
        assertThat(cost.usage()).isEqualTo(usage);
    }

    @Test
    void pricesADatedNameTheCatalogDoesNotListLikeItsBaseName() {
        // GIVEN a date the bundled catalog has no entry for
        Usage usage = Usage.from(anthropic(3, 0, 1_111, 250));

        // WHEN
        Cost dated = failOnUnknown.cost("claude-haiku-4-5-20991231", usage);

        // THEN 3 × 0.000001 + 1,111 × 0.0000001 + 250 × 0.000005, as for claude-haiku-4-5
        assertThat(dated.usd()).isEqualTo(Usd.usd("0.0013641"));
        assertThat(dated.source()).isEqualTo(PriceSource.CATALOG);
    }

    @Test
    void streamedAnthropicUsageCostsTheSameAsTheSameUsageNotStreamed() {
        // GIVEN the non-streaming client's usage: AnthropicMapper keeps an absent cache_creation_input_tokens as null
        AnthropicUsage response = new AnthropicUsage();
        response.inputTokens = 3;
        response.outputTokens = 250;
        response.cacheReadInputTokens = 1_111;
        TokenUsage notStreamed = AnthropicMapper.toTokenUsage(response);
        // and the streaming client's: DefaultAnthropicClient collects message_start and message_delta usage
        // in AtomicIntegers, so an absent count arrives as 0
        TokenUsage streamed = AnthropicTokenUsage.builder()
                .inputTokenCount(3)
                .outputTokenCount(250)
                .cacheCreationInputTokens(0)
                .cacheReadInputTokens(1_111)
                .build();

        // WHEN
        Cost notStreamedCost = failOnUnknown.cost("claude-haiku-4-5", Usage.from(notStreamed));
        Cost streamedCost = failOnUnknown.cost("claude-haiku-4-5", Usage.from(streamed));

        // THEN 3 × 0.000001 + 1,111 × 0.0000001 + 250 × 0.000005 both ways
        assertThat(streamedCost).isEqualTo(notStreamedCost);
        assertThat(streamedCost.usd()).isEqualTo(Usd.usd("0.0013641"));
    }

    // ---- unknown models under each policy ------------------------------------------------------------

    @Test
    void failPolicyThrowsNamingTheModelAndTheFix() {
        // GIVEN
        Usage usage = Usage.of(1_000, 500);

        // WHEN / THEN
        assertThatThrownBy(() -> failOnUnknown.cost(UNKNOWN_MODEL, usage))
                .isInstanceOf(UnknownPriceException.class)
                .hasMessageContaining("'" + UNKNOWN_MODEL + "'")
                .hasMessageContaining("PriceCatalog.withPrice(ModelPrice.of(\"" + UNKNOWN_MODEL + "\"")
                .hasMessageContaining("UnknownPricePolicy.countAsUnknown()");
    }

    @Test
    void warnsAboutAnUnpricedModelOncePerJvmHoweverManyCalculatorsPriceIt() {
        // GIVEN a model this JVM has never priced, and a handler that sees the calculator's warnings
        String model = "house-model-" + System.nanoTime();
        java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(CostCalculator.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                warnings.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(handler);
        try {
            // WHEN three routers' calculators (each router has its own) price it twice each
            for (int router = 0; router < 3; router++) {
                CostCalculator costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.countAsUnknown());
                costs.cost(model, Usage.of(10, 5));
                costs.cost(null, model, Usage.of(10, 5));
            }
        } finally {
            log.removeHandler(handler);
        }

        // THEN one warning names it
        assertThat(warnings.stream().filter(warning -> warning.contains(model))).singleElement().asString()
                .contains("no price for model '" + model + "'");
    }

    @Test
    void countAsUnknownPolicyRecordsAnUnknownCostWithNoAmount() {
        // GIVEN
        CostCalculator costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.countAsUnknown());
        Usage usage = Usage.of(1_000, 500);

        // WHEN
        Cost cost = costs.cost(UNKNOWN_MODEL, usage);

        // THEN
        assertThat(cost.source()).isEqualTo(PriceSource.UNKNOWN);
        assertThat(cost.isUnknown()).isTrue();
        assertThat(cost.usd()).isEqualTo(Usd.ZERO);
        assertThat(cost.model()).isEqualTo(UNKNOWN_MODEL);
        assertThat(cost.usage()).isEqualTo(usage);
    }

    @Test
    void anUnknownCostPrintsAsUnknownNotAsZeroDollars() {
        // GIVEN
        CostCalculator costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.countAsUnknown());

        // WHEN
        Cost cost = costs.cost(UNKNOWN_MODEL, Usage.of(1_000, 500));

        // THEN
        assertThat(cost.toString()).contains("unknown").contains(UNKNOWN_MODEL).doesNotContain("$");
    }

    @Test
    void useDefaultPolicyChargesTheDefaultPrice() {
        // GIVEN
        ModelPrice fallback = ModelPrice.of("default", Usd.usd("0.000001"), Usd.usd("0.000002"));
        CostCalculator costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.useDefault(fallback));

        // WHEN 1,000 × 0.000001 + 500 × 0.000002 = 0.001 + 0.001
        Cost cost = costs.cost(UNKNOWN_MODEL, Usage.of(1_000, 500));

        // THEN
        assertThat(cost.usd()).isEqualTo(Usd.usd("0.002"));
        assertThat(cost.source()).isEqualTo(PriceSource.DEFAULT);
        assertThat(cost.isUnknown()).isFalse();
        assertThat(cost.model()).isEqualTo(UNKNOWN_MODEL);
        assertThat(cost).hasToString("$0.002");
    }

    @Test
    void useDefaultPolicyLeavesKnownModelsAtTheirCatalogPrice() {
        // GIVEN
        ModelPrice fallback = ModelPrice.of("default", Usd.usd("0.001"), Usd.usd("0.001"));
        CostCalculator costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.useDefault(fallback));

        // WHEN 1,000 × 0.00000015 + 500 × 0.0000006 = 0.00015 + 0.0003
        Cost cost = costs.cost("gpt-4o-mini", Usage.of(1_000, 500));

        // THEN
        assertThat(cost.usd()).isEqualTo(Usd.usd("0.00045"));
        assertThat(cost.source()).isEqualTo(PriceSource.CATALOG);
    }

    @Test
    void priceOfAnUnknownModelIsEmptyUnderCountAsUnknown() {
        assertThat(CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.countAsUnknown()).price(UNKNOWN_MODEL)).isEmpty();
    }

    @Test
    void priceOfAnUnknownModelIsTheDefaultUnderUseDefault() {
        // GIVEN
        ModelPrice fallback = ModelPrice.of("default", Usd.usd("0.000001"), Usd.usd("0.000002"));

        // WHEN / THEN
        assertThat(CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.useDefault(fallback)).price(UNKNOWN_MODEL))
                .hasValue(fallback);
    }

    @Test
    void priceOfAnUnknownModelThrowsUnderFail() {
        assertThatThrownBy(() -> failOnUnknown.price(UNKNOWN_MODEL))
                .isInstanceOf(UnknownPriceException.class)
                .hasMessageContaining("'" + UNKNOWN_MODEL + "'");
    }

    // ---- served versus configured model name ---------------------------------------------------------

    @Test
    void pricesByTheServedDatedNameWhenTheCatalogKnowsIt() {
        // GIVEN the catalog prices gpt-4o-2024-05-13 (5e-06 / 1.5e-05) above gpt-4o (2.5e-06 / 1e-05)
        Usage usage = Usage.of(1_000, 100);

        // WHEN 1,000 × 0.000005 + 100 × 0.000015 = 0.005 + 0.0015
        Cost cost = failOnUnknown.cost("gpt-4o-2024-05-13", "gpt-4o", usage);

        // THEN
        assertThat(cost.usd()).isEqualTo(Usd.usd("0.0065"));
        assertThat(cost.model()).isEqualTo("gpt-4o-2024-05-13");
        assertThat(cost.source()).isEqualTo(PriceSource.CATALOG);
    }

    @Test
    void pricesByTheConfiguredNameWhenTheServedNameIsUnknown() {
        // GIVEN a proxy that returns its own deployment name
        Usage usage = Usage.of(1_000, 500);

        // WHEN 1,000 × 0.00000015 + 500 × 0.0000006 = 0.00015 + 0.0003
        Cost cost = failOnUnknown.cost("acme-proxy-deployment", "gpt-4o-mini", usage);

        // THEN
        assertThat(cost.usd()).isEqualTo(Usd.usd("0.00045"));
        assertThat(cost.model()).isEqualTo("gpt-4o-mini");
        assertThat(cost.source()).isEqualTo(PriceSource.CATALOG);
    }

    @Test
    void pricesByTheConfiguredNameWhenTheResponseNamesNoModel() {
        // WHEN 1,000 × 0.00000015 + 500 × 0.0000006
        Cost cost = failOnUnknown.cost(null, "gpt-4o-mini", Usage.of(1_000, 500));

        // THEN
        assertThat(cost.usd()).isEqualTo(Usd.usd("0.00045"));
        assertThat(cost.model()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void appliesTheFailPolicyWhenNeitherNameIsPricedNamingTheConfiguredModel() {
        assertThatThrownBy(() -> failOnUnknown.cost("acme-proxy-deployment", UNKNOWN_MODEL, Usage.of(1_000, 500)))
                .isInstanceOf(UnknownPriceException.class)
                .hasMessageContaining("'" + UNKNOWN_MODEL + "'");
    }

    @Test
    void appliesTheFailPolicyWhenBothNamesAreNull() {
        assertThatThrownBy(() -> failOnUnknown.cost(null, null, Usage.of(1_000, 500)))
                .isInstanceOf(UnknownPriceException.class);
    }

    @Test
    void countsAsUnknownWhenBothNamesAreNullUnderCountAsUnknown() {
        // GIVEN
        CostCalculator costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.countAsUnknown());

        // WHEN
        Cost cost = costs.cost(null, null, Usage.of(1_000, 500));

        // THEN
        assertThat(cost.isUnknown()).isTrue();
        assertThat(cost.usd()).isEqualTo(Usd.ZERO);
    }

    @Test
    void chargesTheDefaultWhenBothNamesAreNullUnderUseDefault() {
        // GIVEN
        ModelPrice fallback = ModelPrice.of("default", Usd.usd("0.000001"), Usd.usd("0.000002"));
        CostCalculator costs = CostCalculator.of(PriceCatalog.bundled(), UnknownPricePolicy.useDefault(fallback));

        // WHEN 1,000 × 0.000001 + 500 × 0.000002
        Cost cost = costs.cost(null, null, Usage.of(1_000, 500));

        // THEN
        assertThat(cost.usd()).isEqualTo(Usd.usd("0.002"));
        assertThat(cost.source()).isEqualTo(PriceSource.DEFAULT);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Usage as LangChain4j's {@code OpenAiUtils.tokenUsageFrom} builds it from a chat completion's {@code usage}. */
    private static TokenUsage openAi(int promptTokens, int cachedTokens, int completionTokens, int reasoningTokens) {
        return OpenAiTokenUsage.builder()
                .inputTokenCount(promptTokens)
                .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(cachedTokens).build())
                .outputTokenCount(completionTokens)
                .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(reasoningTokens).build())
                .totalTokenCount(promptTokens + completionTokens)
                .build();
    }

    /** Usage as LangChain4j's {@code AnthropicMapper.toTokenUsage} builds it from a message's {@code usage}. */
    private static TokenUsage anthropic(int inputTokens, int cacheCreationInputTokens, int cacheReadInputTokens, int outputTokens) {
        return AnthropicTokenUsage.builder()
                .inputTokenCount(inputTokens)
                .outputTokenCount(outputTokens)
                .cacheCreationInputTokens(cacheCreationInputTokens)
                .cacheReadInputTokens(cacheReadInputTokens)
                .build();
    }
}
