package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.route.RoutedResponse;
import java.util.List;

/** What a {@link MergeStrategy} sees: the candidates, their clusters and the consensus. */
public interface MergeContext {

    /**
     * The ensemble's request.
     *
     * @return the request as the caller gave it
     */
    ChatRequest request();

    /**
     * The answers that passed the filters.
     *
     * @return at least one, in member order
     */
    List<MemberResult> candidates();

    /**
     * The candidates' clusters.
     *
     * @return the weighted-consensus winner first, then by weight, votes and member order
     */
    List<AnswerCluster> clusters();

    /**
     * The weighted-consensus answer, which the judge and fuser strategies fall back to.
     *
     * @return the heaviest cluster's chosen candidate
     */
    MemberResult consensus();

    /**
     * The ensemble's answer key, to key an answer a strategy writes.
     *
     * @return the key
     */
    AnswerKey answerKey();

    /**
     * Makes a call that counts: through the provider pipeline (a {@code Router} as it is, any other
     * model in a one-provider router), recorded in the result's {@link EnsembleResult#auxiliaryCalls()}
     * with its cost and latency.
     *
     * @param role what the call is for, such as {@code judge}
     * @param model the model to ask
     * @param request the request
     * @return the routed response
     * @throws dev.llmunit.core.error.LlmException when the call fails (it is still recorded)
     */
    RoutedResponse call(String role, ChatModel model, ChatRequest request);
}
