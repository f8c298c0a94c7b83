package dev.llmunit.samples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.optimize.TaskType;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.LlmTest;
import dev.llmunit.junit.OptimizerExperiment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Does compression pay off on e-mailed tickets? Each ticket is triaged twice: arm A sends the
 * e-mail as it came, arm B lets the optimizer's compression drop the greeting, the quoted earlier
 * message, the sign-off and the footer first. The report's "Optimizer effects" measures the
 * paired difference in cost and quality; the test passes or fails by arm B, and the baseline
 * records arm B.
 */
@LlmTest(fixtures = "triage", providers = "openai:gpt-4o-mini")
@OptimizerExperiment(optimizer = "compressing")
class TriageCompressionExperimentTest {

    static final java.util.List<EmailTickets.Expected> TICKETS = EmailTickets.ALL;

    private TriageService service;

    static QueryOptimizer compressing() {
        return QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression").scorer(TriageQuality.SCORER).build();
    }

    @BeforeEach
    void createService(Router router) {
        service = new TriageService(router);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TICKETS")
    void triagesAnEmailedTicket(EmailTickets.Expected expected) {
        Triage triage = service.triage(expected.ticket());

        assertThat(triage.category()).isEqualTo(expected.category());
        assertThat(triage.priority()).isEqualTo(expected.priority());
    }
}
