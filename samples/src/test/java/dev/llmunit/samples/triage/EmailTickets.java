package dev.llmunit.samples.triage;

import java.util.List;

/**
 * Tickets as they arrive by e-mail: a greeting, the customer's message, the earlier message quoted
 * again below it, a sign-off and a footer. The optimizer experiments
 * ({@link TriageCompressionExperimentTest}, {@link TriageOutputCapExperimentTest}) triage them
 * with and without the optimizer; the {@code triage} fixture set holds a recording of each request
 * of each arm (recorded in {@code auto} mode).
 */
final class EmailTickets {

    /**
     * A ticket and the triage a person would give it.
     *
     * @param ticket the ticket
     * @param category the right queue
     * @param priority the right priority
     */
    record Expected(Ticket ticket, Category category, Priority priority) {
        @Override
        public String toString() {
            return ticket.id() + " " + ticket.subject();
        }
    }

    private static final String FOOTER = "\nKind regards,\n%s\nSent from my iPhone\n"
            + "This email and any attachments are confidential and intended solely for the addressee.";

    private static Ticket email(String id, String subject, String name, String message, String earlier) {
        return new Ticket(id, subject, "Hi team,\n\n" + message + "\n\n> " + earlier.replace("\n", "\n> ") + "\n\nThanks in advance!"
                + FOOTER.formatted(name));
    }

    static final List<Expected> ALL = List.of(
            new Expected(email("T-4101", "Invoice charged twice", "Maria Lopez",
                    "Following up on my message below: we were charged twice for the June invoice (INV-2291, 2 x $199). "
                            + "Please refund the duplicate charge.",
                    "Our card was charged twice for the June invoice (INV-2291, 2 x $199). Please refund the duplicate charge."),
                    Category.BILLING, Priority.HIGH),
            new Expected(email("T-4102", "Export still failing", "Tom Becker",
                    "The PDF export still fails with error 500 for every report since Tuesday. This blocks our board meeting on Friday.",
                    "The PDF export fails with error 500 for every report since Tuesday."),
                    Category.BUG, Priority.URGENT),
            new Expected(email("T-4103", "Cannot sign in after SSO change", "Aisha Khan",
                    "Since we switched our SSO provider to Okta yesterday I cannot sign in at all. Nobody on my team can approve invoices.",
                    "Since we switched our SSO provider to Okta yesterday I cannot sign in at all."),
                    Category.ACCOUNT, Priority.HIGH),
            new Expected(email("T-4104", "Change billing email", "Lena Fischer",
                    "Please send our invoices to billing@acme.example from now on instead of lena@acme.example.",
                    "Could invoices go to billing@acme.example instead of lena@acme.example?"),
                    Category.BILLING, Priority.NORMAL),
            new Expected(email("T-4105", "Dashboard charts empty", "Raj Patel",
                    "All dashboard charts have been empty since Monday, although the raw data is still there in the table view.",
                    "All dashboard charts have been empty since Monday, although the raw data is still there in the table view."),
                    Category.BUG, Priority.HIGH));

    private EmailTickets() {}
}
