package dev.llmunit.samples.triage;

import static dev.llmunit.core.cost.Usd.usd;
import static dev.llmunit.samples.triage.TriageTickets.LOCKED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.output.FinishReason;
import dev.llmunit.assertj.LlmSoftAssertions;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.LatencyBudget;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.LlmExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension registered in code instead of with {@code @LlmTest}, the way to configure llmunit
 * when a setting needs code; and soft assertions, which report every mismatch of a triage at once.
 */
class TriageSoftAssertionsTest {

    @RegisterExtension
    static LlmExtension llm = LlmExtension.builder()
            .fixtures("triage")
            .providers("openai:gpt-4o-mini", "anthropic:claude-haiku-4-5")
            .build();

    @Test
    @LatencyBudget(perCall = "700ms")
    void triagesALockedOutCustomerAsHighPriorityAccount(Router router, LlmCalls calls) {
        // WHEN
        RoutedTriage result = new TriageService(router).triageRouted(LOCKED_OUT);

        // THEN every check runs and all mismatches are reported together
        LlmSoftAssertions.assertSoftly(softly -> {
            // LlmSoftAssertions has llmunit's assertThat only (responses, the ledger, one call);
            // plain AssertJ checks join through check(..)
            softly.check(() -> assertThat(result.triage().category()).isEqualTo(Category.ACCOUNT));
            softly.check(() -> assertThat(result.triage().priority()).isEqualTo(Priority.HIGH));
            softly.check(() -> assertThat(result.triage().summary()).contains("locked", "password reset"));
            // gpt-4o-mini: 240 input x $0.15/M = $0.000036, 26 output x $0.60/M = $0.0000156; total $0.0000516
            softly.assertThat(result.route())
                    .wasServedBy("openai")
                    .hadNoFallbacks()
                    .costs(usd("0.0000516"))
                    .hasInputTokens(240)
                    .hasOutputTokens(26)
                    .hasFinishReason(FinishReason.STOP);
            softly.assertThat(calls).hasSize(1).allServedBy("openai").eachCompletedWithin(Duration.ofMillis(700));
            softly.check(() -> assertThat(calls.last().judgedLatency()).isEqualTo(Duration.ofMillis(655)));
        });
    }
}
