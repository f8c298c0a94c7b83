package dev.llmunit.samples.triage;

/**
 * The tickets the {@code triage} fixture set ({@code src/test/resources/llmunit/fixtures/triage})
 * answers. A fixture matches the whole request body, so a changed word in a ticket below (or in the
 * prompt of {@link TicketClassifier}) needs the fixture recorded again with
 * {@code -Dllmunit.mode=auto}.
 *
 * <p>Which provider's fixture answers each ticket, and the latency and usage it reports (gpt-4o-mini prices: input $0.15/M, output
 * $0.60/M; claude-haiku-4-5: input $1/M, output $5/M):
 *
 * <pre>
 * ticket                 provider   latency  input  output
 * DOUBLE_CHARGE          openai      612 ms    231      27
 * EXPORT_OUTAGE          openai      738 ms    229      25
 * LOCKED_OUT             openai      655 ms    240      26
 * ROADMAP_QUESTION       openai      590 ms    226      24
 * REFUND_MISSING         anthropic   904 ms    318      38
 * TEAM_RENAME            anthropic   871 ms    296      33
 * WEBHOOKS_LATE          anthropic   948 ms    311      36
 * </pre>
 *
 * <p>The Anthropic tickets are the ones tests use to show a fallback: each such test makes
 * OpenAI fail for its own ticket with a fault stub, so no two tests share a stubbed ticket.
 */
final class TriageTickets {

    static final Ticket DOUBLE_CHARGE = new Ticket("T-1042", "Charged twice for May",
            "Hello, my credit card was billed twice for the May subscription (2 x $49). Please refund one of them.");

    static final Ticket EXPORT_OUTAGE = new Ticket("T-2077", "CSV export broken",
            "Since this morning every CSV export fails with 'Something went wrong'. All our workspaces are affected.");

    static final Ticket LOCKED_OUT = new Ticket("T-1050", "Locked out after password reset",
            "I reset my password an hour ago and now the login page says my account is locked. I have a client demo at 3pm.");

    static final Ticket ROADMAP_QUESTION = new Ticket("T-3003", "Public roadmap?",
            "Do you publish a roadmap anywhere? We would love to know when the Gantt view is coming.");

    static final Ticket REFUND_MISSING = new Ticket("T-1043", "Refund still missing",
            "I cancelled my annual plan on 3 June and was promised a refund of $480. Nothing has arrived yet.");

    static final Ticket TEAM_RENAME = new Ticket("T-3002", "Rename our team",
            "How do I rename our team from Acme Labs to Acme?");

    static final Ticket WEBHOOKS_LATE = new Ticket("T-2081", "Webhooks arrive hours late",
            "Our order webhooks have been arriving 2-3 hours late since Monday, so our warehouse ships late.");

    private TriageTickets() {}
}
