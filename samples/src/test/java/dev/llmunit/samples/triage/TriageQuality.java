package dev.llmunit.samples.triage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.optimize.QualityScorer;

/**
 * How good a triage answer is, for the optimizer experiments: 1 when the JSON names the right
 * category and priority for the ticket, 0.5 when only the category is right, 0 when it is wrong or
 * not JSON at all (for instance cut off by an output cap).
 */
final class TriageQuality {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The scorer. */
    static final QualityScorer SCORER = TriageQuality::score;

    private TriageQuality() {}

    static double score(ChatRequest request, String answer) {
        String prompt = request.messages().stream().filter(UserMessage.class::isInstance).map(message -> ((UserMessage) message).singleText())
                .reduce((first, second) -> second).orElse("");
        EmailTickets.Expected expected = EmailTickets.ALL.stream()
                .filter(candidate -> prompt.contains("Subject: " + candidate.ticket().subject())).findFirst().orElse(null);
        if (expected == null) {
            return 0;
        }
        JsonNode triage;
        try {
            triage = JSON.readTree(answer);
        } catch (java.io.IOException notJson) {
            return 0;
        }
        boolean category = expected.category().name().equals(triage.path("category").asText());
        boolean priority = expected.priority().name().equals(triage.path("priority").asText());
        return category && priority ? 1 : category ? 0.5 : 0;
    }
}
