package dev.llmunit.core.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.cost.Usd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizationHistoryTest {

    @TempDir
    Path dir;

    private static HistoryEntry outcome(TaskType type, double quality, String... strategies) {
        return new HistoryEntry(type, List.of(strategies), quality, Usd.usd("0.000100"), null, null);
    }

    @Test
    void keepsTenThousandEntriesByDefaultAndEvictsTheOldest() {
        OptimizationHistory history = new OptimizationHistory();
        for (int i = 0; i < 10_005; i++) {
            history.add(new HistoryEntry(TaskType.CODE, List.of(), 1.0, Usd.ZERO, "prompt " + i, "answer " + i));
        }

        assertThat(history.capacity()).isEqualTo(10_000);
        assertThat(history.size()).isEqualTo(10_000);
        assertThat(history.added()).isEqualTo(10_005);
        assertThat(history.entries().get(0).prompt()).isEqualTo("prompt 5");
        assertThat(history.entries().get(9_999).prompt()).isEqualTo("prompt 10004");
    }

    @Test
    void estimatesForgetEvictedOutcomes() {
        OptimizationHistory history = new OptimizationHistory(3);
        history.add(outcome(TaskType.CLASSIFICATION, 0.0, "compression"));
        history.add(outcome(TaskType.CLASSIFICATION, 0.0, "compression"));
        history.add(outcome(TaskType.CLASSIFICATION, 0.0, "compression"));
        assertThat(history.estimate(TaskType.CLASSIFICATION, List.of("compression")).mean()).isEqualTo(0.2); // Beta(1, 4)

        history.add(outcome(TaskType.CLASSIFICATION, 1.0, "compression"));
        history.add(outcome(TaskType.CLASSIFICATION, 1.0, "compression"));
        history.add(outcome(TaskType.CLASSIFICATION, 1.0, "compression"));

        QualityEstimate estimate = history.estimate(TaskType.CLASSIFICATION, List.of("compression"));
        assertThat(estimate.samples()).isEqualTo(3);
        assertThat(estimate.mean()).isEqualTo(0.8); // Beta(4, 1): the zeros are gone
    }

    @Test
    void theUncertaintyShrinksWithMoreOutcomes() {
        OptimizationHistory history = new OptimizationHistory();
        QualityEstimate none = history.estimate(TaskType.SUMMARIZATION, List.of());
        history.add(outcome(TaskType.SUMMARIZATION, 1.0));
        QualityEstimate one = history.estimate(TaskType.SUMMARIZATION, List.of());
        for (int i = 0; i < 99; i++) {
            history.add(outcome(TaskType.SUMMARIZATION, i % 10 == 0 ? 0.0 : 1.0));
        }
        QualityEstimate hundred = history.estimate(TaskType.SUMMARIZATION, List.of());

        assertThat(none.mean()).isEqualTo(0.5);
        assertThat(one.standardError()).isLessThan(none.standardError());
        assertThat(hundred.standardError()).isLessThan(0.04);
        assertThat(hundred.mean()).isBetween(0.85, 0.93);
        assertThat(hundred.low()).isLessThan(hundred.mean());
        assertThat(hundred.high()).isGreaterThan(hundred.mean());
    }

    @Test
    void strategySetsAreTheSameInAnyOrderAndSeparateFromOtherTypes() {
        OptimizationHistory history = new OptimizationHistory();
        history.add(outcome(TaskType.CODE, 1.0, "compression", "few-shot"));

        assertThat(history.estimate(TaskType.CODE, List.of("few-shot", "compression")).samples()).isEqualTo(1);
        assertThat(history.estimate(TaskType.CODE, List.of("few-shot")).samples()).isZero();
        assertThat(history.estimate(TaskType.EXTRACTION, List.of("few-shot", "compression")).samples()).isZero();
    }

    @Test
    void examplesAreTheBestScoredOfTheTypeAndSurviveEviction() {
        OptimizationHistory history = new OptimizationHistory(5);
        history.add(new HistoryEntry(TaskType.CLASSIFICATION, List.of(), 0.9, Usd.ZERO, "old", "A"));
        history.add(new HistoryEntry(TaskType.CLASSIFICATION, List.of(), 1.0, Usd.ZERO, "best", "B"));
        history.add(new HistoryEntry(TaskType.CLASSIFICATION, List.of(), 0.5, Usd.ZERO, "poor", "C"));
        history.add(new HistoryEntry(TaskType.EXTRACTION, List.of(), 1.0, Usd.ZERO, "other type", "D"));

        assertThat(history.examples(TaskType.CLASSIFICATION, 3)).extracting(HistoryEntry::prompt).containsExactly("best", "old");

        for (int i = 0; i < 3; i++) {
            history.add(outcome(TaskType.CODE, 1.0)); // evicts "old", "best" and "poor"
        }
        assertThat(history.examples(TaskType.CLASSIFICATION, 3)).isEmpty();
        assertThat(history.examples(TaskType.EXTRACTION, 3)).extracting(HistoryEntry::prompt).containsExactly("other type");
    }

    @Test
    void savesAndLoadsEveryField() {
        OptimizationHistory history = new OptimizationHistory();
        history.add(new HistoryEntry(TaskType.EXTRACTION, List.of("compression", "structured-output"), 0.75, Usd.usd("0.000123"),
                "Order 7 for Ana", "{\"name\":\"Ana\"}"));
        history.add(outcome(TaskType.REASONING, 0.0, "step-by-step"));
        Path file = dir.resolve("history.json");

        history.save(file);
        OptimizationHistory loaded = OptimizationHistory.load(file, QueryOptimizerBuilder.builtInNames(), 100);

        assertThat(loaded.entries()).isEqualTo(history.entries());
        assertThat(loaded.capacity()).isEqualTo(100);
    }

    @Test
    void aCorruptFileNamesTheFileAndThePosition() throws Exception {
        Path file = dir.resolve("corrupt.json");
        Files.writeString(file, "{\n  \"format\": \"llmunit-optimizer-history\",\n  \"entries\": [ {\"taskType\": \"CODE\" \n");

        assertThatThrownBy(() -> OptimizationHistory.load(file, QueryOptimizerBuilder.builtInNames(), 10))
                .isInstanceOf(InvalidHistoryException.class)
                .hasMessageContaining("optimizer history file " + file)
                .hasMessageContaining("not valid JSON at line 4")
                .hasMessageContaining("delete it to start with an empty history");
    }

    @Test
    void anUnknownStrategyNameListsTheKnownOnes() throws Exception {
        Path file = dir.resolve("typo.json");
        Files.writeString(file, "{\"format\": \"llmunit-optimizer-history\", \"version\": 1, \"entries\": ["
                + "{\"taskType\": \"CODE\", \"strategies\": [\"compresion\"], \"quality\": 1, \"costUsd\": \"0\"}]}");

        assertThatThrownBy(() -> OptimizationHistory.load(file, QueryOptimizerBuilder.builtInNames(), 10))
                .isInstanceOf(InvalidHistoryException.class)
                .hasMessage("optimizer history file " + file + ": entries[0].strategies[0] is \"compresion\", which is not a strategy of "
                        + "this optimizer; known strategies: compression, few-shot, parameter-tuning, step-by-step, structured-output");
    }

    @Test
    void badFieldsNameTheirPathAndValue() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"format\": \"llmunit-optimizer-history\", \"entries\": ["
                + "{\"taskType\": \"POETRY\", \"strategies\": [], \"quality\": 1, \"costUsd\": \"0\"}]}");
        assertThatThrownBy(() -> OptimizationHistory.load(file, List.of(), 10))
                .hasMessageContaining("entries[0].taskType is \"POETRY\", which is not a task type; known task types: [CLASSIFICATION,");

        Files.writeString(file, "{\"format\": \"llmunit-optimizer-history\", \"entries\": ["
                + "{\"taskType\": \"CODE\", \"strategies\": [], \"quality\": 1.5, \"costUsd\": \"0\"}]}");
        assertThatThrownBy(() -> OptimizationHistory.load(file, List.of(), 10))
                .hasMessageContaining("entries[0].quality must be a number from 0 to 1, but was 1.5");

        Files.writeString(file, "[1, 2]");
        assertThatThrownBy(() -> OptimizationHistory.load(file, List.of(), 10))
                .hasMessageContaining("expected a JSON object with \"format\"");
    }

    @Test
    void aMissingFileIsAClearError() {
        Path file = dir.resolve("nope.json");

        assertThatThrownBy(() -> OptimizationHistory.load(file, List.of(), 10))
                .isInstanceOf(InvalidHistoryException.class)
                .hasMessage("optimizer history file " + file + ": cannot be read (no such file)");
    }
}
