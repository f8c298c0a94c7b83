package dev.llmunit.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.ensemble.AnswerScorer;
import dev.llmunit.core.ensemble.Judge;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.RoutedResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Asks a {@link Judge} for one score per candidate, 0 to 1. The one place that writes the judge's
 * prompt and reads its answer; anything but one valid score per candidate is a {@link Failure}, which
 * callers turn into their deterministic fallback.
 */
final class JudgeScoring {

    /** Scores a judge model gives, 0 to this; divided by it. */
    static final int SCALE = 10;

    private JudgeScoring() {}

    /** Makes a call through the provider pipeline that the run records. */
    @FunctionalInterface
    interface Caller {
        RoutedResponse call(String role, ChatModel model, ChatRequest request);
    }

    /** Why a judgement could not be used. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    static List<Double> scores(Judge judge, String role, ChatRequest request, List<String> answers, Caller caller) throws Failure {
        AnswerScorer scorer = judge.scorer();
        if (scorer != null) {
            List<Double> scores = new ArrayList<>(answers.size());
            for (int i = 0; i < answers.size(); i++) {
                double score;
                try {
                    score = scorer.score(request, answers.get(i));
                } catch (RuntimeException e) {
                    throw new Failure("the scoring function failed on candidate " + (i + 1) + ": " + e);
                }
                if (!(score >= 0 && score <= 1)) {
                    throw new Failure("the scoring function gave " + score + " for candidate " + (i + 1) + ", which is not between 0 and 1");
                }
                scores.add(score);
            }
            return scores;
        }
        ChatModel model = java.util.Objects.requireNonNull(judge.model());
        RoutedResponse routed;
        try {
            routed = caller.call(role, model, request(judge.rubric(), request, answers));
        } catch (LlmException e) {
            throw new Failure("the " + role + " call failed (" + e.kind() + "): " + e.getMessage());
        }
        String text = routed.chatResponse().aiMessage() == null || routed.chatResponse().aiMessage().text() == null ? ""
                : routed.chatResponse().aiMessage().text();
        return parse(text, answers.size(), role);
    }

    static ChatRequest request(String rubric, ChatRequest original, List<String> answers) {
        StringBuilder user = new StringBuilder("Request:\n").append(lastUserText(original.messages()));
        for (int i = 0; i < answers.size(); i++) {
            user.append("\n\nCandidate ").append(i + 1).append(":\n").append(answers.get(i));
        }
        String system = "You are a strict, impartial judge. Score each candidate answer to the request from 0 (worst) to " + SCALE
                + " (best) by this rubric: " + rubric + ". Reply with JSON only, exactly {\"scores\": [..]}: one number per candidate, "
                + "in the candidates' order.";
        return ChatRequest.builder().messages(SystemMessage.from(system), UserMessage.from(user.toString())).build();
    }

    static List<Double> parse(String text, int expected, String role) throws Failure {
        String shape = "{\"scores\": [" + expected + (expected == 1 ? " number" : " numbers") + " from 0 to " + SCALE + "]}";
        JsonNode root;
        try {
            root = AnswerKeys.json(text);
        } catch (JsonProcessingException notJson) {
            throw new Failure(invalid(role, text, shape, "not JSON"));
        }
        JsonNode scores = root != null && root.isObject() ? root.get("scores") : root;
        if (scores == null || !scores.isArray()) {
            throw new Failure(invalid(role, text, shape, "no \"scores\" array"));
        }
        if (scores.size() != expected) {
            throw new Failure(invalid(role, text, shape, scores.size() + (scores.size() == 1 ? " score" : " scores") + " for " + expected
                    + (expected == 1 ? " candidate" : " candidates")));
        }
        List<Double> parsed = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            JsonNode score = scores.get(i);
            if (!score.isNumber() || !(score.asDouble() >= 0 && score.asDouble() <= SCALE)) {
                throw new Failure(invalid(role, text, shape, "score " + (i + 1) + " is " + score));
            }
            parsed.add(score.asDouble() / SCALE);
        }
        return parsed;
    }

    private static String invalid(String role, String text, String shape, String detail) {
        return "the " + role + " answered \"" + AnswerText.shorten(text, 120) + "\", which is not " + shape + " (" + detail + ")";
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user) {
                return user.hasSingleText() ? user.singleText() : user.contents().toString();
            }
        }
        return "";
    }

    static String percent(double score) {
        return String.format(Locale.ROOT, "%.2f", score);
    }
}
