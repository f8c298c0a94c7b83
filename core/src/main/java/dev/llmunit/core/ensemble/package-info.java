/**
 * Ensembles: a LangChain4j {@code ChatModel} that asks several members (routers, or models each
 * wrapped in a one-provider router) in parallel through the router's provider pipeline, groups their
 * answers with an {@link dev.llmunit.core.ensemble.AnswerKey}, merges them with a
 * {@link dev.llmunit.core.ensemble.MergeStrategy}, and says how sure it is: agreement, combined with
 * token log-probabilities where present, and calibrated by a {@link dev.llmunit.core.ensemble.ConfidenceCalibration}.
 */
@NullMarked
package dev.llmunit.core.ensemble;

import org.jspecify.annotations.NullMarked;
