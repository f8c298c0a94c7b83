package dev.llmunit.core.ensemble;

/**
 * What an ensemble with a budget does when it cannot afford all its members. Before any member is
 * called, the ensemble reserves the pre-flight estimate of every member sample (the estimate each
 * member's router would reserve for an attempt) in each of its budget scopes at once; a judge or
 * fuser call reserves its own estimate just before it is made.
 */
public enum EnsembleBudgetPolicy {

    /**
     * The default: refuse the run with {@link dev.llmunit.core.error.LlmException.BudgetExceeded}
     * before any call, stating each member sample's estimate, the limit, what is spent and reserved.
     */
    REFUSE,

    /**
     * Run fewer member samples: drop the lightest (ties: the last declared, then the last sample)
     * one at a time until the rest are affordable, as long as at least {@code minMembers} remain;
     * dropped samples are {@link MemberOutcome#SKIPPED} with the reason. Otherwise refuse as
     * {@link #REFUSE} does.
     */
    RUN_FEWER
}
