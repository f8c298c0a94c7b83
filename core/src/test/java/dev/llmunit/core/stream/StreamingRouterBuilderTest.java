package dev.llmunit.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The streaming router builder refuses bad settings where they are made, naming the value. */
class StreamingRouterBuilderTest {

    private static final StreamingChatModel MODEL = new StreamingChatModel() {
        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            throw new UnsupportedOperationException("not called by these tests");
        }
    };

    @Test
    void aRouterWithoutProvidersIsRefusedAtBuild() {
        assertThatThrownBy(() -> StreamingRouter.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs at least one streaming provider");
    }

    @Test
    void negativeRestartsAreRefused() {
        assertThatThrownBy(() -> StreamingRouter.builder().maxRestarts(-1))
                .hasMessage("maxRestarts must be at least 0, but was -1");
    }

    @Test
    void zeroOrNegativeTimeoutsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> StreamingRouter.builder().timeouts(t -> t.firstToken(Duration.ZERO)))
                .hasMessage("firstToken timeout must be positive, but was 0 ms");
        assertThatThrownBy(() -> StreamingRouter.builder().timeouts(t -> t.betweenTokens(Duration.ofMillis(-5))))
                .hasMessage("betweenTokens timeout must be positive, but was -5 ms");
    }

    @Test
    void aBlankContinuePromptIsRefused() {
        assertThatThrownBy(() -> StreamingRouter.builder().continuePrompt(" "))
                .hasMessage("continuePrompt must not be blank, but was ' '");
    }

    @Test
    void aDuplicateProviderNameIsRefusedByTheRoutingPipeline() {
        assertThatThrownBy(() -> StreamingRouter.builder().provider("openai", MODEL).provider("openai", MODEL))
                .hasMessageContaining("provider name 'openai' is already used");
    }

    @Test
    void buildsWithThePolicyAndTheProvidersInOrder() {
        StreamingRouter router = StreamingRouter.builder().provider("a", MODEL).provider("b", MODEL, p -> p.priority(-1))
                .midStreamPolicy(MidStreamPolicy.CONTINUE).build();
        assertThat(router.providers()).containsExactly("b", "a");
        assertThat(router.midStreamPolicy()).isEqualTo(MidStreamPolicy.CONTINUE);
        assertThat(router.router().providers()).containsExactly("b", "a");
    }
}
