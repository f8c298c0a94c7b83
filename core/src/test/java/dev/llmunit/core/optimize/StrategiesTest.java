package dev.llmunit.core.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmunit.core.cost.Usd;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategiesTest {

    private static StrategyContext context(TaskType type) {
        return new StrategyContext(TaskDetection.overridden(type), List.of());
    }

    private static String text(ChatMessage message) {
        return Messages.text(message);
    }

    @Test
    void compressionDropsARepeatedTicketAndBoilerplateButKeepsEveryFact() {
        String ticket = "The export button fails with error 500 since Tuesday. Our account id is ACME-42.";
        String user = "Hi team,\n\n" + ticket + "\nIt happens in Firefox and Chrome.\n\n> " + ticket
                + "\n\nThanks in advance!\nKind regards,\nDana\nSent from my iPhone";
        ChatRequest request = ChatRequest.builder().messages(SystemMessage.from("Triage the ticket."), UserMessage.from(user)).build();

        ChatRequest compressed = new CompressionStrategy().apply(request, context(TaskType.CLASSIFICATION));

        String out = text(compressed.messages().get(1));
        assertThat(out).contains("The export button fails with error 500 since Tuesday.", "Our account id is ACME-42.",
                "It happens in Firefox and Chrome.", "Dana");
        assertThat(out.split("ACME-42", -1)).hasSize(2); // the quoted copy is gone
        assertThat(out).doesNotContain("Hi team", "Thanks in advance", "Kind regards", "iPhone", ">");
        assertThat(out.length()).isLessThan(user.length() * 2 / 3);
        assertThat(text(compressed.messages().get(0))).isEqualTo("Triage the ticket.");
    }

    @Test
    void compressionDropsContextTheUserRepeatsFromTheSystemMessage() {
        String rules = "Categories are BUG, BILLING and QUESTION only.";
        ChatRequest request = ChatRequest.builder().messages(SystemMessage.from("Classify tickets. " + rules),
                UserMessage.from(rules + " My card was charged twice.")).build();

        ChatRequest compressed = new CompressionStrategy().apply(request, context(TaskType.CLASSIFICATION));

        assertThat(text(compressed.messages().get(1))).isEqualTo("My card was charged twice.");
    }

    @Test
    void compressionLeavesACleanRequestAsItIs() {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("What is the capital of France?")).build();

        assertThat(new CompressionStrategy().apply(request, context(TaskType.OPEN_GENERATION))).isSameAs(request);
    }

    @Test
    void compressionKeepsShortRepeatedSentences() {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Yes. It broke. Yes. It broke again today.")).build();

        ChatRequest compressed = new CompressionStrategy().apply(request, context(TaskType.OPEN_GENERATION));

        assertThat(text(compressed.messages().get(0))).isEqualTo("Yes. It broke. Yes. It broke again today.");
    }

    @Test
    void structuredOutputSpellsOutTheSchemaInTheSystemMessage() {
        JsonSchema schema = JsonSchema.builder().name("triage").rootElement(JsonObjectSchema.builder()
                .addEnumProperty("category", List.of("BUG", "BILLING")).required("category").build()).build();
        ChatRequest request = ChatRequest.builder().messages(SystemMessage.from("Triage."), UserMessage.from("It broke"))
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build()).build();
        StructuredOutputStrategy strategy = new StructuredOutputStrategy();

        ChatRequest rewritten = strategy.apply(request, context(TaskType.CLASSIFICATION));

        assertThat(strategy.appliesTo(request, context(TaskType.CLASSIFICATION))).isTrue();
        assertThat(text(rewritten.messages().get(0))).startsWith("Triage.").contains("no Markdown code fences")
                .contains("\"enum\":[\"BUG\",\"BILLING\"]");
        assertThat(rewritten.messages().get(1)).isEqualTo(request.messages().get(1));
        assertThat(rewritten.responseFormat()).isEqualTo(request.responseFormat());
    }

    @Test
    void structuredOutputDoesNotApplyToPlainText() {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Tell me a joke")).build();

        assertThat(new StructuredOutputStrategy().appliesTo(request, context(TaskType.OPEN_GENERATION))).isFalse();
    }

    @Test
    void stepByStepOnlyForReasoningWithoutJson() {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("A train leaves at 3pm ... when does it arrive?")).build();
        StepByStepStrategy strategy = new StepByStepStrategy();

        assertThat(strategy.appliesTo(request, context(TaskType.REASONING))).isTrue();
        assertThat(strategy.appliesTo(request, context(TaskType.CLASSIFICATION))).isFalse();
        ChatRequest rewritten = strategy.apply(request, context(TaskType.REASONING));
        assertThat(rewritten.messages()).hasSize(2);
        assertThat(text(rewritten.messages().get(0))).isEqualTo(StepByStepStrategy.INSTRUCTION);
        assertThat(strategy.appliesTo(rewritten, context(TaskType.REASONING))).isFalse();
    }

    @Test
    void fewShotPutsTheBestExamplesBeforeTheQuestionButNeverTheQuestionItself() {
        HistoryEntry good = new HistoryEntry(TaskType.CLASSIFICATION, List.of(), 1.0, Usd.ZERO, "Card charged twice", "BILLING");
        HistoryEntry same = new HistoryEntry(TaskType.CLASSIFICATION, List.of(), 1.0, Usd.ZERO, "App crashes on start", "BUG");
        ChatRequest request = ChatRequest.builder().messages(SystemMessage.from("Classify."), UserMessage.from("App crashes on start")).build();
        StrategyContext context = new StrategyContext(TaskDetection.overridden(TaskType.CLASSIFICATION), List.of(same, good));

        ChatRequest rewritten = new FewShotStrategy(2).apply(request, context);

        assertThat(rewritten.messages()).containsExactly(SystemMessage.from("Classify."), UserMessage.from("Card charged twice"),
                AiMessage.from("BILLING"), UserMessage.from("App crashes on start"));
        assertThat(new FewShotStrategy().appliesTo(request, new StrategyContext(context.task(), List.of(same)))).isFalse();
    }

    @Test
    void parameterTuningFillsOnlyWhatTheCallerLeftUnset() {
        ChatRequest unset = ChatRequest.builder().messages(UserMessage.from("x")).build();
        ChatRequest setTemperature = ChatRequest.builder().messages(UserMessage.from("x")).temperature(0.9).build();
        ParameterTuningStrategy tuning = new ParameterTuningStrategy();

        ChatRequest tuned = tuning.apply(unset, context(TaskType.CLASSIFICATION));
        ChatRequest kept = tuning.apply(setTemperature, context(TaskType.CLASSIFICATION));

        assertThat(tuned.temperature()).isEqualTo(0.0);
        assertThat(tuned.maxOutputTokens()).isEqualTo(256);
        assertThat(kept.temperature()).isEqualTo(0.9);
        assertThat(kept.maxOutputTokens()).isEqualTo(256);
        ChatRequest both = ChatRequest.builder().messages(UserMessage.from("x")).temperature(0.5).maxOutputTokens(10).build();
        assertThat(tuning.appliesTo(both, context(TaskType.CLASSIFICATION))).isFalse();
    }

    @Test
    void parameterTuningTakesACustomTable() {
        ParameterTuningStrategy tuning = new ParameterTuningStrategy(Map.of(TaskType.CLASSIFICATION,
                new ParameterTuningStrategy.Tuning(0.1, 12)));

        ChatRequest tuned = tuning.apply(ChatRequest.builder().messages(UserMessage.from("x")).build(), context(TaskType.CLASSIFICATION));

        assertThat(tuned.maxOutputTokens()).isEqualTo(12);
        assertThat(tuning.tuning(TaskType.CODE).maxOutputTokens()).isEqualTo(2048);
    }
}
