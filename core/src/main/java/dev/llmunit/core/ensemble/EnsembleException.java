package dev.llmunit.core.ensemble;

import java.util.List;
import java.util.Objects;

/**
 * Why an ensemble run produced no answer. Each failure lists every member sample with how it
 * ended, so the message says what each member did. A budget that refuses the run before any call
 * is an {@link dev.llmunit.core.error.LlmException.BudgetExceeded}, as it is for a router.
 */
public abstract sealed class EnsembleException extends RuntimeException
        permits EnsembleException.NotEnoughAnswers, EnsembleException.AllFiltered {

    private static final long serialVersionUID = 1L;

    private final transient List<MemberResult> members;
    private final transient List<AuxiliaryCall> auxiliaryCalls;

    EnsembleException(String message, List<MemberResult> members, List<AuxiliaryCall> auxiliaryCalls) {
        super(message + describe(members));
        this.members = List.copyOf(members);
        this.auxiliaryCalls = List.copyOf(auxiliaryCalls);
    }

    /**
     * The judge calls the run made before it failed (a judge filter runs before the vote).
     *
     * @return the calls, usually none; their cost was spent all the same
     */
    public List<AuxiliaryCall> auxiliaryCalls() {
        return auxiliaryCalls;
    }

    /**
     * Every member sample of the run, in member order.
     *
     * @return each sample's outcome, response or error, and reason
     */
    public List<MemberResult> members() {
        return members;
    }

    private static String describe(List<MemberResult> members) {
        StringBuilder text = new StringBuilder();
        for (MemberResult member : members) {
            text.append(System.lineSeparator()).append("  ").append(member.id()).append(": ").append(member.outcome().name());
            if (member.reason() != null) {
                text.append(" (").append(member.reason()).append(')');
            } else if (member.error() != null) {
                text.append(" (").append(member.error().getMessage()).append(')');
            }
        }
        return text.toString();
    }

    /**
     * Fewer member samples answered than {@code minMembers}: they failed, or the timeout passed first.
     */
    public static final class NotEnoughAnswers extends EnsembleException {

        private static final long serialVersionUID = 1L;

        private final int minMembers;
        private final int answered;

        /**
         * Creates the failure.
         *
         * @param ensemble the ensemble's name
         * @param minMembers the answers it needed
         * @param answered the answers it got
         * @param timedOut whether the timeout cut the run short
         * @param members every member sample
         * @param auxiliaryCalls the judge calls made before the failure
         */
        public NotEnoughAnswers(String ensemble, int minMembers, int answered, boolean timedOut, List<MemberResult> members,
                List<AuxiliaryCall> auxiliaryCalls) {
            super("ensemble '" + ensemble + "' needed " + minMembers + (minMembers == 1 ? " answer" : " answers") + " but got " + answered
                    + (timedOut ? " before its timeout" : "") + ":", Objects.requireNonNull(members, "members"), auxiliaryCalls);
            this.minMembers = minMembers;
            this.answered = answered;
        }

        /**
         * The answers the run needed.
         *
         * @return the ensemble's {@code minMembers}
         */
        public int minMembers() {
            return minMembers;
        }

        /**
         * The answers it got.
         *
         * @return the count of member samples that answered and passed the filters
         */
        public int answered() {
            return answered;
        }
    }

    /** Every answer the members gave was dropped by a quality filter or had no answer key. */
    public static final class AllFiltered extends EnsembleException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the failure.
         *
         * @param ensemble the ensemble's name
         * @param members every member sample, each filtered one with its reason
         * @param auxiliaryCalls the judge calls of a judge filter
         */
        public AllFiltered(String ensemble, List<MemberResult> members, List<AuxiliaryCall> auxiliaryCalls) {
            super("ensemble '" + ensemble + "' has no answer left: its filters dropped every answer:", Objects.requireNonNull(members, "members"),
                    auxiliaryCalls);
        }
    }
}
