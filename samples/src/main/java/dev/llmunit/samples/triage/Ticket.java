package dev.llmunit.samples.triage;

import java.util.Objects;

/**
 * A support ticket as the help desk receives it.
 *
 * @param id the help desk's ticket id, such as {@code T-1042}
 * @param subject the subject line the customer wrote
 * @param body the customer's message
 */
public record Ticket(String id, String subject, String body) {

    /** Rejects blank ids: a triage that cannot be filed back is lost work. */
    public Ticket {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("ticket id must not be blank, but was '" + id + "'");
        }
    }
}
