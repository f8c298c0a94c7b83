package dev.llmunit.core.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryOptimizerTest {

    @TempDir
    Path dir;

    private static final String TICKET = "The export button fails with error 500 since Tuesday. Our account id is ACME-42.";

    private static ChatRequest ticket(int n) {
        return ChatRequest.builder().messages(SystemMessage.from("Classify the ticket as BUG, BILLING or QUESTION."),
                UserMessage.from("Hi team,\nTicket " + n + ": " + TICKET + "\n> " + TICKET + "\nThanks in advance!")).build();
    }

    @Test
    void aPlanAppliesExactlyItsStrategiesAndReportsTheTokens() {
        QueryOptimizer optimizer = QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression").build();

        OptimizedRequest optimized = optimizer.optimize(ticket(1));

        assertThat(optimized.taskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(optimized.strategies()).containsExactly("compression");
        assertThat(optimized.tokensAfter()).isLessThan(optimized.tokensBefore());
        assertThat(optimized.tokensSaved()).isPositive();
        assertThat(optimized.original()).isEqualTo(ticket(1));
        assertThat(optimized.expectedQuality()).isEqualTo(new QualityEstimate(0.5, Math.sqrt(1.0 / 12), 0));
    }

    @Test
    void anEmptyPlanLeavesTheRequestAlone() {
        QueryOptimizer optimizer = QueryOptimizer.builder().plan(TaskType.CLASSIFICATION).build();

        OptimizedRequest optimized = optimizer.optimize(ticket(1));

        assertThat(optimized.changed()).isFalse();
        assertThat(optimized.request()).isSameAs(optimized.original());
        assertThat(optimized.tokensSaved()).isZero();
    }

    @Test
    void theSameSeedAndHistoryChooseTheSameStrategies() {
        List<List<String>> first = choices(QueryOptimizer.builder().seed(7).build());
        List<List<String>> second = choices(QueryOptimizer.builder().seed(7).build());
        List<List<String>> otherSeed = choices(QueryOptimizer.builder().seed(8).build());

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    private static List<List<String>> choices(QueryOptimizer optimizer) {
        List<List<String>> chosen = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            OptimizedRequest optimized = optimizer.optimize(ticket(i));
            chosen.add(optimized.strategies());
            optimizer.record(optimized, optimized.strategies().contains("compression") ? 1.0 : 0.5, Usd.usd("0.0001"), null);
        }
        return chosen;
    }

    @Test
    void learnsToPreferTheStrategiesThatScoreBetter() {
        QueryOptimizer optimizer = QueryOptimizer.builder().strategies("compression", "parameter-tuning").build();
        int withCompression = 0;
        for (int i = 0; i < 300; i++) {
            OptimizedRequest optimized = optimizer.optimize(ticket(i));
            boolean compressed = optimized.strategies().contains("compression");
            if (i >= 200 && compressed) {
                withCompression++;
            }
            optimizer.record(optimized, compressed ? 0.95 : 0.3, Usd.usd("0.0001"), null);
        }

        assertThat(withCompression).isGreaterThan(80); // of the last 100
        QualityEstimate compressed = optimizer.qualityEstimate(TaskType.CLASSIFICATION, List.of("compression"));
        QualityEstimate plain = optimizer.qualityEstimate(TaskType.CLASSIFICATION, List.of());
        assertThat(compressed.mean()).isGreaterThan(plain.mean());
    }

    @Test
    void atEqualQualityTheCheaperStrategiesWin() {
        QueryOptimizer optimizer = QueryOptimizer.builder().strategies("compression").costWeight(0.5).build();
        int compressed = 0;
        for (int i = 0; i < 300; i++) {
            OptimizedRequest optimized = optimizer.optimize(ticket(i));
            boolean cheap = optimized.strategies().contains("compression");
            if (i >= 200 && cheap) {
                compressed++;
            }
            optimizer.record(optimized, 1.0, cheap ? Usd.usd("0.0001") : Usd.usd("0.0003"), null);
        }

        assertThat(compressed).isGreaterThan(80);
    }

    @Test
    void learnScoresTheAnswerAndKeepsGoodOnesAsFewShotExamples() {
        QueryOptimizer optimizer = QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "few-shot")
                .scorer(QualityScorer.assertion(answer -> answer.equals("BUG"))).build();

        OptimizedRequest first = optimizer.optimize(ticket(1));
        assertThat(optimizer.learn(first, ChatResponse.builder().aiMessage(AiMessage.from("BUG")).build(), Usd.usd("0.0002"))).isTrue();
        OptimizedRequest second = optimizer.optimize(ticket(2));

        assertThat(first.strategies()).isEmpty(); // no example yet
        assertThat(second.strategies()).containsExactly("few-shot");
        assertThat(second.request().messages()).hasSize(4);
        assertThat(second.request().messages().get(2)).isEqualTo(AiMessage.from("BUG"));
        assertThat(optimizer.history().entries()).singleElement().satisfies(entry -> {
            assertThat(entry.quality()).isEqualTo(1.0);
            assertThat(entry.cost()).isEqualTo(Usd.usd("0.0002"));
        });
    }

    @Test
    void aFailingScorerRecordsNothing() {
        QueryOptimizer optimizer = QueryOptimizer.builder().scorer((request, answer) -> 7).build();

        OptimizedRequest optimized = optimizer.optimize(ticket(1));

        assertThat(optimizer.learn(optimized, ChatResponse.builder().aiMessage(AiMessage.from("BUG")).build(), Usd.ZERO)).isFalse();
        assertThat(optimizer.history().size()).isZero();
        assertThat(optimizer.scoringFailures()).isEqualTo(1);
    }

    @Test
    void unknownStrategyNamesAreRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> QueryOptimizer.builder().strategies("compresion"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown optimization strategy 'compresion'; known strategies: compression, few-shot, structured-output, "
                        + "step-by-step, parameter-tuning");
        assertThatThrownBy(() -> QueryOptimizer.builder().plan(TaskType.CODE, "cot"))
                .hasMessageContaining("unknown optimization strategy 'cot'");
        assertThatThrownBy(() -> QueryOptimizer.standard().qualityEstimate(TaskType.CODE, List.of("cot")))
                .hasMessageContaining("unknown optimization strategy 'cot'");
    }

    @Test
    void aHistoryFileIsLoadedAtBuildAndSavedOnRequest() throws Exception {
        Path file = dir.resolve("history.json");
        QueryOptimizer first = QueryOptimizer.builder().historyFile(file).build();
        OptimizedRequest optimized = first.optimize(ticket(1));
        first.record(optimized, 1.0, Usd.usd("0.0001"), "BUG");
        first.saveHistory();

        QueryOptimizer second = QueryOptimizer.builder().historyFile(file).build();

        assertThat(Files.readString(file)).contains("\"format\" : \"llmunit-optimizer-history\"");
        assertThat(second.history().entries()).isEqualTo(first.history().entries());
    }

    @Test
    void aCorruptHistoryFileFailsTheBuild() throws Exception {
        Path file = dir.resolve("history.json");
        Files.writeString(file, "{ not json");

        assertThatThrownBy(() -> QueryOptimizer.builder().historyFile(file).build())
                .isInstanceOf(InvalidHistoryException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 1, column");
    }

    @Test
    void aReplacedBuiltInKeepsItsPlace() {
        QueryOptimizer optimizer = QueryOptimizer.builder()
                .strategy(new ParameterTuningStrategy(java.util.Map.of(TaskType.CLASSIFICATION, new ParameterTuningStrategy.Tuning(0.0, 8))))
                .plan(TaskType.CLASSIFICATION, "parameter-tuning").build();

        assertThat(optimizer.strategyNames()).containsExactly("compression", "few-shot", "structured-output", "step-by-step",
                "parameter-tuning");
        assertThat(optimizer.optimize(ticket(1)).request().maxOutputTokens()).isEqualTo(8);
    }
}
