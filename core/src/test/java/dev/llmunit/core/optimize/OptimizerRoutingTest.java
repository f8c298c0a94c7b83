package dev.llmunit.core.optimize;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.answeringWithUsage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.ScriptedChatModel;
import org.junit.jupiter.api.Test;

/** The optimizer plugged into the router and the ensemble: what the provider receives, the trace, the learning. */
class OptimizerRoutingTest {

    private static final String TICKET = "The export button fails with error 500 since Tuesday. Our account id is ACME-42.";
    private static final ChatRequest REQUEST = ChatRequest.builder().messages(SystemMessage.from("Classify the ticket as BUG or BILLING."),
            UserMessage.from("Hi team,\n" + TICKET + "\n> " + TICKET + "\nThanks in advance!")).build();

    @Test
    void theRouterSendsTheRewriteAndTracesWhatWasDone() {
        ScriptedChatModel provider = answeringWithUsage("BUG", "gpt-4o-mini", 40, 2);
        QueryOptimizer optimizer = QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression", "parameter-tuning").build();
        Router router = Router.builder().provider("openai", provider).optimizer(optimizer).build();

        RoutedResponse response = router.route(REQUEST);

        assertThat(provider.lastRequest().messages().get(1)).isEqualTo(UserMessage.from(TICKET));
        assertThat(provider.lastRequest().temperature()).isEqualTo(0.0);
        OptimizedRequest optimization = response.trace().optimization();
        assertThat(optimization).isNotNull();
        assertThat(optimization.taskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(optimization.strategies()).containsExactly("compression", "parameter-tuning");
        assertThat(optimization.tokensAfter()).isLessThan(optimization.tokensBefore());
        assertThat(optimization.request()).isEqualTo(provider.lastRequest());
    }

    @Test
    void theRouterLearnsFromEachAnswerAndItsCost() {
        QueryOptimizer optimizer = QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression")
                .scorer(QualityScorer.assertion(answer -> answer.equals("BUG"))).build();
        Router router = Router.builder().provider("openai", answeringWithUsage("BUG", "gpt-4o-mini", 1000, 10)).optimizer(optimizer).build();

        RoutedResponse response = router.route(REQUEST);

        assertThat(optimizer.history().entries()).singleElement().satisfies(entry -> {
            assertThat(entry.taskType()).isEqualTo(TaskType.CLASSIFICATION);
            assertThat(entry.strategies()).containsExactly("compression");
            assertThat(entry.quality()).isEqualTo(1.0);
            assertThat(entry.cost()).isEqualTo(response.cost());
            assertThat(entry.cost().amount()).isPositive();
        });
        assertThat(optimizer.qualityEstimate(TaskType.CLASSIFICATION, java.util.List.of("compression")).samples()).isEqualTo(1);
    }

    @Test
    void withoutAnOptimizerTheTraceHasNone() {
        ScriptedChatModel provider = answering("BUG");

        RoutedResponse response = Router.builder().provider("openai", provider).build().route(REQUEST);

        assertThat(response.trace().optimization()).isNull();
        assertThat(provider.lastRequest()).isEqualTo(REQUEST);
    }

    @Test
    void theEnsembleSendsEveryMemberTheRewriteAndTracesIt() {
        ScriptedChatModel a = answering("BUG");
        ScriptedChatModel b = answering("BUG");
        QueryOptimizer optimizer = QueryOptimizer.builder().plan(TaskType.CLASSIFICATION, "compression").build();
        Ensemble ensemble = Ensemble.builder().member("a", a).member("b", b).optimizer(optimizer).build();

        EnsembleResult result = ensemble.run(REQUEST);

        assertThat(a.lastRequest().messages().get(1)).isEqualTo(UserMessage.from(TICKET));
        assertThat(b.lastRequest().messages().get(1)).isEqualTo(UserMessage.from(TICKET));
        assertThat(result.trace().optimization()).isNotNull();
        assertThat(result.trace().optimization().strategies()).containsExactly("compression");
        assertThat(optimizer.history().size()).isEqualTo(1);
    }
}
