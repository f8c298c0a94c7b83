package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.error.LlmException;
import org.junit.jupiter.api.Test;

/**
 * The router used through nothing but LangChain4j's {@link ChatModel} interface. (AiServices needs
 * {@code dev.langchain4j:langchain4j}, which core does not depend on; the samples module covers it.)
 */
class ChatModelDropInTest {

    @Test
    void chatWithTextReturnsTheServingModelsText() {
        // GIVEN a router seen as a plain ChatModel
        ChatModel model = Router.builder()
                .retry(r -> r.maxRetries(0))
                .provider("a", failingWith(ScriptedChatModel::rateLimited))
                .provider("b", answering("Hello from b"))
                .build();

        // WHEN / THEN
        assertThat(model.chat("hi")).isEqualTo("Hello from b");
    }

    @Test
    void chatWithRequestReturnsTheServingModelsResponse() {
        // GIVEN a router over an answering provider
        ScriptedChatModel a = answering("Hello from a");
        ChatModel model = Router.builder().provider("a", a).build();

        // WHEN
        ChatResponse response = model.chat(request("hi"));

        // THEN the provider's own response object comes back
        assertThat(response).isSameAs(a.response());
    }

    @Test
    void chatWithMessagesRoutesThem() {
        // GIVEN a router over an answering provider
        ScriptedChatModel a = answering("Hello from a");
        ChatModel model = Router.builder().provider("a", a).build();

        // WHEN
        ChatResponse response = model.chat(UserMessage.from("hi"));

        // THEN
        assertThat(response.aiMessage().text()).isEqualTo("Hello from a");
        assertThat(a.lastRequest().messages()).containsExactly(UserMessage.from("hi"));
    }

    @Test
    void passesMessagesAndParametersToTheServingModel() {
        // GIVEN a request with a temperature and an output limit
        ScriptedChatModel a = answering("Hello from a");
        ChatModel model = Router.builder().provider("a", a).build();
        ChatRequest request = request("hi").toBuilder().temperature(0.2).maxOutputTokens(50).build();

        // WHEN
        model.chat(request);

        // THEN the provider received them
        assertThat(a.lastRequest().messages()).isEqualTo(request.messages());
        assertThat(a.lastRequest().parameters().temperature()).isEqualTo(0.2);
        assertThat(a.lastRequest().parameters().maxOutputTokens()).isEqualTo(50);
    }

    @Test
    void chatThrowsTheRoutingFailure() {
        // GIVEN every provider failing
        ChatModel model = Router.builder()
                .retry(r -> r.maxRetries(0))
                .provider("a", failingWith(ScriptedChatModel::unavailable))
                .build();

        // WHEN / THEN a typed LlmException reaches the LangChain4j caller
        assertThatThrownBy(() -> model.chat("hi")).isInstanceOf(LlmException.AllProvidersFailed.class);
    }

    @Test
    void reportsOnlyCapabilitiesEveryProviderSupports() {
        // GIVEN one provider with JSON schema output and one without
        ChatModel mixed = Router.builder()
                .provider("a", answering("a").supporting(Capability.RESPONSE_FORMAT_JSON_SCHEMA))
                .provider("b", answering("b"))
                .build();
        ChatModel uniform = Router.builder()
                .provider("a", answering("a").supporting(Capability.RESPONSE_FORMAT_JSON_SCHEMA))
                .provider("b", answering("b").supporting(Capability.RESPONSE_FORMAT_JSON_SCHEMA))
                .build();

        // WHEN / THEN a fallback must be able to serve what the first could
        assertThat(mixed.supportedCapabilities()).isEmpty();
        assertThat(uniform.supportedCapabilities()).containsExactly(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }
}
