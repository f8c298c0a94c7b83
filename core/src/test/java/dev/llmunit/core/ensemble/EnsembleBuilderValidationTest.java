package dev.llmunit.core.ensemble;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad ensemble configuration fails where it is written, naming the value and the fix. */
class EnsembleBuilderValidationTest {

    @Test
    void refusesAnEnsembleWithoutMembers() {
        assertThatThrownBy(() -> Ensemble.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("an ensemble needs at least one member: call member(name, model) before build()");
    }

    @Test
    void refusesADuplicateMemberName() {
        EnsembleBuilder builder = Ensemble.builder().member("openai", answering("a"));

        assertThatThrownBy(() -> builder.member("openai", answering("b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("member name 'openai' is already used; give each member a distinct name (for the same model asked several"
                        + " times, use samples(n))");
    }

    @Test
    void refusesABlankMemberNameAndOneWithTheSampleSeparator() {
        assertThatThrownBy(() -> Ensemble.builder().member(" ", answering("a")))
                .hasMessage("member name must not be blank, but was ' '");
        assertThatThrownBy(() -> Ensemble.builder().member("openai#2", answering("a")))
                .hasMessageContaining("must not contain '#'");
    }

    @Test
    void refusesANegativeOrNonFiniteWeight() {
        assertThatThrownBy(() -> Ensemble.builder().member("openai", answering("a"), m -> m.weight(-0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight of member 'openai' must be a finite number of at least 0, but was -0.5");
        assertThatThrownBy(() -> Ensemble.builder().member("openai", answering("a"), m -> m.weight(Double.NaN)))
                .hasMessage("weight of member 'openai' must be a finite number of at least 0, but was NaN");
    }

    @Test
    void refusesAnEnsembleWhoseWeightsAreAllZero() {
        assertThatThrownBy(() -> Ensemble.builder().member("a", answering("x"), m -> m.weight(0)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("every member of ensemble 'ensemble' has weight 0");
    }

    @Test
    void refusesFewerThanOneSample() {
        assertThatThrownBy(() -> Ensemble.builder().member("openai", answering("a"), m -> m.samples(0)))
                .hasMessage("samples of member 'openai' must be at least 1, but was 0");
    }

    @Test
    void refusesMoreMinMembersThanSamples() {
        assertThatThrownBy(() -> Ensemble.builder().member("a", answering("x"), m -> m.samples(2)).minMembers(3).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("minMembers is 3 but ensemble 'ensemble' asks only 2 member samples per run; lower minMembers or add members");
        assertThatThrownBy(() -> Ensemble.builder().minMembers(0)).hasMessage("minMembers must be at least 1, but was 0");
    }

    @Test
    void refusesATimeoutOfZero() {
        assertThatThrownBy(() -> Ensemble.builder().timeout(Duration.ZERO))
                .hasMessage("ensemble timeout must be more than zero, but was PT0S");
    }

    @Test
    void refusesASemanticThresholdOutsideZeroToOne() {
        assertThatThrownBy(() -> AnswerKey.semantic(new FixedEmbeddings(), 1.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("semantic answer key threshold must be between 0 and 1, but was 1.2");
        assertThatThrownBy(() -> AnswerKey.semantic(new FixedEmbeddings(), -0.1))
                .hasMessage("semantic answer key threshold must be between 0 and 1, but was -0.1");
    }

    @Test
    void refusesAJudgeFilterMinimumOutsideZeroToOne() {
        assertThatThrownBy(() -> AnswerFilter.judgeScoreAtLeast(Judge.scoring((request, answer) -> 1), 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("judgeScoreAtLeast's minimum score must be between 0 and 1, but was 7.0 (a judge model's 0 to 10 scores are"
                        + " divided by 10)");
    }

    @Test
    void refusesEarlyStopWithAStrategyThatNeedsEveryAnswer() {
        assertThatThrownBy(() -> Ensemble.builder().member("a", answering("x"))
                .merge(MergeStrategy.bestOfN(Judge.scoring((request, answer) -> 1))).earlyStop().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("earlyStop() needs a voting strategy (majorityVote() or weightedConsensus()), but the strategy is bestOfN,"
                        + " which needs every answer; remove earlyStop() or vote");
    }

    @Test
    void refusesEarlyStopWithAJudgeFilter() {
        assertThatThrownBy(() -> Ensemble.builder().member("a", answering("x"))
                .filter(AnswerFilter.judgeScoreAtLeast(Judge.scoring((request, answer) -> 1), 0.5)).earlyStop().build())
                .hasMessageContaining("earlyStop() cannot be combined with AnswerFilter.judgeScoreAtLeast(..)");
    }

    @Test
    void refusesAnEnsembleAsAMember() {
        Ensemble inner = Ensemble.builder().member("a", answering("x")).build();

        assertThatThrownBy(() -> Ensemble.builder().member("inner", inner))
                .hasMessageContaining("member 'inner' is an Ensemble");
    }

    @Test
    void refusesBadAnswerKeys() {
        assertThatThrownBy(() -> AnswerKey.jsonPointer("category"))
                .hasMessageStartingWith("'category' is not a JSON Pointer (RFC 6901); write one such as \"/category\"");
        assertThatThrownBy(() -> AnswerKey.regex("(unclosed"))
                .hasMessageStartingWith("answer key regex '(unclosed' does not compile");
    }

    @Test
    void refusesABlankRubricOrFuserInstruction() {
        assertThatThrownBy(() -> Judge.model(answering("x"), " ")).hasMessage("judge rubric must not be blank, but was ' '");
        assertThatThrownBy(() -> MergeStrategy.fuse(answering("x"), "")).hasMessage("fuser instruction must not be blank, but was ''");
    }

    /** An embedding model that gives every text the same vector. */
    static final class FixedEmbeddings implements EmbeddingModel {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream().map(segment -> Embedding.from(new float[] {1, 0})).toList());
        }
    }
}
