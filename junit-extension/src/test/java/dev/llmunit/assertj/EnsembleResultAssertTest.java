package dev.llmunit.assertj;

import static dev.llmunit.assertj.LlmAssertions.assertThat;
import static dev.llmunit.core.cost.Usd.usd;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.ensemble.AnswerKey;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.ensemble.MergeStrategy;
import org.junit.jupiter.api.Test;

/**
 * {@code assertThat(EnsembleResult)} over a real ensemble of three in-memory members: two samples
 * of one answering BILLING, one answering BUG. Each answer costs $0.00027 (gpt-4o-mini, 1000 in, 200 out).
 */
class EnsembleResultAssertTest {

    private static final EnsembleResult RESULT = Ensemble.builder()
            .name("triage")
            .member("openai", Routes.Stub.answering(Routes.answer("{\"category\": \"BILLING\"}", Routes.PRICED_MODEL)),
                    m -> m.samples(2))
            .member("anthropic", Routes.Stub.answering(Routes.answer("{\"category\": \"BUG\"}", Routes.PRICED_MODEL)))
            .answerKey(AnswerKey.jsonPointer("/category"))
            .build()
            .run(Routes.request());

    @Test
    void passesWhatTheRunDid() {
        assertThat(RESULT)
                .hasConfidenceAtLeast(0.6)
                .agreedBy(2)
                .chose("openai")
                .chose("openai#1")
                .hasClusters(2)
                .memberAnswered("openai", "billing")
                .memberAnswered("anthropic", "BUG")
                .memberAnswered("openai#2")
                .costsAtMost(usd("0.00081"))
                .contains("BILLING")
                .isValidJson();
    }

    @Test
    void aLowConfidenceFailureShowsEveryMembersAnswerClusterAndCost() {
        assertThatThrownBy(() -> assertThat(RESULT).hasConfidenceAtLeast(0.8))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(String.format("%nExpecting actual:%n  ensemble \"triage\" (majorityVote over json /category) chose"
                        + " openai#1 \"BILLING\", confidence 0.667 (raw; agreement 0.667), $0.00081, "))
                .hasMessageContaining(String.format("%n    openai#1: ANSWERED in cluster 1, $0.00027, "))
                .hasMessageContaining(String.format(" ms, \"{\"category\": \"BILLING\"}\"%n    openai#2: ANSWERED in cluster 1, $0.00027, "))
                .hasMessageContaining(String.format("%n    anthropic: ANSWERED in cluster 2, $0.00027, "))
                .hasMessageContaining(String.format("%n  clusters:%n    1. \"BILLING\": openai#1, openai#2 (2 votes, weight 2.00)%n"
                        + "    2. \"BUG\": anthropic (1 vote, weight 1.00)%n"))
                .hasMessageEndingWith(String.format("to have a confidence of at least:%n  0.800%nbut had:%n  0.667 (raw; agreement 0.667)"));
    }

    @Test
    void eachCheckSaysWhatWasThereInstead() {
        assertThatThrownBy(() -> assertThat(RESULT).agreedBy(3))
                .hasMessageEndingWith(String.format("to have its answer agreed by at least:%n  3 member samples%nbut it was agreed by:%n"
                        + "  2 member samples"));
        assertThatThrownBy(() -> assertThat(RESULT).chose("anthropic"))
                .hasMessageEndingWith(String.format("to have chosen the answer of:%n  \"anthropic\"%nbut chose:%n  \"openai#1\""));
        assertThatThrownBy(() -> assertThat(RESULT).hasClusters(1))
                .hasMessageEndingWith(String.format("to have:%n  1 cluster%nbut had:%n  2 clusters"));
        assertThatThrownBy(() -> assertThat(RESULT).memberAnswered("anthropic", "BILLING"))
                .hasMessageEndingWith(String.format("to have anthropic answer:%n  \"BILLING\"%nbut:%n  anthropic: ANSWERED \"BUG\""));
        assertThatThrownBy(() -> assertThat(RESULT).memberAnswered("gemini"))
                .hasMessageEndingWith(String.format("to have a member:%n  \"gemini\"%nbut its member samples are:%n"
                        + "  [\"openai#1\", \"openai#2\", \"anthropic\"]"));
        assertThatThrownBy(() -> assertThat(RESULT).costsAtMost(usd("0.0008")))
                .hasMessageEndingWith(String.format("to cost at most:%n  $0.0008%nbut cost:%n  $0.00081"));
    }

    @Test
    void aFusedAnswerIsChosenByNoMember() {
        EnsembleResult fused = Ensemble.builder()
                .member("a", Routes.Stub.answering(Routes.bare("BILLING")))
                .merge(MergeStrategy.fuse(Routes.Stub.answering(Routes.bare("Billing"))))
                .build().run(Routes.request());

        assertThat(fused).chose("fused").agreedBy(1);
        assertThatThrownBy(() -> assertThat(fused).chose("a")).hasMessageContaining("but chose:%n  \"fused\"".formatted());
    }

    @Test
    void badArgumentsAndANullResultAreRefused() {
        assertThatThrownBy(() -> assertThat(RESULT).hasConfidenceAtLeast(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the least confidence must be between 0 and 1, but was 1.5");
        assertThatThrownBy(() -> assertThat(RESULT).agreedBy(0)).hasMessage("agreedBy needs at least 1 member, but was 0");
        assertThatThrownBy(() -> assertThat((EnsembleResult) null).chose("a")).isInstanceOf(AssertionError.class);
    }
}
