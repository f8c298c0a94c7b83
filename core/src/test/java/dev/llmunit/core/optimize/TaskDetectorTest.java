package dev.llmunit.core.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import org.junit.jupiter.api.Test;

class TaskDetectorTest {

    private final TaskDetector detector = TaskDetector.standard();

    static ChatRequest ask(String system, String user) {
        return ChatRequest.builder().messages(SystemMessage.from(system), UserMessage.from(user)).build();
    }

    @Test
    void detectsClassificationFromAnEnumInTheResponseSchema() {
        JsonSchema schema = JsonSchema.builder().name("triage").rootElement(JsonObjectSchema.builder()
                .addEnumProperty("category", java.util.List.of("BUG", "BILLING", "QUESTION")).required("category").build()).build();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("My invoice is wrong."))
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build()).build();

        TaskDetection detection = detector.detect(request);

        assertThat(detection.type()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(detection.signals()).contains("schema-enum");
        assertThat(detection.overridden()).isFalse();
    }

    @Test
    void detectsEachTypeFromItsInstructions() {
        assertThat(detector.detect(ask("Extract the customer's name and order number as fields.", "Hi, I'm Ana, order 77.")).type())
                .isEqualTo(TaskType.EXTRACTION);
        assertThat(detector.detect(ask("Summarize the text in two sentences.", "Long meeting notes ...")).type())
                .isEqualTo(TaskType.SUMMARIZATION);
        assertThat(detector.detect(ask("You are a math tutor.", "Calculate 17 * 23 and explain.")).type())
                .isEqualTo(TaskType.REASONING);
        assertThat(detector.detect(ask("You are a senior engineer.", "Implement a Java function that reverses a list.")).type())
                .isEqualTo(TaskType.CODE);
        assertThat(detector.detect(ask("You are a poet.", "Write a poem about the sea.")).type())
                .isEqualTo(TaskType.OPEN_GENERATION);
        assertThat(detector.detect(ask("Classify the sentiment as positive or negative.", "I love it")).type())
                .isEqualTo(TaskType.CLASSIFICATION);
    }

    @Test
    void withoutAnySignalItIsOpenGenerationAtHalfConfidence() {
        TaskDetection detection = detector.detect(ChatRequest.builder().messages(UserMessage.from("Hello there")).build());

        assertThat(detection.type()).isEqualTo(TaskType.OPEN_GENERATION);
        assertThat(detection.confidence()).isEqualTo(0.5);
        assertThat(detection.signals()).containsExactly("no-signal");
    }

    @Test
    void agreeingSignalsGiveMoreConfidenceThanOne() {
        double one = detector.detect(ask("Summarize this.", "text")).confidence();
        double three = detector.detect(ask("Summarize this: the key points, condensed.", "text")).confidence();

        assertThat(one).isEqualTo(0.5);
        assertThat(three).isGreaterThan(one).isLessThan(1.0);
    }

    @Test
    void mixedSignalsLowerTheConfidence() {
        double clear = detector.detect(ask("Solve the equation.", "x + 1 = 3")).confidence();
        double mixed = detector.detect(ask("Solve the equation and implement it as a Python function.", "x + 1 = 3")).confidence();

        assertThat(mixed).isLessThan(clear);
    }

    @Test
    void isDeterministic() {
        ChatRequest request = ask("Classify the ticket; then extract the order id.", "Order 12 arrived broken");

        TaskDetection first = detector.detect(request);

        for (int i = 0; i < 20; i++) {
            assertThat(detector.detect(request)).isEqualTo(first);
        }
    }

    @Test
    void anOptimizerWithAFixedTaskTypeSkipsDetection() {
        QueryOptimizer optimizer = QueryOptimizer.builder().taskType(TaskType.CODE).build();

        OptimizedRequest optimized = optimizer.optimize(ask("Summarize this.", "text"));

        assertThat(optimized.taskType()).isEqualTo(TaskType.CODE);
        assertThat(optimized.task().overridden()).isTrue();
        assertThat(optimized.task().confidence()).isEqualTo(1.0);
    }

    @Test
    void aCallerCanOverrideTheTypeOfOneRequest() {
        OptimizedRequest optimized = QueryOptimizer.standard().optimize(ask("Summarize this.", "text"), TaskType.EXTRACTION);

        assertThat(optimized.taskType()).isEqualTo(TaskType.EXTRACTION);
        assertThat(optimized.task().signals()).containsExactly("override");
    }
}
