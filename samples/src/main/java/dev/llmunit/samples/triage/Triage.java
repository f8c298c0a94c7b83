package dev.llmunit.samples.triage;

import java.util.Objects;

/**
 * The triage of one ticket, ready to file back into the help desk.
 *
 * @param ticketId the id of the triaged ticket
 * @param category the queue the ticket goes to
 * @param priority how soon it must be answered
 * @param summary one line for the queue view
 * @param servedBy who answered, kept for the audit trail of an automated decision: the router's
 *     provider name (such as {@code openai}, or {@code anthropic} after a fallback) when the service
 *     runs on a {@link dev.llmunit.core.route.Router}, the ensemble's name when it runs on an
 *     {@link dev.llmunit.core.ensemble.Ensemble}, otherwise the model's LangChain4j provider
 *     (such as {@code OPEN_AI})
 */
public record Triage(String ticketId, Category category, Priority priority, String summary, String servedBy) {

    /** Checks that every field is present; the summary is a single line so it fits a queue row. */
    public Triage {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(servedBy, "servedBy");
        summary = summary.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
