package dev.llmunit.core.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.cost.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenCountsTest {

    private static final String TICKET = "Since the update the CSV export fails with error 500 for every report over 10 MB. Account ACME-42.";

    private static ChatRequest ticket(int n) {
        return ChatRequest.builder().messages(SystemMessage.from("Classify the ticket as BUG, BILLING or QUESTION."),
                UserMessage.from("Hi team,\n\nTicket " + n + ": " + TICKET + "\n\n> " + TICKET + "\n\nThanks in advance!\nKind regards,\nDana"))
                .build();
    }

    @Test
    void theOptimizersTokensAreTheStandardEstimatorsWhetherATextWasSeenBeforeOrNot() {
        QueryOptimizer optimizer = QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression", "few-shot").build();
        TokenEstimator standard = TokenEstimator.standard();
        List<OptimizedRequest> results = new ArrayList<>();
        // Far more distinct tickets than the table has slots, each optimized twice: misses, hits and evicted slots.
        for (int round = 0; round < 2; round++) {
            for (int n = 0; n < 3 * TokenCounts.SLOTS; n++) {
                results.add(optimizer.optimize(ticket(n)));
            }
        }

        for (OptimizedRequest result : results) {
            assertThat(result.tokensBefore()).isEqualTo(standard.estimateInputTokens(result.original().messages()));
            assertThat(result.tokensAfter()).isEqualTo(standard.estimateInputTokens(result.request().messages()));
        }
        assertThat(results.get(0).tokensSaved()).isPositive();
    }

    @Test
    void aTextLongerThanTheCachedLimitIsCountedExactly() {
        String longText = "The export fails again. ".repeat(TokenCounts.MAX_CACHED_CHARS / 20);
        List<ChatMessage> messages = List.of(UserMessage.from(longText), AiMessage.from("BUG"));
        TokenCounts counts = new TokenCounts(TokenEstimator.standard());

        assertThat(counts.estimate(messages)).isEqualTo(TokenEstimator.standard().estimateInputTokens(messages));
        assertThat(counts.estimate(messages)).isEqualTo(TokenEstimator.standard().estimateInputTokens(messages));
    }

    @Test
    void aCustomEstimatorIsAskedForEveryCount() {
        AtomicInteger calls = new AtomicInteger();
        TokenEstimator perMessage = messages -> {
            calls.incrementAndGet();
            return 100 * messages.size();
        };
        QueryOptimizer optimizer = QueryOptimizer.builder().tokenEstimator(perMessage).plan(TaskType.CLASSIFICATION, "compression").build();

        OptimizedRequest first = optimizer.optimize(ticket(1));
        OptimizedRequest again = optimizer.optimize(ticket(1));

        assertThat(first.tokensBefore()).isEqualTo(200);
        assertThat(again.tokensAfter()).isEqualTo(200);
        assertThat(calls).hasValue(4);
    }
}
