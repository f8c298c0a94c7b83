package dev.llmunit.samples.triage;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import org.jspecify.annotations.Nullable;

/**
 * The LLM side of triage, as a LangChain4j {@code AiServices} interface. LangChain4j turns each
 * call into a chat request, asks the model to answer in the JSON shape of {@link Assessment} and
 * parses the answer; {@link TriageService} creates the proxy.
 */
public interface TicketClassifier {

    /**
     * Classifies one ticket.
     *
     * @param subject the ticket's subject line
     * @param body the customer's message
     * @return the model's assessment
     */
    @SystemMessage("""
            You triage customer support tickets for a SaaS product.
            Choose exactly one category:
            BILLING for invoices, charges, refunds, plans and payment methods;
            BUG for features that do not work as documented;
            ACCOUNT for sign-in, passwords, profiles, teams and closing accounts;
            OTHER for everything else.
            Choose a priority: URGENT for outages, data loss or security issues; HIGH when the customer
            is blocked or was charged wrongly; NORMAL by default; LOW for questions and wishes.
            Summarise the ticket in one sentence of at most 15 words, in English.""")
    @UserMessage("""
            Subject: {{subject}}

            {{body}}""")
    Assessment classify(@V("subject") String subject, @V("body") String body);

    /**
     * What the model answers for one ticket; LangChain4j derives the requested JSON from it.
     *
     * @param category the queue; null when the model left it out
     * @param priority the urgency; null when the model left it out
     * @param summary the one-line summary; null when the model left it out
     */
    record Assessment(@Nullable Category category, @Nullable Priority priority, @Nullable String summary) {}
}
