package dev.llmunit.samples.triage;

import dev.llmunit.core.route.Router;
import dev.llmunit.engine.LlmCases;
import dev.llmunit.engine.LlmTarget;
import dev.llmunit.engine.Var;
import dev.llmunit.junit.CostBudget;

/**
 * The triage eval cases of {@code src/test/resources/llmunit/evals/triage/tickets.yaml}, one test
 * per case, run by llmunit's engine on the recorded {@code triage} fixtures: each case's ticket is
 * triaged by the real {@link TriageService} over the injected router, and the {@link Triage} it
 * returns (written as JSON) is checked by the case's assertions.
 */
@LlmCases(value = "evals/triage/*.yaml", fixtures = "triage", providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"},
        judge = "openai:gpt-4o-mini")
@CostBudget(perTest = "0.0005")
class TriageEvalTest {

    @LlmTarget
    Triage triage(@Var("id") String id, @Var("subject") String subject, @Var("body") String body, Router router) {
        return new TriageService(router).triage(new Ticket(id, subject, body));
    }
}
