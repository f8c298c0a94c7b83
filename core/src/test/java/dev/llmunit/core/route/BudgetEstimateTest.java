package dev.llmunit.core.route;

import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmunit.core.cost.ModelPrice;
import dev.llmunit.core.cost.PriceCatalog;
import dev.llmunit.core.cost.TokenEstimator;
import dev.llmunit.core.error.LlmException;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight estimate counts what providers bill as input besides the messages' text (issue
 * 15.3): tool definitions, a response-format JSON schema and images. Each test sets a per-request
 * limit the plain request passes and shows the same request with the extra part refused before the
 * provider is called, with the input tokens in the message.
 */
class BudgetEstimateTest {

    /** $0.000001 per input token, $0.000002 per output token. */
    private static final PriceCatalog PRICES = PriceCatalog.empty()
            .withPrice(ModelPrice.of("test-model", usd("0.000001"), usd("0.000002")));
    private static final String QUESTION = "Which queue does ticket #4411 belong to?";
    /** About 30 input tokens and 10 output tokens: about $0.00005, well below it. */
    private static final String LIMIT = "0.0005";

    private final ScriptedChatModel provider = answeringWithUsage("Billing", "test-model", 30, 10);
    private final Router router = Router.builder()
            .priceCatalog(PRICES)
            .retry(r -> r.maxRetries(0))
            .maxCostPerRequest(usd(LIMIT))
            .provider("p", provider, p -> p.modelName("test-model"))
            .build();

    private static ChatRequest.Builder question() {
        return ChatRequest.builder().messages(UserMessage.from(QUESTION)).maxOutputTokens(10);
    }

    /** About 1,000 tokens of prose: an elaborate tool or schema description. */
    private static String longDescription() {
        return "Look up the customer's invoices, refunds and disputed charges in the billing system. ".repeat(70);
    }

    @Test
    void thePlainQuestionPassesTheLimit() {
        assertThat(router.route(question().build()).chatResponse().aiMessage().text()).isEqualTo("Billing");
    }

    @Test
    void countsToolDefinitionsInTheEstimate() {
        // GIVEN the question with a tool whose definition is about 1,000 tokens
        ToolSpecification tool = ToolSpecification.builder()
                .name("lookup_invoices")
                .description(longDescription())
                .parameters(JsonObjectSchema.builder().addStringProperty("customerId", "the customer's id").build())
                .build();

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(
                () -> router.route(question().toolSpecifications(tool).build()), LlmException.BudgetExceeded.class);

        // THEN it is refused before the call, and the estimate counted the tool
        assertThat(provider.calls()).isZero();
        assertThat(refused).hasMessageContaining("exceeds the per-request limit $" + LIMIT);
        assertThat(inputTokens(refused)).isGreaterThan(1_000);
    }

    @Test
    void countsTheResponseFormatSchemaInTheEstimate() {
        // GIVEN the question with a JSON schema of 40 described properties
        JsonObjectSchema.Builder root = JsonObjectSchema.builder();
        for (int i = 0; i < 40; i++) {
            root.addStringProperty("field" + i, "what the ticket says about aspect number " + i + " of the customer's problem");
        }
        ResponseFormat format = ResponseFormat.builder().type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder().name("triage").rootElement(root.build()).build()).build();

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(
                () -> router.route(question().responseFormat(format).build()), LlmException.BudgetExceeded.class);

        // THEN
        assertThat(provider.calls()).isZero();
        assertThat(inputTokens(refused)).isGreaterThan(400);
    }

    @Test
    void countsEachImageAtItsUpperBound() {
        // GIVEN the question with a photo of the invoice
        ChatRequest withImage = ChatRequest.builder()
                .messages(UserMessage.from(TextContent.from(QUESTION),
                        ImageContent.from("https://example.com/invoice.png", ImageContent.DetailLevel.HIGH)))
                .maxOutputTokens(10)
                .build();

        // WHEN
        LlmException.BudgetExceeded refused = catchThrowableOfType(() -> router.route(withImage), LlmException.BudgetExceeded.class);

        // THEN the image counts TOKENS_PER_IMAGE
        assertThat(provider.calls()).isZero();
        assertThat(inputTokens(refused)).isGreaterThanOrEqualTo(TokenEstimator.TOKENS_PER_IMAGE);
    }

    @Test
    void countsALowDetailImageAtTheSameUpperBound() {
        // GIVEN the question with an image at low detail (LangChain4j's default), which only OpenAI bills at 85 tokens
        ChatRequest lowDetail = ChatRequest.builder()
                .messages(UserMessage.from(TextContent.from(QUESTION),
                        ImageContent.from("https://example.com/invoice.png", ImageContent.DetailLevel.LOW)))
                .maxOutputTokens(10)
                .build();

        // WHEN / THEN
        assertThat(TokenEstimator.standard().estimateInputTokens(lowDetail))
                .isEqualTo(TokenEstimator.standard().estimateInputTokens(question().build()) + TokenEstimator.TOKENS_PER_IMAGE);
    }

    @Test
    void aCustomMessageEstimatorStillGetsToolsAndSchemasCounted() {
        // GIVEN an estimator that counts every request's messages as 10 tokens
        TokenEstimator tenPerRequest = messages -> 10;
        ToolSpecification tool = ToolSpecification.builder().name("lookup_invoices").description(longDescription()).build();

        // WHEN / THEN the request's tool definitions come on top
        assertThat(tenPerRequest.estimateInputTokens(question().build())).isEqualTo(10);
        assertThat(tenPerRequest.estimateInputTokens(question().toolSpecifications(tool).build())).isGreaterThan(1_000);
    }

    /** The input tokens a refusal names: "... (1234 input tokens, up to ...". */
    private static int inputTokens(LlmException.BudgetExceeded refused) {
        String message = refused.getMessage();
        int end = message.indexOf(" input tokens");
        int start = message.lastIndexOf('(', end);
        return Integer.parseInt(message.substring(start + 1, end));
    }
}
