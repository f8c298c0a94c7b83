package dev.llmunit.samples.triage;

import dev.llmunit.core.route.RoutedResponse;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A triage with the routed call that produced it, for what the help desk does not file but
 * operations logs per ticket: what the call cost ({@code route.cost()}), which providers failed
 * first ({@code route.fallbacks()}) and every attempt with its tokens and timing
 * ({@code route.trace()}).
 *
 * <pre>{@code
 * RoutedTriage result = service.triageRouted(ticket);
 * helpDesk.file(result.triage());
 * log.info("{} triaged by {} for {}", ticket.id(), result.triage().servedBy(), result.route().cost());
 * }</pre>
 *
 * @param triage the triage, as {@link TriageService#triage(Ticket)} returns it
 * @param route the routed call; null when the service runs on a plain LangChain4j model, which
 *     reports neither cost nor attempts
 */
public record RoutedTriage(Triage triage, @Nullable RoutedResponse route) {

    /** Checks the triage is present. */
    public RoutedTriage {
        Objects.requireNonNull(triage, "triage");
    }
}
