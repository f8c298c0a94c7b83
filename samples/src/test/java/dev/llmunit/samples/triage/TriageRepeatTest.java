package dev.llmunit.samples.triage;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.core.route.Router;
import dev.llmunit.junit.CostBudget;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.LlmRepeat;
import dev.llmunit.junit.LlmTest;
import org.junit.jupiter.api.Test;

/**
 * A model does not answer the same ticket the same way every time. {@code @LlmRepeat} runs the
 * test five times, each run playing its own recorded sample of the request (recorded as five
 * samples in {@code auto} mode), and passes it when four of five runs pass.
 */
@LlmTest(fixtures = "triage", providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
@CostBudget(perTest = "0.001")
class TriageRepeatTest {

    @Test
    @LlmRepeat(value = 5, reducer = "minPassRate(0.8)")
    void aDoubleChargeIsHighPriorityBillingInFourOfFiveRuns(Router router, LlmCalls calls) {
        Triage triage = new TriageService(router).triage(TriageTickets.DOUBLE_CHARGE);

        assertThat(calls).hasSize(1);
        assertThat(triage.category()).isEqualTo(Category.BILLING);
        assertThat(triage.priority()).isEqualTo(Priority.HIGH);
    }
}
