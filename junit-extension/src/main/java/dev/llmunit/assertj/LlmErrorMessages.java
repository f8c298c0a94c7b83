package dev.llmunit.assertj;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.trace.Attempt;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;
import org.jspecify.annotations.Nullable;

/**
 * The failure messages of llmunit's assertions, one factory method per failure, all laid out the
 * AssertJ way: {@code Expecting actual:}, the actual value, then what was expected and what was
 * found instead. The actual value is the response's text for content checks and a summary of the
 * routing (provider that served, every attempt with its outcome, error kind and cost) for routing
 * and cost checks. Package-private: the messages are the API, not this class.
 */
final class LlmErrorMessages extends BasicErrorMessageFactory {

    /** Longest text shown in a message; longer texts are cut and their length stated. */
    static final int MAX_TEXT_LENGTH = 500;

    private static final String NL = System.lineSeparator();

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

    // rendering

    /** The response's text, quoted and cut at {@value #MAX_TEXT_LENGTH} characters. */
    static CharSequence text(ChatResponse response) {
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (text == null) {
            return unquotedString("a response without text");
        }
        if (text.length() <= MAX_TEXT_LENGTH) {
            return unquotedString("\"" + text + "\"");
        }
        return unquotedString("\"" + text.substring(0, MAX_TEXT_LENGTH) + "...\" (" + text.length() + " characters)");
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
