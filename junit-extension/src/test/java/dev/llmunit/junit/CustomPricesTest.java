package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.configurationError;
import static dev.llmunit.junit.InnerRuns.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.internal.TestPrices;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project prices its own models (a fine-tune, a self-hosted model) under {@code @LlmTest} with a
 * LiteLLM-format file: {@code src/test/resources/llmunit/prices.json}, or the file
 * {@code -Dllmunit.prices} names. A bad file fails naming the file, the model and the field.
 */
class CustomPricesTest {

    private static final String PRICES = """
            {"house-model-v1": {"input_cost_per_token": 0.0000004, "output_cost_per_token": 0.0000016}}
            """;

    @TempDir
    Path dir;

    @LlmTest(providers = "openai:house-model-v1")
    static class HouseModel {
        @Test
        @CostBudget(perTest = "0.001")
        void isPricedFromTheProjectsFile(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenModelEquals("house-model-v1")
                    .replyText("BILLING", reply -> reply.usage(1000, 200)));

            router.route(ask("<house>"));

            // 1000 input x $0.0000004 + 200 output x $0.0000016 = $0.0004 + $0.00032
            assertThat(calls.last().cost()).isEqualTo(Usd.usd("0.00072"));
        }
    }

    @Test
    void pricesACustomModelFromTheFileTheSettingNames() throws IOException {
        // GIVEN
        Path prices = Files.writeString(dir.resolve("prices.json"), PRICES);

        // WHEN / THEN the test's assertion on the exact cost and its cost budget pass
        assertAllSucceeded(InnerRuns.run(dir.resolve("report"), Map.of("llmunit.prices", prices.toString()), HouseModel.class), 1);
    }

    @Test
    void readsTheTestResourceLlmunitPricesJsonWhenNoSettingIsGiven() throws IOException {
        // GIVEN a class path holding llmunit/prices.json, as src/test/resources puts it there
        Files.createDirectories(dir.resolve("classes/llmunit"));
        Files.writeString(dir.resolve("classes/llmunit/prices.json"), PRICES);
        try (URLClassLoader testClasses = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
            // WHEN
            var catalog = TestPrices.load(key -> Optional.empty(), testClasses);

            // THEN the model is priced and the bundled prices are still there
            assertThat(catalog.find("house-model-v1")).hasValueSatisfying(price ->
                    assertThat(price.inputPerToken()).isEqualTo(Usd.usd("0.0000004")));
            assertThat(catalog.find("gpt-4o-mini")).isPresent();
        }
    }

    @Test
    void aModelWithAMisspeltPriceFieldFailsNamingTheFileModelAndField() throws IOException {
        // GIVEN output_cost_per_tokens instead of output_cost_per_token
        Path prices = Files.writeString(dir.resolve("prices.json"),
                "{\"house-model-v1\": {\"input_cost_per_token\": 0.0000004, \"output_cost_per_tokens\": 0.0000016}}");

        // WHEN
        var results = InnerRuns.run(dir.resolve("report"), Map.of("llmunit.prices", prices.toString()), HouseModel.class);

        // THEN
        assertThat(configurationError(onlyFailure(results)))
                .hasMessageContaining("price file " + prices)
                .hasMessageContaining("model \"house-model-v1\" has no output_cost_per_token")
                .hasMessageContaining("the fields are input_cost_per_token, output_cost_per_tokens");
    }

    @Test
    void aPriceFileThatIsNotJsonFailsNamingTheFileAndLine() throws IOException {
        Path prices = Files.writeString(dir.resolve("prices.json"), "{\"house-model-v1\": {\"input_cost_per_token\": 4e-7,\n}");

        assertThatThrownBy(() -> TestPrices.load(key -> key.equals("llmunit.prices") ? Optional.of(prices.toString()) : Optional.empty(),
                getClass().getClassLoader()))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("price catalog " + prices + " is not valid JSON at line 2");
    }

    @Test
    void aPriceSettingNamingNoFileFailsNamingTheSetting() {
        assertThatThrownBy(() -> TestPrices.load(key -> key.equals("llmunit.prices") ? Optional.of("no/such/prices.json") : Optional.empty(),
                getClass().getClassLoader()))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("llmunit.prices is 'no/such/prices.json'")
                .hasMessageContaining("is not a file");
    }

    @Test
    void aNegativePriceFailsNamingTheModelAndField() throws IOException {
        Path prices = Files.writeString(dir.resolve("prices.json"),
                "{\"house-model-v1\": {\"input_cost_per_token\": -0.0000004, \"output_cost_per_token\": 0.0000016}}");

        assertThatThrownBy(() -> TestPrices.load(key -> key.equals("llmunit.prices") ? Optional.of(prices.toString()) : Optional.empty(),
                getClass().getClassLoader()))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining(prices.toString())
                .hasMessageContaining("model \"house-model-v1\", field input_cost_per_token");
    }
}
