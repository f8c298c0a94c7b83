package dev.llmunit.core.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Structured-output instructions: when the request asks for JSON, tells the model in the system
 * message to answer with one JSON value only, no prose or Markdown fences, matching the response
 * format's schema (spelled out as JSON Schema) when there is one. Providers that ignore the
 * response format, or follow it loosely, then still produce parseable output.
 */
public final class StructuredOutputStrategy implements OptimizationStrategy {

    /** The strategy's name: {@value}. */
    public static final String NAME = "structured-output";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rendering a schema costs more than the rest of an optimization; requests of one app reuse a few schemas. */
    private static final int MAX_CACHED = 256;
    private final ConcurrentHashMap<JsonSchema, String> instructions = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean appliesTo(ChatRequest request, StrategyContext context) {
        return Messages.wantsJson(request);
    }

    @Override
    public ChatRequest apply(ChatRequest request, StrategyContext context) {
        JsonSchema schema = request.responseFormat().jsonSchema();
        String instruction;
        if (schema == null) {
            instruction = "Reply with one JSON value only: no prose before or after it, no Markdown code fences.";
        } else {
            instruction = instructions.get(schema);
            if (instruction == null) {
                instruction = instruction(schema);
                if (instructions.size() < MAX_CACHED) {
                    instructions.put(schema, instruction);
                }
            }
        }
        return Messages.withSystemInstruction(request, instruction);
    }

    private static String instruction(JsonSchema schema) {
        String rendered;
        try {
            rendered = JSON.writeValueAsString(JsonSchemaElementUtils.toMap(schema.rootElement()));
        } catch (JsonProcessingException | RuntimeException e) {
            rendered = String.valueOf(schema.rootElement());
        }
        return "Reply with one JSON object only, no prose before or after it and no Markdown code fences. It must match this JSON "
                + "Schema: " + rendered;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
