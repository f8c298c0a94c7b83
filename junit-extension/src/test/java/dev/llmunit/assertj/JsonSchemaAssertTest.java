package dev.llmunit.assertj;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSchemaAssertTest {

    private static final String TICKET_SCHEMA = """
            {
              "type": "object",
              "required": ["queue", "confidence"],
              "properties": {
                "queue": {"enum": ["billing", "sales"]},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "tags": {"type": "array", "items": {"type": "string"}}
              }
            }
            """;

    @Test
    void matchesJsonSchemaPassesForAMatchingAnswer() {
        assertThat(Routes.bare("{\"queue\": \"billing\", \"confidence\": 0.92, \"tags\": [\"refund\"]}")).matchesJsonSchema(TICKET_SCHEMA);
    }

    @Test
    void matchesJsonSchemaTakesOffACodeFenceAroundTheAnswer() {
        assertThat(Routes.bare("```json\n{\"queue\": \"sales\", \"confidence\": 0.5}\n```\n")).matchesJsonSchema(TICKET_SCHEMA);
        assertThat(Routes.bare("```\n{\"queue\": \"sales\", \"confidence\": 0.5}\n```")).matchesJsonSchema(TICKET_SCHEMA);
    }

    @Test
    void matchesJsonSchemaFailsForAMissingRequiredField() {
        assertThatThrownBy(() -> assertThat(Routes.bare("{\"queue\": \"billing\"}")).matchesJsonSchema(TICKET_SCHEMA))
                .isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting actual:%n  \"{\"queue\": \"billing\"}\"%nto match the JSON schema:%n  "
                        + "{ \"type\": \"object\", \"required\": [\"queue\", \"confidence\"], \"properties\": { \"queue\": {\"enum\": [\"billing\", \"sales\"]}, "
                        + "\"confidence\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 1}, \"tags\": {\"type\": \"array\"...%n"
                        + "but found 1 violation:%n  $: required property 'confidence' not found").formatted());
    }

    @Test
    void matchesJsonSchemaFailsListingEveryViolationWithItsPath() {
        String answer = "{\"queue\": \"refunds\", \"confidence\": \"high\", \"tags\": [\"refund\", 7]}";

        assertThatThrownBy(() -> assertThat(Routes.bare(answer)).matchesJsonSchema(TICKET_SCHEMA))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("%nExpecting actual:%n  \"%s\"%n".formatted(answer))
                .hasMessageContaining("but found 3 violations:%n  $.queue: does not have a value in the enumeration [\"billing\", \"sales\"]".formatted())
                .hasMessageContaining("%n  $.confidence: string found, number expected".formatted())
                .hasMessageContaining("%n  $.tags[1]: integer found, string expected".formatted());
    }

    @Test
    void matchesJsonSchemaFailsForProseShowingTheParseError() {
        assertThatThrownBy(() -> assertThat(Routes.bare("The ticket belongs in billing.")).matchesJsonSchema(TICKET_SCHEMA))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it is not JSON:%n  Unrecognized token 'The'".formatted());
    }

    @Test
    void matchesJsonSchemaHonoursTheSchemasDraft() {
        // Draft 7 reads an items array as a tuple and additionalItems as the rest; 2020-12 has prefixItems instead.
        String draft7 = """
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "array",
                 "items": [{"type": "string"}], "additionalItems": false}
                """;

        assertThat(Routes.bare("[\"billing\"]")).matchesJsonSchema(draft7);
        assertThatThrownBy(() -> assertThat(Routes.bare("[\"billing\", \"sales\"]")).matchesJsonSchema(draft7))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but found 1 violation:%n  $: index '1' is not defined in the schema and the schema does not allow additional items"
                        .formatted());
        // Without $schema the same schema is read as 2020-12, where items must be one schema.
        String undeclared = draft7.replace("\"$schema\": \"http://json-schema.org/draft-07/schema#\", ", "");
        assertThatThrownBy(() -> assertThat(Routes.bare("[\"billing\"]")).matchesJsonSchema(undeclared))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a valid https://json-schema.org/draft/2020-12/schema schema: $.items: ");
    }

    @Test
    void matchesJsonSchemaReadsTheSchemaFromAFile(@TempDir Path dir) throws IOException {
        Path schema = Files.writeString(dir.resolve("ticket.schema.json"), TICKET_SCHEMA);

        assertThat(Routes.bare("{\"queue\": \"billing\", \"confidence\": 1}")).matchesJsonSchema(schema);
        assertThatThrownBy(() -> assertThat(Routes.bare("{\"queue\": \"billing\"}")).matchesJsonSchema(schema))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to match the JSON schema:%n  in %s%n".formatted(schema));
    }

    @Test
    void aSchemaThatIsNotJsonIsTheTestsMistake() {
        assertThatThrownBy(() -> assertThat(Routes.bare("{}")).matchesJsonSchema("{\"type\": \"object\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the JSON schema {\"type\": \"object\" is not valid JSON: Unexpected end-of-input");
    }

    @Test
    void aSchemaBreakingItsMetaSchemaIsTheTestsMistake() {
        assertThatThrownBy(() -> assertThat(Routes.bare("{}")).matchesJsonSchema("{\"type\": \"strng\", \"required\": \"queue\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the JSON schema {\"type\": \"strng\", \"required\": \"queue\"} is not a valid "
                        + "https://json-schema.org/draft/2020-12/schema schema: ")
                .hasMessageContaining("$.type")
                .hasMessageContaining("$.required: string found, array expected");
    }

    @Test
    void aSchemaWithAnUnknownDraftIsTheTestsMistake() {
        assertThatThrownBy(() -> assertThat(Routes.bare("{}")).matchesJsonSchema("{\"$schema\": \"https://example.com/my-draft\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declares an unknown $schema \"https://example.com/my-draft\"; use one of [");
    }

    @Test
    void aSchemaWithADanglingReferenceIsTheTestsMistake() {
        assertThatThrownBy(() -> assertThat(Routes.bare("{}")).matchesJsonSchema("{\"$ref\": \"#/$defs/ticket\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be used: ")
                .hasMessageContaining("#/$defs/ticket");
    }

    @Test
    void aMissingSchemaFileIsTheTestsMistake(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");

        assertThatThrownBy(() -> assertThat(Routes.bare("{}")).matchesJsonSchema(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read the JSON schema file " + missing);
    }
}
