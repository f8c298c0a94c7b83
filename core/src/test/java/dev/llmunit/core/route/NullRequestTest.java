package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.stream.StreamingRouter;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A null where a request or handler belongs is the caller's mistake: every call entry point says
 * which method and parameter, and what to pass, before anything is routed (issue 15.9), instead of
 * a NullPointerException from deep inside routing.
 */
class NullRequestTest {

    private static final String FIX = "pass a ChatRequest with at least one message, such as "
            + "ChatRequest.builder().messages(UserMessage.from(\"Hello\")).build()";

    private final ScriptedChatModel provider = answering("Paris");
    private final Router router = Router.builder().provider("openai", provider).build();

    @Test
    void routeNullNamesTheMethodTheParameterAndWhatToPass() {
        assertRefused(() -> router.route(null), "Router.route(request): request is null; " + FIX);
        assertThat(provider.calls()).isZero();
    }

    @Test
    void routeAsyncNullIsRefusedOnTheCallersThreadNotAsAFailedFuture() {
        assertRefused(() -> router.routeAsync(null), "Router.routeAsync(request): request is null; " + FIX);
        assertThat(provider.calls()).isZero();
    }

    @Test
    void chatNullOfTheChatModelInterfaceIsRefusedTheSameWay() {
        assertRefused(() -> router.chat((ChatRequest) null), "Router.chat(request): request is null; " + FIX);
        // LangChain4j's own String overload refuses a null text itself, also without an NPE.
        assertThatThrownBy(() -> router.chat((String) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text");
        assertThat(provider.calls()).isZero();
    }

    @Test
    void theRouterStillAnswersAfterARefusedNull() {
        assertRefused(() -> router.route(null), "Router.route(request): request is null; " + FIX);
        RoutedResponse answer = router.route(ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build());
        assertThat(answer.chatResponse().aiMessage().text()).isEqualTo("Paris");
        assertThat(provider.calls()).isEqualTo(1);
    }

    @Test
    void ensembleEntryPointsRefuseANullRequest() {
        Ensemble ensemble = Ensemble.builder().member("openai", provider).member("anthropic", answering("Paris")).build();
        assertRefused(() -> ensemble.run(null), "Ensemble.run(request): request is null; " + FIX);
        assertRefused(() -> ensemble.runAsync(null), "Ensemble.runAsync(request): request is null; " + FIX);
        assertRefused(() -> ensemble.chat((ChatRequest) null), "Ensemble.chat(request): request is null; " + FIX);
        assertThat(provider.calls()).isZero();
    }

    @Test
    void streamingRouterRefusesANullRequestOrHandler() {
        StreamingChatModel neverCalled = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                throw new AssertionError("a refused call must not reach the provider");
            }
        };
        StreamingRouter streaming = StreamingRouter.builder().provider("openai", neverCalled).build();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {}

            @Override
            public void onError(Throwable error) {}
        };
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Hi")).build();

        assertRefused(() -> streaming.route(null, handler), "StreamingRouter.route(request): request is null; " + FIX);
        assertRefused(() -> streaming.chat((ChatRequest) null, handler), "StreamingRouter.chat(request): request is null; " + FIX);
        assertRefused(() -> streaming.route(request, null), "StreamingRouter.route(request, handler): handler is null; "
                + "pass a StreamingChatResponseHandler (onPartialResponse, onCompleteResponse, onError) to receive the answer");
    }

    private static void assertRefused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
