package dev.llmunit.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PriceCatalogTest {

    private static final String BUNDLED_RESOURCE = "/dev/llmunit/core/cost/model-prices.json";
    private static final Set<String> COVERED_PROVIDERS = Set.of("openai", "anthropic", "gemini");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String SOURCE = "prices-test.json";

    // ---- the bundled catalog -------------------------------------------------------------------------

    @Test
    void loadsTheBundledCatalog() {
        // WHEN
        PriceCatalog catalog = PriceCatalog.bundled();

        // THEN
        assertThat(catalog.size()).isGreaterThan(100);
        assertThat(catalog.find("gpt-4o-mini")).isPresent();
    }

    @Test
    void sharesOneBundledCatalog() {
        assertThat(PriceCatalog.bundled()).isSameAs(PriceCatalog.bundled());
    }

    /** Every chat model of OpenAI, Anthropic and Gemini in the bundled price map, as the raw JSON has it. */
    static Stream<Arguments> bundledChatModels() throws IOException {
        JsonNode root = readBundledJson();
        List<Arguments> models = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            JsonNode fields = entry.getValue();
            if (COVERED_PROVIDERS.contains(fields.path("litellm_provider").asText()) && "chat".equals(fields.path("mode").asText())) {
                models.add(Arguments.of(entry.getKey(), fields));
            }
        }
        return models.stream();
    }

    @Test
    void bundledMapHasChatModelsOfEachCoveredProvider() throws IOException {
        // GIVEN
        List<String> providers = bundledChatModels().map(arguments -> ((JsonNode) arguments.get()[1]).path("litellm_provider").asText())
                .distinct().toList();

        // THEN
        assertThat(providers).containsExactlyInAnyOrderElementsOf(COVERED_PROVIDERS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundledChatModels")
    void coversEveryChatModelOfTheBundledPriceMap(String model, JsonNode fields) {
        // WHEN
        ModelPrice price = PriceCatalog.bundled().find(model).orElseThrow(() -> new AssertionError("no price for " + model));

        // THEN
        assertThat(price.model()).isEqualTo(model);
        assertThat(price.provider()).isEqualTo(fields.path("litellm_provider").asText());
        assertThat(price.inputPerToken()).isEqualTo(usd(fields, "input_cost_per_token"));
        assertThat(price.outputPerToken()).isEqualTo(usd(fields, "output_cost_per_token"));
        assertThat(price.cacheReadPerToken()).isEqualTo(usd(fields, "cache_read_input_token_cost"));
        assertThat(price.cacheWritePerToken()).isEqualTo(usd(fields, "cache_creation_input_token_cost"));
        assertThat(price.reasoningPerToken()).isEqualTo(usd(fields, "output_cost_per_reasoning_token"));
        assertThat(price.mode()).isEqualTo(fields.path("mode").asText());
        assertThat(price.maxInputTokens()).isEqualTo(tokens(fields, "max_input_tokens"));
        assertThat(price.maxOutputTokens()).isEqualTo(tokens(fields, "max_output_tokens"));
    }

    @Test
    void bundledCopyIsTheSharedPriceMap() throws IOException {
        // GIVEN shared/data/model-prices.json, found above the module when this runs in a checkout with shared/ beside it
        Path shared = findShared();
        assumeThat(shared).as("shared/data/model-prices.json above " + Path.of("").toAbsolutePath()).isNotNull();

        // WHEN
        byte[] bundled;
        try (InputStream in = PriceCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            bundled = in.readAllBytes();
        }

        // THEN
        assertThat(bundled).isEqualTo(Files.readAllBytes(shared));
    }

    // ---- look-ups ------------------------------------------------------------------------------------

    @Test
    void resolvesADatedNameToTheUndatedEntry() {
        // GIVEN a catalog without an entry of its own for the dated name
        PriceCatalog catalog = parse("""
                {"gpt-4o-mini": {"litellm_provider": "openai", "input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07}}
                """);

        // WHEN / THEN
        assertThat(catalog.find("gpt-4o-mini-2024-07-18")).hasValueSatisfying(price -> assertThat(price.model()).isEqualTo("gpt-4o-mini"));
    }

    @Test
    void resolvesTheDatedNameOpenAiReturnsToGpt4oMiniPrices() {
        // GIVEN the bundled map, which also lists gpt-4o-mini-2024-07-18 itself
        PriceCatalog catalog = PriceCatalog.bundled();
        ModelPrice undated = catalog.find("gpt-4o-mini").orElseThrow();

        // WHEN
        ModelPrice dated = catalog.find("gpt-4o-mini-2024-07-18").orElseThrow();

        // THEN
        assertThat(dated.inputPerToken()).isEqualTo(undated.inputPerToken());
        assertThat(dated.outputPerToken()).isEqualTo(undated.outputPerToken());
    }

    @Test
    void resolvesADateTheBundledMapDoesNotListToTheUndatedEntry() {
        assertThat(PriceCatalog.bundled().find("gpt-4o-mini-2099-12-31"))
                .hasValueSatisfying(price -> assertThat(price.model()).isEqualTo("gpt-4o-mini"));
    }

    @Test
    void resolvesAnAnthropicDatedName() {
        // GIVEN
        PriceCatalog catalog = parse("""
                {"claude-haiku-4-5": {"litellm_provider": "anthropic", "input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06}}
                """);

        // WHEN / THEN
        assertThat(catalog.find("claude-haiku-4-5-20251001")).hasValueSatisfying(price -> assertThat(price.model()).isEqualTo("claude-haiku-4-5"));
    }

    @Test
    void resolvesAProviderPrefixedName() {
        assertThat(PriceCatalog.bundled().find("openai/gpt-4o-mini"))
                .hasValueSatisfying(price -> assertThat(price.model()).isEqualTo("gpt-4o-mini"));
    }

    @Test
    void resolvesANameInAnotherCase() {
        assertThat(PriceCatalog.bundled().find("GPT-4o-mini"))
                .hasValueSatisfying(price -> assertThat(price.model()).isEqualTo("gpt-4o-mini"));
    }

    @Test
    void findsNothingForAnUnknownModel() {
        assertThat(PriceCatalog.bundled().find("my-unknown-model-7b")).isEmpty();
    }

    @Test
    void findsNothingInTheEmptyCatalog() {
        assertThat(PriceCatalog.empty().find("gpt-4o-mini")).isEmpty();
        assertThat(PriceCatalog.empty().size()).isZero();
    }

    // ---- the estimate --------------------------------------------------------------------------------

    @Test
    void estimatesGpt4oMiniFromItsBundledPrices() {
        // GIVEN
        ModelPrice gpt4oMini = PriceCatalog.bundled().find("gpt-4o-mini").orElseThrow();

        // WHEN 1000 × 0.00000015 + 500 × 0.0000006
        Usd estimate = gpt4oMini.estimate(1000, 500);

        // THEN
        assertThat(estimate).isEqualTo(Usd.usd("0.00045"));
        assertThat(estimate).hasToString("$0.00045");
    }

    // ---- variations ----------------------------------------------------------------------------------

    @Test
    void overridesWinOverTheBase() {
        // GIVEN
        PriceCatalog overrides = parse("""
                {"gpt-4o-mini": {"litellm_provider": "openai", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}
                """);

        // WHEN
        PriceCatalog merged = PriceCatalog.bundled().withOverrides(overrides);

        // THEN
        ModelPrice price = merged.find("gpt-4o-mini").orElseThrow();
        assertThat(price.inputPerToken()).isEqualTo(Usd.usd("0.000001"));
        assertThat(price.outputPerToken()).isEqualTo(Usd.usd("0.000002"));
    }

    @Test
    void overridesKeepEveryOtherEntryOfTheBase() {
        // GIVEN
        PriceCatalog overrides = parse("""
                {"my-finetune": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.2e-05}}
                """);

        // WHEN
        PriceCatalog merged = PriceCatalog.bundled().withOverrides(overrides);

        // THEN
        assertThat(merged.size()).isEqualTo(PriceCatalog.bundled().size() + 1);
        assertThat(merged.find("my-finetune")).isPresent();
        assertThat(merged.find("claude-haiku-4-5")).isPresent();
    }

    @Test
    void aPriceSetInCodeWins() {
        // GIVEN
        ModelPrice cheaper = ModelPrice.of("gpt-4o-mini", Usd.usd("0.0000001"), Usd.usd("0.0000004"));

        // WHEN
        PriceCatalog catalog = PriceCatalog.bundled().withPrice(cheaper);

        // THEN
        assertThat(catalog.find("gpt-4o-mini")).hasValue(cheaper);
    }

    @Test
    void aPriceSetInCodeAddsANewModel() {
        // GIVEN
        ModelPrice finetune = ModelPrice.of("my-finetune", Usd.usd("0.000002"), Usd.usd("0.000008"));

        // WHEN
        PriceCatalog catalog = PriceCatalog.empty().withPrice(finetune);

        // THEN
        assertThat(catalog.find("my-finetune")).hasValue(finetune);
    }

    @Test
    void variationsLeaveTheOriginalUnchanged() {
        // GIVEN
        PriceCatalog bundled = PriceCatalog.bundled();
        ModelPrice before = bundled.find("gpt-4o-mini").orElseThrow();

        // WHEN
        bundled.withPrice(ModelPrice.of("gpt-4o-mini", Usd.usd("1"), Usd.usd("1")));
        bundled.withOverrides(parse("{\"gpt-4o-mini\": {\"input_cost_per_token\": 0.001, \"output_cost_per_token\": 0.001}}"));

        // THEN
        assertThat(bundled.find("gpt-4o-mini")).hasValue(before);
    }

    @Test
    void exposesItsPricesReadOnly() {
        assertThatThrownBy(() -> PriceCatalog.bundled().prices().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- reading files -------------------------------------------------------------------------------

    @Test
    void readsAllFieldsOfAnEntry() {
        // GIVEN
        PriceCatalog catalog = parse("""
                {
                  "sample_spec": {"input_cost_per_token": 0, "output_cost_per_token": 0, "max_input_tokens": "max input tokens"},
                  "claude-haiku-4-5": {
                    "litellm_provider": "anthropic",
                    "mode": "chat",
                    "input_cost_per_token": 1e-06,
                    "output_cost_per_token": 5e-06,
                    "cache_read_input_token_cost": 1e-07,
                    "cache_creation_input_token_cost": 1.25e-06,
                    "max_input_tokens": 200000,
                    "max_output_tokens": 64000
                  }
                }
                """);

        // THEN
        assertThat(catalog.find("claude-haiku-4-5")).hasValue(new ModelPrice("claude-haiku-4-5", "anthropic", "chat",
                Usd.usd("0.000001"), Usd.usd("0.000005"), Usd.usd("0.0000001"), Usd.usd("0.00000125"), null, 200_000, 64_000,
                List.of()));
    }

    @Test
    void skipsLiteLlmsSampleSpec() {
        // GIVEN
        PriceCatalog catalog = parse("""
                {"sample_spec": {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "max_input_tokens": "max input tokens"}}
                """);

        // THEN
        assertThat(catalog.size()).isZero();
    }

    @Test
    void skipsModelsNotPricedPerToken() {
        // GIVEN
        PriceCatalog catalog = parse("""
                {"dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_pixel": 4.0e-08, "output_cost_per_pixel": 0.0}}
                """);

        // THEN
        assertThat(catalog.find("dall-e-3")).isEmpty();
    }

    @Test
    void readsACatalogFile(@TempDir Path dir) throws IOException {
        // GIVEN
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"my-finetune\": {\"input_cost_per_token\": 2e-06, \"output_cost_per_token\": 8e-06}}");

        // WHEN
        PriceCatalog catalog = PriceCatalog.fromPath(file);

        // THEN
        assertThat(catalog.find("my-finetune")).hasValueSatisfying(price -> assertThat(price.outputPerToken()).isEqualTo(Usd.usd("0.000008")));
    }

    @Test
    void rejectsAMissingFileNamingIt(@TempDir Path dir) {
        // GIVEN
        Path missing = dir.resolve("missing-prices.json");

        // WHEN / THEN
        assertThatThrownBy(() -> PriceCatalog.fromPath(missing))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void rejectsAMissingClasspathResourceNamingIt() {
        assertThatThrownBy(() -> PriceCatalog.fromClasspath("/no/such/prices.json"))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining("/no/such/prices.json");
    }

    @Test
    void rejectsMalformedJsonNamingTheSourceAndLine() {
        // GIVEN a trailing comma before the closing brace on line 5
        String json = """
                {
                  "gpt-4o-mini": {
                    "input_cost_per_token": 1.5e-07,
                    "output_cost_per_token": 6e-07,
                  }
                }
                """;

        // WHEN / THEN
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("line 5");
    }

    @Test
    void rejectsARootThatIsNotAnObject() {
        assertThatThrownBy(() -> parse("[{\"gpt-4o-mini\": {}}]"))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("JSON object");
    }

    @Test
    void rejectsANegativePriceNamingSourceModelFieldAndValue() {
        assertThatThrownBy(() -> parse("""
                {"my-model": {"input_cost_per_token": -1e-06, "output_cost_per_token": 2e-06}}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("\"my-model\"")
                .hasMessageContaining("input_cost_per_token")
                .hasMessageContaining("-0.000001");
    }

    @Test
    void rejectsAPriceNoModelBillsSuchAs1e999NamingSourceModelFieldValueAndTheUnit() {
        assertThatThrownBy(() -> parse("""
                {"my-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e999}}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessage("price catalog " + SOURCE + ", model \"my-model\", field output_cost_per_token: 1E+999 USD per token"
                        + " is above the 0.01 any model bills (the dearest catalog model, o1-pro, bills 0.0006 per output token);"
                        + " prices are USD per token, so $2.50 per million tokens is 2.5e-06");
    }

    @Test
    void rejectsAPriceWrittenPerMillionTokens() {
        assertThatThrownBy(() -> parse("""
                {"my-model": {"input_cost_per_token": 2.5, "output_cost_per_token": 1e-05}}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining("field input_cost_per_token: 2.5 USD per token is above the 0.01");
    }

    @Test
    void rejectsAPriceGivenAsAStringNamingSourceModelFieldAndValue() {
        assertThatThrownBy(() -> parse("""
                {"my-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": "0.000002"}}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("\"my-model\"")
                .hasMessageContaining("output_cost_per_token")
                .hasMessageContaining("\"0.000002\"");
    }

    @Test
    void rejectsATokenLimitGivenAsAStringNamingSourceModelAndField() {
        assertThatThrownBy(() -> parse("""
                {"my-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "max_input_tokens": "128k"}}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("\"my-model\"")
                .hasMessageContaining("max_input_tokens")
                .hasMessageContaining("\"128k\"");
    }

    @Test
    void rejectsAFractionalTokenLimit() {
        assertThatThrownBy(() -> parse("""
                {"my-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "max_output_tokens": 4096.5}}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining("max_output_tokens")
                .hasMessageContaining("4096.5");
    }

    @Test
    void rejectsAnEntryThatIsNotAnObjectNamingSourceAndModel() {
        assertThatThrownBy(() -> parse("""
                {"my-model": 1e-06}
                """))
                .isInstanceOf(InvalidPriceCatalogException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("\"my-model\"")
                .hasMessageContaining("JSON object");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static PriceCatalog parse(String json) {
        return PriceCatalog.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), SOURCE);
    }

    private static JsonNode readBundledJson() throws IOException {
        try (InputStream in = PriceCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("bundled price map " + BUNDLED_RESOURCE + " is not on the classpath"));
            }
            return JSON.readTree(in);
        }
    }

    private static @Nullable Usd usd(JsonNode fields, String field) {
        JsonNode value = fields.get(field);
        return value == null || value.isNull() ? null : Usd.of(new BigDecimal(value.asText()));
    }

    private static @Nullable Integer tokens(JsonNode fields, String field) {
        JsonNode value = fields.get(field);
        return value == null || value.isNull() ? null : value.intValue();
    }

    private static @Nullable Path findShared() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/model-prices.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
