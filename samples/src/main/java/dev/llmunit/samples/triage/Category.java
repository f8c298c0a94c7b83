package dev.llmunit.samples.triage;

/** The queue a support ticket belongs in. */
public enum Category {
    /** Invoices, charges, refunds, plans and payment methods. */
    BILLING,
    /** Something in the product does not work as documented. */
    BUG,
    /** Sign-in, passwords, profile, team membership and account closure. */
    ACCOUNT,
    /** Anything else: questions, feedback, feature requests. */
    OTHER
}
