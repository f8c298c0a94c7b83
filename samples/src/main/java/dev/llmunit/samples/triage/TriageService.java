package dev.llmunit.samples.triage;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.samples.triage.TicketClassifier.Assessment;
import java.util.Objects;
import java.util.Set;

/**
 * Triages support tickets with an LLM: category, priority and a one-line summary per ticket.
 *
 * <pre>{@code
 * Router router = TriageModels.router(openAiEndpoint, anthropicEndpoint);
 * TriageService triage = new TriageService(router);
 * Ticket ticket = new Ticket("T-1042", "Charged twice", "My card was billed twice in May.");
 * Triage result = triage.triage(ticket);
 * result.category();   // BILLING
 * result.servedBy();   // "openai", or "anthropic" when OpenAI failed
 * triage.triageRouted(ticket).route().cost();   // what the call cost, for a per-ticket cost log
 * }</pre>
 *
 * <p>Thread-safe: build one per model and share it.
 */
public final class TriageService {

    private final ChatModel model;
    private final TicketClassifier classifier;
    private final ThreadLocal<RoutedResponse> lastRoute = new ThreadLocal<>();

    /**
     * Creates the service over a chat model, usually the {@link Router} from {@link TriageModels}.
     * Any LangChain4j {@link ChatModel} works, an {@link Ensemble} included; only a router can say
     * which provider served (for an ensemble, {@link Triage#servedBy()} is the ensemble's name).
     *
     * @param model the model that classifies tickets
     */
    public TriageService(ChatModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.classifier = AiServices.builder(TicketClassifier.class)
                .chatModel(model instanceof Router router ? new ServedByRecorder(router, lastRoute) : model)
                .build();
    }

    /**
     * Triages one ticket. A field the model left out gets the safe default (category
     * {@link Category#OTHER}, priority {@link Priority#NORMAL}, the subject as summary), so a
     * sloppy answer sends the ticket to a human queue instead of failing.
     *
     * @param ticket the ticket to triage
     * @return the triage, with the provider that served
     * @throws LlmException when no provider could answer: {@link LlmException.AllProvidersFailed}
     *     lists every attempt, {@link LlmException#kind()} says what to do about it
     * @throws dev.langchain4j.service.output.OutputParsingException when the answer is not the
     *     requested JSON at all
     */
    public Triage triage(Ticket ticket) {
        return triageRouted(ticket).triage();
    }

    /**
     * Triages one ticket, as {@link #triage(Ticket)} does, and hands back the routed call too:
     * what it cost, which providers failed first, every attempt. Use it where each ticket's cost
     * is logged or charged back.
     *
     * <pre>{@code
     * RoutedTriage result = service.triageRouted(ticket);
     * result.route().cost();   // $0.0000726
     * }</pre>
     *
     * @param ticket the ticket to triage
     * @return the triage and its routed call; the call is null when the service does not run on a {@link Router}
     * @throws LlmException as {@link #triage(Ticket)} does
     * @throws dev.langchain4j.service.output.OutputParsingException as {@link #triage(Ticket)} does
     */
    public RoutedTriage triageRouted(Ticket ticket) {
        Objects.requireNonNull(ticket, "ticket");
        try {
            Assessment assessment = classifier.classify(ticket.subject(), ticket.body());
            // AiServices does not hand the ChatResponse back, so the routed call reports through the recorder.
            RoutedResponse routed = lastRoute.get();
            Triage triage = new Triage(ticket.id(),
                    assessment.category() == null ? Category.OTHER : assessment.category(),
                    assessment.priority() == null ? Priority.NORMAL : assessment.priority(),
                    assessment.summary() == null || assessment.summary().isBlank() ? ticket.subject() : assessment.summary(),
                    routed != null ? routed.provider() : model instanceof Ensemble ensemble ? ensemble.name() : model.provider().name());
            return new RoutedTriage(triage, routed);
        } finally {
            lastRoute.remove();
        }
    }

    /**
     * Calls {@link Router#route} instead of {@code chat} so the serving provider, the cost and the
     * trace are not lost on the way through AiServices. AiServices calls the model on the caller's
     * thread for a method without tools, so a thread-local carries the answer back to
     * {@link #triageRouted} without any sharing between concurrent triages.
     */
    private static final class ServedByRecorder implements ChatModel {

        private final Router router;
        private final ThreadLocal<RoutedResponse> lastRoute;

        ServedByRecorder(Router router, ThreadLocal<RoutedResponse> lastRoute) {
            this.router = router;
            this.lastRoute = lastRoute;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            RoutedResponse routed = router.route(request);
            lastRoute.set(routed);
            return routed.chatResponse();
        }

        @Override
        public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
            return chat(request);
        }

        @Override
        public ChatRequestParameters defaultRequestParameters() {
            return router.defaultRequestParameters();
        }

        @Override
        public Set<Capability> supportedCapabilities() {
            // AiServices asks for native JSON output only when every routed provider supports it.
            return router.supportedCapabilities();
        }
    }
}
