package dev.llmunit.core.ensemble;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.route.ScriptedChatModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The ensemble's own meters, and its wrapped members' router meters in the same registry. */
class EnsembleMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void countsRunsAgreementAndMemberOutcomes() {
        Ensemble ensemble = Ensemble.builder().name("triage")
                .member("a", answering("BILLING"))
                .member("b", answering("BILLING"))
                .member("c", failingWith(ScriptedChatModel::invalidRequest))
                .meterRegistry(registry)
                .build();

        ensemble.run(request("q"));
        ensemble.run(request("q"));

        assertThat(registry.get("llmunit.ensemble.calls").tag("llmunit.ensemble", "triage").tag("llmunit.merge", "majorityVote")
                .tag("llmunit.outcome", "succeeded").timer().count()).isEqualTo(2);
        assertThat(registry.get("llmunit.ensemble.agreement").summary().mean()).isEqualTo(2.0 / 3);
        assertThat(registry.get("llmunit.ensemble.members").tag("llmunit.member", "a").tag("llmunit.outcome", "answered").counter()
                .count()).isEqualTo(2);
        assertThat(registry.get("llmunit.ensemble.members").tag("llmunit.member", "c").tag("llmunit.outcome", "failed").counter()
                .count()).isEqualTo(2);
        assertThat(registry.get("llmunit.calls").tag("llmunit.router", "triage-a").tag("llmunit.outcome", "succeeded").timer().count())
                .as("the member's own router reports its attempts").isEqualTo(2);
    }

    @Test
    void countsFailedRunsByHowTheyEnded() {
        Ensemble ensemble = Ensemble.builder().member("a", answering("")).filter(AnswerFilter.nonEmpty()).meterRegistry(registry).build();

        assertThatThrownBy(() -> ensemble.run(request("q"))).isInstanceOf(EnsembleException.AllFiltered.class);

        assertThat(registry.get("llmunit.ensemble.calls").tag("llmunit.outcome", "all_filtered").timer().count()).isEqualTo(1);
        assertThat(registry.get("llmunit.ensemble.members").tag("llmunit.member", "a").tag("llmunit.outcome", "filtered").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void countsFallbacksToTheConsensus() {
        Ensemble ensemble = Ensemble.builder().member("a", answering("x"))
                .merge(MergeStrategy.bestOfN(Judge.scoring((request, answer) -> 2))).meterRegistry(registry).build();

        ensemble.run(request("q"));

        assertThat(registry.get("llmunit.ensemble.fallbacks").counter().count()).isEqualTo(1);
    }
}
