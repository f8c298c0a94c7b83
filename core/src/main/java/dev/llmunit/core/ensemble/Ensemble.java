package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A LangChain4j {@link ChatModel} that asks several members at once and merges their answers. Each
 * member is a {@code Router} (a plain {@code ChatModel} is wrapped in a one-provider router), so
 * every member call goes through the router's provider pipeline: retries, circuit breakers, budgets,
 * exact cost, trace and metrics. Members run in parallel on their routers' executor (without a
 * timeout, the first sample runs on the calling thread, which would otherwise only wait); an
 * {@link AnswerKey} groups their answers into clusters; a {@link MergeStrategy} picks or writes the
 * answer; the result says how sure the ensemble is. It drops into any LangChain4j code as a
 * {@code ChatModel}, {@code AiServices} included.
 *
 * <pre>{@code
 * Ensemble ensemble = Ensemble.builder()
 *         .member("openai", gpt, m -> m.samples(2))           // self-consistency: two distinct requests
 *         .member("anthropic", claude, m -> m.weight(1.5))
 *         .answerKey(AnswerKey.jsonPointer("/category"))
 *         .merge(MergeStrategy.weightedConsensus())
 *         .timeout(Duration.ofSeconds(5)).minMembers(2)
 *         .build();
 * EnsembleResult result = ensemble.run(request);
 * result.chatResponse();   // the chosen answer
 * result.confidence();     // 0 to 1: agreement, with log-probabilities where present, calibrated where given
 * }</pre>
 *
 * <p>Thread-safe; build one and share it.
 */
public interface Ensemble extends ChatModel {

    /**
     * Starts an ensemble builder.
     *
     * @return a new builder
     */
    static EnsembleBuilder builder() {
        return new EnsembleBuilder();
    }

    /**
     * Asks every member, waits (up to the timeout, or until the winner is certain with
     * {@code earlyStop()}), filters, clusters and merges.
     *
     * @param request the LangChain4j chat request
     * @return the chosen answer with its confidence, clusters, members, cost and latency
     * @throws EnsembleException.NotEnoughAnswers when fewer than {@code minMembers} answered
     * @throws EnsembleException.AllFiltered when the filters dropped every answer
     * @throws dev.llmunit.core.error.LlmException.BudgetExceeded when the budget cannot afford the run;
     *     nothing was sent then
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted; every
     *     member call is cancelled
     * @throws IllegalArgumentException when {@code request} is null, naming the method and what to pass
     */
    EnsembleResult run(ChatRequest request);

    /**
     * Runs {@link #run(ChatRequest)} on the ensemble's executor. Cancelling the future interrupts
     * the run, which cancels every member call still in flight.
     *
     * @param request the LangChain4j chat request
     * @return a future of the result, completed exceptionally as {@link #run(ChatRequest)} throws
     * @throws IllegalArgumentException at once, on the caller's thread, when {@code request} is null
     */
    CompletableFuture<EnsembleResult> runAsync(ChatRequest request);

    /**
     * Runs the ensemble and returns the chosen LangChain4j response.
     *
     * @param request the LangChain4j chat request
     * @return the chosen response
     */
    @Override
    ChatResponse chat(ChatRequest request);

    /**
     * The ensemble's name, a tag on its meters and the label of its calls in reports.
     *
     * @return the name
     */
    String name();

    /**
     * The members, in declaration order.
     *
     * @return an immutable list
     */
    List<EnsembleMember> members();

    /**
     * The calibration its confidence goes through.
     *
     * @return it, or empty when the ensemble reports raw confidence
     */
    Optional<ConfidenceCalibration> calibration();

    /**
     * How the ensemble merges answers.
     *
     * @return the merge strategy
     */
    MergeStrategy mergeStrategy();

    /**
     * How the ensemble tells answers apart.
     *
     * @return the answer key
     */
    AnswerKey answerKey();
}
