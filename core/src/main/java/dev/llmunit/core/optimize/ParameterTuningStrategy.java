package dev.llmunit.core.optimize;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Parameter tuning per task type: sets the temperature and the maximum output tokens the request
 * left unset (a value the caller set is never changed). Defaults: classification and extraction
 * temperature 0 (one right answer), code 0.1, reasoning 0.2, summarization 0.3, open generation
 * 0.7; output caps of 256 tokens for classification, 512 for summarization, 1,024 for extraction,
 * 2,048 for reasoning and code, none for open generation.
 */
public final class ParameterTuningStrategy implements OptimizationStrategy {

    /** The strategy's name: {@value}. */
    public static final String NAME = "parameter-tuning";

    /**
     * The parameters one task type gets.
     *
     * @param temperature the temperature, or null to leave it
     * @param maxOutputTokens the output cap, or null to leave it
     */
    public record Tuning(@Nullable Double temperature, @Nullable Integer maxOutputTokens) {

        /** Checks the ranges. */
        public Tuning {
            if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
                throw new IllegalArgumentException("temperature must be between 0 and 2, but was " + temperature);
            }
            if (maxOutputTokens != null && maxOutputTokens < 1) {
                throw new IllegalArgumentException("maxOutputTokens must be at least 1, but was " + maxOutputTokens);
            }
        }
    }

    private static final Map<TaskType, Tuning> DEFAULTS = defaults();

    private final Map<TaskType, Tuning> tunings;

    /** The default tuning table (see the class comment). */
    public ParameterTuningStrategy() {
        this.tunings = DEFAULTS;
    }

    /**
     * A custom table; task types it leaves out keep the defaults.
     *
     * @param tunings per task type
     */
    public ParameterTuningStrategy(Map<TaskType, Tuning> tunings) {
        Objects.requireNonNull(tunings, "tunings must not be null");
        EnumMap<TaskType, Tuning> merged = new EnumMap<>(DEFAULTS);
        merged.putAll(tunings);
        this.tunings = merged;
    }

    /**
     * The tuning of one task type.
     *
     * @param type the task type
     * @return its parameters
     */
    public Tuning tuning(TaskType type) {
        return tunings.get(type);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean appliesTo(ChatRequest request, StrategyContext context) {
        Tuning tuning = tunings.get(context.task().type());
        return tuning.temperature() != null && request.temperature() == null
                || tuning.maxOutputTokens() != null && request.maxOutputTokens() == null;
    }

    @Override
    public ChatRequest apply(ChatRequest request, StrategyContext context) {
        Tuning tuning = tunings.get(context.task().type());
        // Through parameters: LangChain4j refuses a builder that has both parameters and single settings.
        DefaultChatRequestParameters.Builder<?> changes = ChatRequestParameters.builder();
        if (tuning.temperature() != null && request.temperature() == null) {
            changes.temperature(tuning.temperature());
        }
        if (tuning.maxOutputTokens() != null && request.maxOutputTokens() == null) {
            changes.maxOutputTokens(tuning.maxOutputTokens());
        }
        return request.toBuilder().parameters(request.parameters().overrideWith(changes.build())).build();
    }

    private static Map<TaskType, Tuning> defaults() {
        EnumMap<TaskType, Tuning> table = new EnumMap<>(TaskType.class);
        table.put(TaskType.CLASSIFICATION, new Tuning(0.0, 256));
        table.put(TaskType.EXTRACTION, new Tuning(0.0, 1024));
        table.put(TaskType.SUMMARIZATION, new Tuning(0.3, 512));
        table.put(TaskType.REASONING, new Tuning(0.2, 2048));
        table.put(TaskType.CODE, new Tuning(0.1, 2048));
        table.put(TaskType.OPEN_GENERATION, new Tuning(0.7, null));
        return table;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
