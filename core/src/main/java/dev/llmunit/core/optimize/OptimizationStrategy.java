package dev.llmunit.core.optimize;

import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * One rewrite of a request, such as adding step-by-step instructions or removing duplicated
 * context. The optimizer applies a chosen set of strategies in its configured order and learns per
 * task type which sets pay off. Implementations must be stateless or thread-safe and
 * deterministic: the same request and context give the same rewrite.
 */
public interface OptimizationStrategy {

    /**
     * The strategy's unique name, as history files and reports spell it.
     *
     * @return a short kebab-case name, e.g. {@code "compression"}
     */
    String name();

    /**
     * Whether the strategy can do anything for this request; the optimizer only chooses among
     * strategies that apply.
     *
     * @param request the request as rewritten by the strategies before this one
     * @param context the task type and past examples
     * @return true when {@link #apply} would be meaningful
     */
    boolean appliesTo(ChatRequest request, StrategyContext context);

    /**
     * Rewrites the request.
     *
     * @param request the request as rewritten by the strategies before this one
     * @param context the task type and past examples
     * @return the rewritten request, or {@code request} itself when there is nothing to change
     */
    ChatRequest apply(ChatRequest request, StrategyContext context);
}
