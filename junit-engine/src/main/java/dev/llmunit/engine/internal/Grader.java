package dev.llmunit.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.assertj.LlmAssertions;
import dev.llmunit.assertj.TextSimilarity;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.Router;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.internal.CallLedger;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Grades one answer against a case's assertions. Text checks reuse llmunit's AssertJ assertions
 * (one JSON parser, one schema validator, one similarity), cost, latency and confidence read the
 * target's calls from the ledger, and {@code llm-rubric} asks the judge model through its own
 * recording router, so the judge's call is recorded, played back and paid for like any other.
 */
final class Grader {

    /** The system message the judge gets. */
    static final String JUDGE_SYSTEM = """
            You grade the output of an AI system against a rubric.
            Answer with JSON only: {"pass": true or false, "score": a number from 0 to 1, "reason": "one sentence"}.""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JSON_OBJECT = Pattern.compile("(?s)\\{.*}");

    /**
     * How one assertion went.
     *
     * @param name its type as written, such as {@code icontains}
     * @param passed whether it passed
     * @param score 0 to 1
     * @param weight its share of the case's score
     * @param reason why, for a person
     * @param line its line in the file
     */
    record Check(String name, boolean passed, double score, double weight, String reason, int line) {

        @Override
        public String toString() {
            return (passed ? "pass " : "FAIL ") + name + " (line " + line + (weight == 1 ? "" : ", weight " + format(weight))
                    + (score == 0 || score == 1 ? "" : ", score " + format(score)) + "): " + reason;
        }
    }

    /**
     * How the answer went.
     *
     * @param passed the case's verdict on this answer
     * @param score the weighted score
     * @param threshold the score it needed, or {@code null} when every assertion had to pass
     * @param checks each assertion
     */
    record Grade(boolean passed, double score, @Nullable Double threshold, List<Check> checks) {

        String summary() {
            long failed = checks.stream().filter(check -> !check.passed()).count();
            return (threshold == null ? failed + " of " + checks.size() + " assertions failed"
                    : "score " + format(score) + " below the threshold " + format(threshold))
                    + ":" + System.lineSeparator() + String.join(System.lineSeparator(), checks.stream().map(check -> "  " + check).toList());
        }
    }

    private Grader() {}

    /**
     * Grades an answer.
     *
     * @param evalCase the case
     * @param answer the target's answer
     * @param targetCalls the calls the target made for it
     * @param judge the judge's router (recording into the case's ledger), made on first use
     * @return the grade
     */
    static Grade grade(EvalCase evalCase, String answer, List<LlmCall> targetCalls, Supplier<Router> judge) {
        List<Check> checks = new ArrayList<>();
        for (EvalAssertion assertion : evalCase.assertions()) {
            Check check = check(assertion, answer, targetCalls, judge, evalCase);
            if (assertion.negated()) {
                String positive = assertion.type().fileName + (assertion.value() == null ? "" : " " + quote(
                        assertion.value().isValueNode() ? assertion.value().asText() : assertion.value().toString()));
                check = new Check(check.name(), !check.passed(), 1 - check.score(), check.weight(), check.passed()
                        ? "the answer must not " + positive + ", but does: " + check.reason()
                        : "as wanted, the answer does not " + positive, check.line());
            }
            checks.add(check);
        }
        double weights = checks.stream().mapToDouble(Check::weight).sum();
        double score = weights == 0 ? (checks.stream().allMatch(Check::passed) ? 1 : 0)
                : checks.stream().mapToDouble(check -> check.weight() * check.score()).sum() / weights;
        boolean passed = evalCase.threshold() == null
                ? checks.stream().filter(check -> check.weight() > 0 || weights == 0).allMatch(Check::passed)
                : score + 1e-12 >= evalCase.threshold();
        return new Grade(passed, score, evalCase.threshold(), checks);
    }

    private static Check check(EvalAssertion assertion, String answer, List<LlmCall> calls, Supplier<Router> judge,
            EvalCase evalCase) {
        String name = assertion.name();
        double weight = assertion.weight();
        int line = assertion.line();
        JsonNode value = assertion.value();
        String expected = value == null ? "" : value.isValueNode() ? value.asText() : value.toString();
        return switch (assertion.type()) {
            case EQUALS -> {
                boolean equal = value != null && !value.isValueNode() ? jsonEquals(answer, value) : answer.trim().equals(expected.trim());
                yield binary(name, equal, weight, line, equal ? "equals " + quote(expected) : "expected " + quote(expected)
                        + " but the answer was " + quote(answer));
            }
            case CONTAINS -> byAssertj(name, weight, line, () -> LlmAssertions.assertThat(response(answer)).contains(expected),
                    "contains " + quote(expected));
            case ICONTAINS -> {
                boolean found = answer.toLowerCase(Locale.ROOT).contains(expected.toLowerCase(Locale.ROOT));
                yield binary(name, found, weight, line, (found ? "contains " : "does not contain ") + quote(expected)
                        + " (ignoring case)" + (found ? "" : "; the answer was " + quote(answer)));
            }
            case REGEX -> {
                // promptfoo's regex looks for the pattern anywhere in the answer, as Matcher.find does.
                boolean found = Pattern.compile(expected).matcher(answer).find();
                yield binary(name, found, weight, line, (found ? "finds /" : "does not find /") + expected + "/"
                        + (found ? "" : " in " + quote(answer)));
            }
            case IS_JSON -> value == null
                    ? byAssertj(name, weight, line, () -> LlmAssertions.assertThat(response(answer)).isValidJson(), "is JSON")
                    : byAssertj(name, weight, line, () -> LlmAssertions.assertThat(response(answer)).matchesJsonSchema(value.toString()),
                            "is JSON matching the schema");
            case JSON_SCHEMA -> byAssertj(name, weight, line,
                    () -> LlmAssertions.assertThat(response(answer)).matchesJsonSchema(Objects.requireNonNull(value).toString()),
                    "matches the schema");
            case SIMILAR -> {
                double threshold = threshold(assertion);
                double similarity = TextSimilarity.defaultSimilarity().similarity(answer, expected);
                yield new Check(name, similarity + 1e-12 >= threshold, Math.max(0, Math.min(1, similarity)), weight,
                        "similarity " + format(similarity) + (similarity >= threshold ? " >= " : " < ") + format(threshold) + " to "
                                + quote(expected), line);
            }
            case LLM_RUBRIC -> rubric(assertion, answer, judge, evalCase);
            case COST -> {
                BigDecimal limit = Objects.requireNonNull(assertion.threshold());
                Usd cost = CallLedger.totalCost(calls);
                boolean within = cost != null && cost.amount().compareTo(limit) <= 0;
                yield binary(name, within, weight, line, cost == null ? "cost unknown (a model without a price), limit $" + plain(limit)
                        : "cost $" + cost.toPlainString() + (within ? " <= " : " > ") + "$" + plain(limit) + " over "
                        + calls.size() + (calls.size() == 1 ? " call" : " calls"));
            }
            case LATENCY -> {
                BigDecimal limit = Objects.requireNonNull(assertion.threshold());
                Duration total = calls.stream().map(LlmCall::judgedLatency).reduce(Duration.ZERO, Duration::plus);
                boolean within = BigDecimal.valueOf(total.toMillis()).compareTo(limit) <= 0;
                yield binary(name, within, weight, line, "latency " + total.toMillis() + " ms" + (within ? " <= " : " > ") + plain(limit)
                        + " ms over " + calls.size() + (calls.size() == 1 ? " call" : " calls") + " (recorded latency in playback)");
            }
            case CONFIDENCE -> {
                double minimum = threshold(assertion);
                Double lowest = null;
                boolean unknown = false;
                for (LlmCall call : calls) {
                    if (!call.succeeded()) {
                        continue;
                    }
                    if (call.confidence() == null) {
                        unknown = true;
                    } else {
                        lowest = lowest == null ? call.confidence() : Math.min(lowest, call.confidence());
                    }
                }
                boolean within = !unknown && lowest != null && lowest + 1e-12 >= minimum;
                yield binary(name, within, weight, line, unknown || lowest == null
                        ? "confidence unknown (the response had no log-probabilities), minimum " + format(minimum)
                        : "lowest confidence " + format(lowest) + (within ? " >= " : " < ") + format(minimum));
            }
        };
    }

    private static Check rubric(EvalAssertion assertion, String answer, Supplier<Router> judge, EvalCase evalCase) {
        String rubric = Objects.requireNonNull(assertion.value()).isValueNode() ? assertion.value().asText() : assertion.value().toString();
        double threshold = threshold(assertion);
        ChatRequest request = ChatRequest.builder().messages(SystemMessage.from(JUDGE_SYSTEM),
                UserMessage.from("Rubric: " + rubric + "\n\nOutput:\n" + answer)).build();
        String verdict;
        try {
            String text = judge.get().route(request).chatResponse().aiMessage().text();
            verdict = text == null ? "" : text;
        } catch (RuntimeException e) {
            return new Check(assertion.name(), false, 0, assertion.weight(), "the judge could not answer: " + e.getMessage(),
                    assertion.line());
        }
        Matcher object = JSON_OBJECT.matcher(verdict);
        try {
            JsonNode parsed = JSON.readTree(object.find() ? object.group() : verdict);
            boolean pass = parsed.path("pass").asBoolean(false);
            double score = parsed.path("score").isNumber() ? parsed.path("score").asDouble() : pass ? 1 : 0;
            score = Math.max(0, Math.min(1, score));
            String reason = parsed.path("reason").asText("");
            boolean passed = pass && score + 1e-12 >= threshold;
            return new Check(assertion.name(), passed, score, assertion.weight(), "judge: " + (pass ? "pass" : "fail") + ", score "
                    + format(score) + (passed ? "" : " (needs " + format(threshold) + " and pass)") + (reason.isEmpty() ? "" : ": " + reason),
                    assertion.line());
        } catch (java.io.IOException e) {
            return new Check(assertion.name(), false, 0, assertion.weight(), "the judge did not answer the JSON it was asked for ("
                    + "{\"pass\", \"score\", \"reason\"}) but " + quote(verdict) + " for case '" + evalCase.key() + "'", assertion.line());
        }
    }

    private static Check byAssertj(String name, double weight, int line, Runnable assertion, String passing) {
        try {
            assertion.run();
            return new Check(name, true, 1, weight, passing, line);
        } catch (AssertionError failure) {
            String message = String.valueOf(failure.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ");
            return new Check(name, false, 0, weight, message, line);
        }
    }

    private static Check binary(String name, boolean passed, double weight, int line, String reason) {
        return new Check(name, passed, passed ? 1 : 0, weight, reason, line);
    }

    private static boolean jsonEquals(String answer, JsonNode expected) {
        try {
            return JSON.readTree(answer).equals(JSON.readTree(expected.toString()));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static ChatResponse response(String answer) {
        return ChatResponse.builder().aiMessage(AiMessage.from(answer)).build();
    }

    private static double threshold(EvalAssertion assertion) {
        return assertion.threshold() == null ? 0 : assertion.threshold().doubleValue();
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    static String format(double value) {
        return BigDecimal.valueOf(value).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String quote(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return "\"" + (flat.length() > 120 ? flat.substring(0, 120) + "…" : flat) + "\"";
    }
}
