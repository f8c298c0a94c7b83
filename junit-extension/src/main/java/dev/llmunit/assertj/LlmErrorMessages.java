package dev.llmunit.assertj;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.junit.CallAttempt;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;
import org.jspecify.annotations.Nullable;

/**
 * The failure messages of llmunit's assertions, one factory method per failure, all laid out the
 * AssertJ way: {@code Expecting actual:}, the actual value, then what was expected and what was
 * found instead. The actual value is the response's text for content checks, a summary of the
 * routing (provider that served, every attempt with its outcome, error kind and cost) for routing
 * and cost checks, and the call ledger (count, totals, one line per call) for ledger checks.
 * Package-private: the messages are the API, not this class.
 */
final class LlmErrorMessages extends BasicErrorMessageFactory {

    /** Longest text shown in a message; longer texts are cut and their length stated. */
    static final int MAX_TEXT_LENGTH = 500;

    private static final String NL = System.lineSeparator();

    /** Where a confidence comes from, said wherever one is missing. */
    static final String HOW_TO_GET_LOGPROBS = "only OpenAI responses carry token log-probabilities, and only when asked: "
            + "set logprobs(true) on the OpenAiChatModel builder or on OpenAiChatRequestParameters";

    private LlmErrorMessages(String format, Object... arguments) {
        super(format, arguments);
    }

    // content

