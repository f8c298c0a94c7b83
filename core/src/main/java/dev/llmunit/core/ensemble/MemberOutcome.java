package dev.llmunit.core.ensemble;

/** How one member sample of an ensemble run ended. */
public enum MemberOutcome {
    /** It answered, the answer passed every filter and it voted. */
    ANSWERED,
    /** It answered, but a quality filter rejected the answer (see {@link MemberResult#reason()}). */
    FILTERED,
    /** Its router failed (see {@link MemberResult#error()}). */
    FAILED,
    /** The ensemble's timeout passed before it answered; its call was cancelled. */
    TIMED_OUT,
    /** {@code earlyStop()} cancelled it once the winning answer could no longer change. */
    CANCELLED,
    /** It was not asked: the budget could not afford every member and the policy ran fewer. */
    SKIPPED;

    /**
     * The outcome's name as meters and reports write it.
     *
     * @return the lower-case name, such as {@code timed_out}
     */
    public String tagValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
