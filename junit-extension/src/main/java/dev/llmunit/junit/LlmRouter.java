package dev.llmunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the static method of a test class that builds the test's {@code Router} with the core DSL,
 * given the suite's fixture server. llmunit calls it once per test (so circuit breakers and health
 * never leak between tests) and records every call the router makes in the test's ledger.
 *
 * <pre>{@code
 * @LlmRouter
 * static Router router(FixtureServer fixtures) {
 *     return Router.builder()
 *             .provider("openai", FixtureModels.openAiChat(fixtures, "gpt-4o-mini"))
 *             .provider("anthropic", FixtureModels.anthropicChat(fixtures, "claude-haiku-4-5"))
 *             .build();
 * }
 * }</pre>
 *
 * <p>The method may return an {@code Ensemble} instead ({@code Ensemble.builder()}): tests then take
 * it as an {@code Ensemble} or {@code ChatModel} parameter, each run lands in the ledger as one call
 * per member sample plus an {@link EnsembleCall}, and {@link MinConfidence} judges the ensemble's
 * confidence. An {@code @AfterEach} method may take the test's last {@code EnsembleResult}.
 *
 * <p>Or it may return a {@code StreamingRouter} ({@code StreamingRouter.builder()} over streaming
 * models such as {@code FixtureModels.openAiStreaming(..)}): tests take it as a {@code StreamingRouter}
 * or {@code StreamingChatModel} parameter, each streamed call lands in the ledger with its
 * {@link LlmCall#timeToFirstToken() time to first token} and tokens per second, and
 * {@link LatencyBudget#ttft()} judges them. The handler's last callback comes after the call is in the ledger.
 *
 * <p>The method must be static, return a {@code Router}, an {@code Ensemble} or a {@code StreamingRouter}, and take either
 * nothing or one {@code FixtureServer}. At most one per class (a subclass's method hides its parent's).
 *
 * <p>If the router retries, give it {@code retry(r -> r.jitter(0))}: a call's latency includes the
 * backoff the router chose, and jitter makes that random, so latency budgets and the baseline
 * would no longer give the same verdict on every run. (The router llmunit builds itself has no jitter.)
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LlmRouter {}
