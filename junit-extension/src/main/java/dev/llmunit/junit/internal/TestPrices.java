package dev.llmunit.junit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmunit.core.cost.InvalidPriceCatalogException;
import dev.llmunit.core.cost.PriceCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * The prices a run's routers charge: the bundled LiteLLM catalog, with the project's own prices
 * put over it (its fine-tunes, a self-hosted model, a negotiated rate), from the file the setting
 * {@value #SETTING} names, else the test resource {@value #RESOURCE} when there is one. Both are
 * in the LiteLLM price-map format:
 *
 * <pre>{@code
 * {"house-model-v1": {"input_cost_per_token": 0.0000004, "output_cost_per_token": 0.0000016}}
 * }</pre>
 */
public final class TestPrices {

    /** Setting: a price file in the LiteLLM format, relative to the working directory (the module) unless absolute. */
    public static final String SETTING = "llmunit.prices";
    /** The test resource read when the setting is not given: {@code src/test/resources/llmunit/prices.json}. */
    public static final String RESOURCE = "llmunit/prices.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestPrices() {}

    /**
     * Reads the run's prices.
     *
     * @param configuration the run's configuration parameters (JUnit backs them with system properties)
     * @param loader where {@value #RESOURCE} is looked for
     * @return the bundled catalog with the project's prices over it; the bundled one alone when the project has none
     * @throws ExtensionConfigurationException when the file is missing, not JSON, or an entry cannot be
     *     priced, naming the file, the model, the field and the fix
     */
    public static PriceCatalog load(Function<String, Optional<String>> configuration, ClassLoader loader) {
        Optional<String> setting = configuration.apply(SETTING).map(String::trim).filter(value -> !value.isEmpty());
        String source;
        byte[] content;
        if (setting.isPresent()) {
            Path file = Path.of(setting.get()).toAbsolutePath().normalize();
            source = file.toString();
            if (!Files.isRegularFile(file)) {
                throw new ExtensionConfigurationException("llmunit cannot read the prices: " + SETTING + " is '" + setting.get()
                        + "', but " + file + " is not a file; give the path of a LiteLLM-format price file (relative to the module),"
                        + " or drop the setting to use " + RESOURCE + " from the test resources");
            }
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ExtensionConfigurationException("llmunit cannot read the price file " + file + ": " + e.getMessage(), e);
            }
        } else {
            content = resource(loader);
            if (content == null) {
                return PriceCatalog.bundled();
            }
            source = "classpath:" + RESOURCE + " (src/test/resources/" + RESOURCE + ")";
        }
        PriceCatalog own;
        try (InputStream in = new java.io.ByteArrayInputStream(content)) {
            own = PriceCatalog.fromStream(in, source);
        } catch (InvalidPriceCatalogException | IOException | UncheckedIOException bad) {
            throw new ExtensionConfigurationException("llmunit cannot use the prices: " + bad.getMessage(), bad);
        }
        checkEveryModelIsPriced(content, source, own);
        return PriceCatalog.bundled().withOverrides(own);
    }

    /**
     * The LiteLLM format lets an entry without token prices through (an image model is priced per
     * image); in a project's own file that is almost always a misspelt field, which would leave the
     * model unpriced without a word.
     */
    private static void checkEveryModelIsPriced(byte[] content, String source, PriceCatalog own) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(content, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return; // fromStream already said what is wrong with it
        }
        for (Iterator<String> models = root.fieldNames(); models.hasNext(); ) {
            String model = models.next();
            if (model.equals("sample_spec") || own.prices().containsKey(model)) {
                continue;
            }
            JsonNode fields = root.get(model);
            String missing = !fields.has("input_cost_per_token") ? "input_cost_per_token" : "output_cost_per_token";
            throw new ExtensionConfigurationException("llmunit cannot use the prices: price file " + source + ", model \"" + model
                    + "\" has no " + missing + ", so its calls could not be priced; the fields are " + fieldNames(fields)
                    + ". Give both input_cost_per_token and output_cost_per_token in USD per token, such as"
                    + " {\"" + model + "\": {\"input_cost_per_token\": 0.0000004, \"output_cost_per_token\": 0.0000016}}");
        }
    }

    private static String fieldNames(JsonNode fields) {
        StringBuilder names = new StringBuilder();
        fields.fieldNames().forEachRemaining(name -> names.append(names.length() == 0 ? "" : ", ").append(name));
        return names.length() == 0 ? "none" : names.toString();
    }

    private static byte @Nullable [] resource(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new ExtensionConfigurationException("llmunit cannot read " + RESOURCE + " from the test resources: " + e.getMessage(), e);
        }
    }
}