    static ErrorMessageFactory shouldContain(ChatResponse actual, List<String> expected, List<String> missing) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto contain:%n  %s%nbut could not find:%n  %s",
                text(actual), expected, missing);
    }

    static ErrorMessageFactory shouldNotContain(ChatResponse actual, List<String> unexpected, List<String> found) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nnot to contain:%n  %s%nbut found:%n  %s",
                text(actual), unexpected, found);
    }

    static ErrorMessageFactory shouldMatch(ChatResponse actual, String regex) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto match pattern:%n  %s", text(actual), regex);
    }

    static ErrorMessageFactory shouldBeValidJson(ChatResponse actual, String parseError) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto be valid JSON%nbut parsing failed:%n  %s",
                text(actual), unquotedString(parseError));
    }

    static ErrorMessageFactory shouldHaveFinishReason(ChatResponse actual, Object expected, @Nullable Object found) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have finish reason:%n  %s%nbut had:%n  %s",
                text(actual), unquotedString(String.valueOf(expected)), unquotedString(found == null ? "none" : found.toString()));
    }

    static ErrorMessageFactory shouldHaveModel(ChatResponse actual, String expected, @Nullable String found) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have model:%n  %s%nbut had:%n  %s",
                text(actual), expected, found == null ? unquotedString("none") : found);
    }

    static ErrorMessageFactory shouldHaveTokens(ChatResponse actual, String which, long expected, @Nullable Integer found) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have %s:%n  %s%nbut had:%n  %s",
                text(actual), unquotedString(which), unquotedString(Long.toString(expected)), tokens(found));
    }

    static ErrorMessageFactory shouldHaveTotalTokensAtMost(ChatResponse actual, long max, @Nullable Integer total,
            @Nullable Integer input, @Nullable Integer output) {
        String used = total == null ? "no token usage reported"
                : total + " (input " + (input == null ? "unknown" : input) + " + output " + (output == null ? "unknown" : output) + ")";
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have at most total tokens:%n  %s%nbut had:%n  %s",
                text(actual), unquotedString(Long.toString(max)), unquotedString(used));
    }

    // routing and cost

    static ErrorMessageFactory shouldBeServedBy(RoutedResponse actual, String expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto be served by:%n  %s%nbut was served by:%n  %s",
                routing(actual), expected, actual.provider());
    }

    static ErrorMessageFactory shouldHaveFallenBackFrom(RoutedResponse actual, List<String> expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have fallen back from, in order:%n  %s%nbut fell back from:%n  %s",
                routing(actual), expected, actual.fallbacks());
    }

    static ErrorMessageFactory shouldHaveAttempts(RoutedResponse actual, int expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have made:%n  %s%nbut made:%n  %s",
                routing(actual), unquotedString(count(expected, "attempt")), unquotedString(count(actual.attempts().size(), "attempt")));
    }

    static ErrorMessageFactory shouldHaveNoRetries(RoutedResponse actual) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have had no retries%nbut had:%n  %s",
                routing(actual), unquotedString(count(actual.retries(), "retry")));
    }

    static ErrorMessageFactory shouldHaveNoFallbacks(RoutedResponse actual) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have had no fallbacks%nbut fell back from:%n  %s",
                routing(actual), actual.fallbacks());
    }

    static ErrorMessageFactory shouldCostAtMost(RoutedResponse actual, Usd max) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto cost at most:%n  %s%nbut cost:%n  %s",
                routing(actual), unquotedString(max.toString()), unquotedString(actual.cost().toString()));
    }

    static ErrorMessageFactory shouldCost(RoutedResponse actual, Usd expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto cost exactly:%n  %s%nbut cost:%n  %s",
                routing(actual), unquotedString(expected.toString()), unquotedString(actual.cost().toString()));
    }

    /**
     * An unknown price is never read as free: the check fails and says which attempts had no price.
     *
     * @param expectation {@code "to cost at most"} or {@code "to cost exactly"}
     */
    static ErrorMessageFactory shouldHaveKnownCost(RoutedResponse actual, String expectation, Usd amount) {
        int unpriced = actual.trace().unpricedAttempts();
        return new LlmErrorMessages("%nExpecting actual:%n  %s%n%s:%n  %s%nbut its cost is unknown:%n  %s without a price, the priced part is %s",
                routing(actual), unquotedString(expectation), unquotedString(amount.toString()),
                unquotedString(count(unpriced, "attempt")), unquotedString(actual.cost().toString()));
    }

    static ErrorMessageFactory shouldCompleteWithin(RoutedResponse actual, Duration max) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto complete within:%n  %s%nbut took:%n  %s",
                routing(actual), unquotedString(millis(max)), unquotedString(millis(actual.trace().totalTime())));
    }

    // confidence, JSON schema, similarity

    static ErrorMessageFactory shouldHaveConfidenceAtLeast(ChatResponse actual, double min, double confidence) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have a confidence of at least:%n  %s%nbut its confidence was:%n  %s",
                text(actual), unquotedString(decimal(min)), unquotedString(score(confidence)));
    }

    /** An unknown confidence is never read as sure: the check fails and says how to get one. */
    static ErrorMessageFactory shouldHaveKnownConfidence(ChatResponse actual, double min) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have a confidence of at least:%n  %s%n"
                + "but the response carries no log-probabilities, so its confidence is unknown:%n  %s",
                text(actual), unquotedString(decimal(min)), unquotedString(HOW_TO_GET_LOGPROBS));
    }

    static ErrorMessageFactory shouldMatchJsonSchemaButIsNotJson(ChatResponse actual, String schemaOrigin, String parseError) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto match the JSON schema:%n  %s%nbut it is not JSON:%n  %s",
                text(actual), unquotedString(schemaOrigin), unquotedString(parseError));
    }

    static ErrorMessageFactory shouldMatchJsonSchema(ChatResponse actual, String schemaOrigin, List<String> violations) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto match the JSON schema:%n  %s%nbut found %s:%n  %s",
                text(actual), unquotedString(schemaOrigin), unquotedString(count(violations.size(), "violation")),
                unquotedString(String.join(NL + "  ", violations)));
    }

    static ErrorMessageFactory shouldBeSemanticallySimilar(ChatResponse actual, String expected, double threshold,
            double score, String similarity) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto be semantically similar to:%n  %s%n"
                + "with a score of at least:%n  %s%nbut the score was:%n  %s (%s)",
                text(actual), quoted(expected), unquotedString(score(threshold)), unquotedString(score(score)),
                unquotedString(similarity));
    }

    // the call ledger

    static ErrorMessageFactory shouldHaveCallCount(LlmCalls actual, List<LlmCall> calls, int expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have made:%n  %s%nbut made:%n  %s",
                ledger(actual, calls), unquotedString(count(expected, "call")), unquotedString(count(calls.size(), "call")));
    }

    static ErrorMessageFactory shouldHaveNoCalls(LlmCalls actual, List<LlmCall> calls) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have made no calls%nbut made:%n  %s",
                ledger(actual, calls), unquotedString(count(calls.size(), "call")));
    }

    static ErrorMessageFactory shouldHaveSomeCall(LlmCalls actual) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have made at least one call%nbut made none",
                ledger(actual, List.of()));
    }

    static ErrorMessageFactory shouldHaveCallCountAtMost(LlmCalls actual, List<LlmCall> calls, int max) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have made at most:%n  %s%nbut made:%n  %s",
                ledger(actual, calls), unquotedString(count(max, "call")), unquotedString(count(calls.size(), "call")));
    }

    static ErrorMessageFactory shouldCostInTotalAtMost(LlmCalls actual, List<LlmCall> calls, Usd max, Usd total) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto cost in total at most:%n  %s%nbut cost:%n  %s",
                ledger(actual, calls), unquotedString(max.toString()), unquotedString(total.toString()));
    }

    /** Unknown is never free: the check fails and lists the calls without a price. */
    static ErrorMessageFactory shouldHaveKnownTotalCost(LlmCalls actual, List<LlmCall> calls, Usd max, List<LlmCall> unpriced) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto cost in total at most:%n  %s%nbut its cost is unknown, these calls have no price:%n  %s",
                ledger(actual, calls), unquotedString(max.toString()), lines(unpriced));
    }

    static ErrorMessageFactory shouldEachCostAtMost(LlmCalls actual, List<LlmCall> calls, Usd max, List<LlmCall> offenders) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have each call cost at most:%n  %s%nbut these cost more or have no price:%n  %s",
                ledger(actual, calls), unquotedString(max.toString()), lines(offenders));
    }

    static ErrorMessageFactory shouldAllBeServedBy(LlmCalls actual, List<LlmCall> calls, String provider, List<LlmCall> offenders) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have every call served by:%n  %s%nbut these were not:%n  %s",
                ledger(actual, calls), provider, lines(offenders));
    }

    static ErrorMessageFactory shouldHaveNoFallbacks(LlmCalls actual, List<LlmCall> calls, List<LlmCall> offenders) {
        List<String> lines = offenders.stream().map(call -> call + " (fell back from " + call.fallbacks() + ")").toList();
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have had no fallbacks%nbut these fell back:%n  %s",
                ledger(actual, calls), unquotedString(String.join(NL + "  ", lines)));
    }

    static ErrorMessageFactory shouldHaveNoRetries(LlmCalls actual, List<LlmCall> calls, List<LlmCall> offenders) {
        List<String> lines = offenders.stream().map(call -> call + " (" + count(call.retries(), "retry") + ")").toList();
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have had no retries%nbut these retried:%n  %s",
                ledger(actual, calls), unquotedString(String.join(NL + "  ", lines)));
    }

    static ErrorMessageFactory shouldEachCompleteWithin(LlmCalls actual, List<LlmCall> calls, Duration max, List<LlmCall> offenders) {
        List<String> lines = offenders.stream().map(call -> call + " (judged latency " + millis(call.judgedLatency()) + ")").toList();
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have each call complete within:%n  %s%nbut these took longer:%n  %s",
                ledger(actual, calls), unquotedString(millis(max)), unquotedString(String.join(NL + "  ", lines)));
    }

    static ErrorMessageFactory shouldHaveLatencyPercentileAtMost(LlmCalls actual, List<LlmCall> calls, double percentile,
            Duration max, Duration found) {
        String p = "p" + decimal(percentile);
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have a %s judged latency of at most:%n  %s%nbut the %s was:%n  %s",
                ledger(actual, calls), unquotedString(p), unquotedString(millis(max)), unquotedString(p), unquotedString(millis(found)));
    }

    static ErrorMessageFactory shouldAllHaveConfidenceAtLeast(LlmCalls actual, List<LlmCall> calls, double min, List<LlmCall> offenders) {
        List<String> lines = offenders.stream()
                .map(call -> call + (call.confidence() == null ? " (confidence unknown: " + HOW_TO_GET_LOGPROBS + ")" : "")).toList();
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have every call with a confidence of at least:%n  %s%nbut these had less, or none known:%n  %s",
                ledger(actual, calls), unquotedString(decimal(min)), unquotedString(String.join(NL + "  ", lines)));
    }

    /** @param which {@code "input"} or {@code "output"} */
    static ErrorMessageFactory shouldHaveTotalTokensAtMost(LlmCalls actual, List<LlmCall> calls, String which, long max, long total) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have used in total at most %s tokens:%n  %s%nbut used:%n  %s",
                ledger(actual, calls), unquotedString(which), unquotedString(Long.toString(max)), unquotedString(Long.toString(total)));
    }

    static ErrorMessageFactory shouldAllSucceed(LlmCalls actual, List<LlmCall> calls, List<LlmCall> offenders) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have every call succeed%nbut these failed:%n  %s",
                ledger(actual, calls), lines(offenders));
    }

    static ErrorMessageFactory shouldAllBeServedFromFixtures(LlmCalls actual, List<LlmCall> calls, List<LlmCall> offenders) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have every call answered by a fixture%nbut no fixture answered these:%n  %s",
                ledger(actual, calls), lines(offenders));
    }

    // one call

    static ErrorMessageFactory shouldBeServedBy(LlmCall actual, String expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto be served by:%n  %s%nbut was served by:%n  %s",
                call(actual), expected, actual.provider() == null ? unquotedString("no provider, every attempt failed") : actual.provider());
    }

    static ErrorMessageFactory shouldCostAtMost(LlmCall actual, Usd max) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto cost at most:%n  %s%nbut cost:%n  %s",
                call(actual), unquotedString(max.toString()), unquotedString(String.valueOf(actual.cost())));
    }

    static ErrorMessageFactory shouldHaveKnownCost(LlmCall actual, Usd max) {
        List<String> unpriced = actual.attempts().stream().filter(attempt -> attempt.cost() == null).map(CallAttempt::toString).toList();
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto cost at most:%n  %s%nbut its cost is unknown, these attempts have no price:%n  %s",
                call(actual), unquotedString(max.toString()), unquotedString(String.join(NL + "  ", unpriced)));
    }

    static ErrorMessageFactory shouldCompleteWithin(LlmCall actual, Duration max) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto complete within:%n  %s%nbut its judged latency was:%n  %s",
                call(actual), unquotedString(millis(max)), unquotedString(millis(actual.judgedLatency())));
    }

    static ErrorMessageFactory shouldHaveConfidenceAtLeast(LlmCall actual, double min) {
        Double confidence = actual.confidence();
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have a confidence of at least:%n  %s%nbut %s:%n  %s",
                call(actual), unquotedString(decimal(min)),
                unquotedString(confidence == null ? "its confidence is unknown" : "its confidence was"),
                unquotedString(confidence == null ? HOW_TO_GET_LOGPROBS : score(confidence)));
    }

    static ErrorMessageFactory shouldHaveAttempts(LlmCall actual, int expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have made:%n  %s%nbut made:%n  %s",
                call(actual), unquotedString(count(expected, "attempt")), unquotedString(count(actual.attempts().size(), "attempt")));
    }

    static ErrorMessageFactory shouldHaveFallenBackFrom(LlmCall actual, List<String> expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto have fallen back from, in order:%n  %s%nbut fell back from:%n  %s",
                call(actual), expected, actual.fallbacks());
    }

    static ErrorMessageFactory shouldHaveUsedFixture(LlmCall actual, String expected) {
        return new LlmErrorMessages("%nExpecting actual:%n  %s%nto be answered by the fixture:%n  %s%nbut %s",
                call(actual), expected,
                unquotedString(actual.fixture() == null ? "no fixture answered it" : "was answered by \"" + actual.fixture() + "\""));
    }

    // rendering

    /** The response's text, quoted and cut at {@value #MAX_TEXT_LENGTH} characters. */
    static CharSequence text(ChatResponse response) {
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (text == null) {
            return unquotedString("a response without text");
        }
        return quoted(text);
    }

    /**
     * What the routing did: the provider that served, then one line per attempt as
     * {@code provider: OUTCOME KIND, cost $x}.
     */
    static CharSequence routing(RoutedResponse response) {
        List<Attempt> attempts = response.attempts();
        StringBuilder summary = new StringBuilder("response served by \"").append(response.provider()).append("\" after ")
                .append(count(attempts.size(), "attempt")).append(':');
        for (Attempt attempt : attempts) {
            summary.append(NL).append("    ").append(attempt(attempt));
        }
        return unquotedString(summary.toString());
    }

    private static String attempt(Attempt attempt) {
        StringBuilder line = new StringBuilder(attempt.provider());
        if (attempt.retry() > 0) {
            line.append(" (retry ").append(attempt.retry()).append(')');
        }
        line.append(": ").append(attempt.outcome());
        if (attempt.errorKind() != null) {
            line.append(' ').append(attempt.errorKind());
        }
        if (attempt.cost() != null) {
            line.append(", cost ").append(attempt.cost());
        }
        return line.toString();
    }

    /**
     * The ledger: the call count and totals, then one line per call as {@link LlmCall#toString()}
     * prints it (provider, cost, latency, attempts, confidence, fixture).
     */
    static CharSequence ledger(LlmCalls ledger, List<LlmCall> calls) {
        if (calls.isEmpty()) {
            return unquotedString("no calls");
        }
        Usd total = ledger.totalCost();
        Usage usage = ledger.totalUsage();
        StringBuilder summary = new StringBuilder(count(calls.size(), "call")).append(", total cost ")
                .append(total == null ? "unknown" : total.toString()).append(", ")
                .append(usage.inputTokens()).append(" input + ").append(usage.outputTokens()).append(" output tokens:");
        for (LlmCall call : calls) {
            summary.append(NL).append("    ").append(call);
        }
        return unquotedString(summary.toString());
    }

    /** One call: its summary line, then each attempt when there were several. */
    static CharSequence call(LlmCall call) {
        StringBuilder summary = new StringBuilder("call ").append(call);
        if (call.attempts().size() > 1) {
            for (CallAttempt attempt : call.attempts()) {
                summary.append(NL).append("    ").append(attempt);
            }
        }
        return unquotedString(summary.toString());
    }

    private static CharSequence lines(List<LlmCall> calls) {
        StringBuilder lines = new StringBuilder();
        for (LlmCall call : calls) {
            if (lines.length() > 0) {
                lines.append(NL).append("  ");
            }
            lines.append(call);
        }
        return unquotedString(lines.toString());
    }

    /** A text quoted like the actual text, cut at {@value #MAX_TEXT_LENGTH} characters. */
    private static CharSequence quoted(String text) {
        if (text.length() <= MAX_TEXT_LENGTH) {
            return unquotedString("\"" + text + "\"");
        }
        return unquotedString("\"" + text.substring(0, MAX_TEXT_LENGTH) + "...\" (" + text.length() + " characters)");
    }

    /** A score or confidence with three decimals, independent of the locale: {@code 0.912}. */
    static String score(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A number as the user wrote it, without float noise: {@code 0.8}, {@code 95}. */
    private static String decimal(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static CharSequence tokens(@Nullable Integer count) {
        return unquotedString(count == null ? "no token usage reported" : count.toString());
    }

    private static String count(int n, String noun) {
        if (n == 1) {
            return "1 " + noun;
        }
        return n + " " + (noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
    }

    /** A duration in milliseconds with up to six decimals, independent of the locale: {@code 12.5 ms}. */
    static String millis(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos(), 6).stripTrailingZeros().toPlainString() + " ms";
    }
}
