package dev.llmunit.samples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.core.optimize.ParameterTuningStrategy;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.optimize.TaskType;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.LlmTest;
import dev.llmunit.junit.OptimizerExperiment;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A tuning that hurts: parameter tuning with a 16-token output cap for classification, tempting
 * because a category is one word, but the triage answer is a JSON object with a summary, so the
 * provider cuts it off ({@code finish_reason: length}) and the service cannot parse it. The
 * experiment gates on arm A (the service as it is), so the suite stays green while the report's
 * "Optimizer effects" shows what arm B would have cost in quality.
 */
@LlmTest(fixtures = "triage", providers = "openai:gpt-4o-mini")
@OptimizerExperiment(optimizer = "cappedOutput", gate = "A")
class TriageOutputCapExperimentTest {

    static final java.util.List<EmailTickets.Expected> TICKETS = EmailTickets.ALL;

    private TriageService service;

    static QueryOptimizer cappedOutput() {
        return QueryOptimizer.builder()
                .strategy(new ParameterTuningStrategy(Map.of(TaskType.CLASSIFICATION, new ParameterTuningStrategy.Tuning(0.0, 16))))
                .plan(TaskType.CLASSIFICATION, "parameter-tuning")
                .scorer(TriageQuality.SCORER)
                .build();
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
