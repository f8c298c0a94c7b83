package dev.llmunit.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.i18n.MessageSource;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * JSON parsing and JSON Schema validation, on networknt's json-schema-validator: the one place for
 * the assertions' {@code matchesJsonSchema} and the ensemble's schema filter. Schemas default to
 * draft 2020-12 and honour {@code $schema}; violations are reported with JSON paths such as
 * {@code $.tags[1]}. The validator is an optional dependency of core: this class is only loaded
 * once a caller has checked it is on the class path.
 */
public final class JsonSchemas {

    /** Strict: "{} trailing" is not valid JSON, though a lenient reader would stop after "{}". */
    public static final ObjectMapper STRICT_JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** How long a schema shown in a message may be; longer ones are cut. */
    private static final int MAX_SCHEMA_LENGTH = 200;

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(config()));

    private JsonSchemas() {}


    /**
     * Parses and checks a schema: JSON, an object or boolean, a known {@code $schema}, and valid
     * against its meta-schema, so a typo such as {@code "type": "strng"} is caught as the test's
     * mistake rather than reported as the model's.
     *
     * @param schemaJson the schema text
     * @param origin where it came from, for messages: the schema itself or its file
     * @return the compiled schema
     * @throws IllegalArgumentException naming the problem when the schema is not usable
     */
    public static Schema compile(String schemaJson, String origin) {
        JsonNode node;
        try {
            node = STRICT_JSON.readTree(schemaJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the JSON schema " + origin + " is not valid JSON: " + parseError(e), e);
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            throw new IllegalArgumentException("the JSON schema " + origin + " must be a JSON object (or true or false), but was "
                    + (node == null || node.isMissingNode() ? "empty" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        SpecificationVersion version = SpecificationVersion.DRAFT_2020_12;
        JsonNode declared = node.get("$schema");
        if (declared != null) {
            Optional<SpecificationVersion> known = declared.isTextual()
                    ? SpecificationVersion.fromDialectId(declared.asText()) : Optional.empty();
            if (known.isEmpty()) {
                throw new IllegalArgumentException("the JSON schema " + origin + " declares an unknown $schema " + declared
                        + "; use one of " + Arrays.stream(SpecificationVersion.values()).map(SpecificationVersion::getDialectId).toList()
                        + " or leave it out for draft 2020-12");
            }
            version = known.get();
        }
        try {
            List<Error> invalid = REGISTRY.getSchema(SchemaLocation.of(version.getDialectId())).validate(node);
            if (!invalid.isEmpty()) {
                throw new IllegalArgumentException("the JSON schema " + origin + " is not a valid " + version.getDialectId()
                        + " schema: " + String.join("; ", render(invalid)));
            }
            Schema schema = REGISTRY.getSchema(node);
            schema.initializeValidators();
            return schema;
        } catch (SchemaException e) {
            throw new IllegalArgumentException("the JSON schema " + origin + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * The ways a JSON value breaks a schema.
     *
     * @return one line per violation, {@code $.path: message}; empty when the value matches
     * @throws IllegalArgumentException when the schema turns out unusable while validating, such as a dangling {@code $ref}
     */
    public static List<String> violations(Schema schema, JsonNode value, String origin) {
        try {
            return render(schema.validate(value));
        } catch (SchemaException e) {
            throw new IllegalArgumentException("the JSON schema " + origin + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The schema as a message shows it: compact, cut at {@value #MAX_SCHEMA_LENGTH} characters. */
    public static String shown(String schemaJson) {
        String compact = schemaJson.strip().replaceAll("\\s*\\R\\s*", " ");
        return compact.length() <= MAX_SCHEMA_LENGTH ? compact : compact.substring(0, MAX_SCHEMA_LENGTH) + "...";
    }

    /** A Jackson parse error as a person reads it: the message and where. */
    public static String parseError(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return e.getOriginalMessage() + (location == null ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr());
    }

    private static List<String> render(List<Error> errors) {
        List<String> lines = new ArrayList<>();
        for (Error error : errors) {
            lines.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return lines;
    }

    private static SchemaRegistryConfig config() {
        SchemaRegistryConfig.Builder config = SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).locale(Locale.ENGLISH);
        MessageSource messages = OwnMessages.load();
        if (messages != null) {
            config.messageSource(messages);
        }
        return config.build();
    }

    /**
     * The validator's English messages read from its own jar. WireMock's standalone jar, which
     * llmunit brings along, ships an older {@code jsv-messages.properties} of the 1.x validator at
     * the same resource name; when it comes first on the class path its patterns take other
     * arguments and the messages come out garbled ("integer: string found, {2} expected").
     */
    private record OwnMessages(Properties patterns) implements MessageSource {

        private static final String BUNDLE = "jsv-messages.properties";

        static @Nullable OwnMessages load() {
            URL self = SchemaRegistry.class.getResource("SchemaRegistry.class");
            String suffix = "com/networknt/schema/SchemaRegistry.class";
            if (self == null || !self.toString().endsWith(suffix)) {
                return null;
            }
            String own = self.toString().substring(0, self.toString().length() - suffix.length()) + BUNDLE;
            Properties patterns = new Properties();
            try (InputStream in = URI.create(own).toURL().openStream()) {
                patterns.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // A repackaged validator: keep its default messages rather than fail every schema check.
                return null;
            }
            return new OwnMessages(patterns);
        }

        @Override
        public String getMessage(String key, @Nullable Supplier<String> defaultMessage, Locale locale, Object... arguments) {
            String pattern = patterns.getProperty(key);
            if (pattern == null && defaultMessage != null) {
                pattern = defaultMessage.get();
            }
            if (pattern == null) {
                return key;
            }
            return new MessageFormat(pattern, Locale.ROOT).format(arguments);
        }
    }
}
