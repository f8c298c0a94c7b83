package dev.llmunit.assertj;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.ensemble.AnswerCluster;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.ensemble.MemberResult;
import dev.llmunit.core.internal.AnswerText;
import java.util.List;
import java.util.Locale;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The failure messages of {@link EnsembleResultAssert}, one factory method per failure, laid out
 * the AssertJ way. The actual value is the whole run: what was chosen and how sure, then one line
 * per member sample with its outcome, cluster, cost, latency and answer, then the clusters.
 */
final class EnsembleErrorMessages extends BasicErrorMessageFactory {

    private static final String NL = System.lineSeparator();

    private EnsembleErrorMessages(String format, Object... arguments) {
        super(format, arguments);
    }

    static ErrorMessageFactory shouldHaveConfidenceAtLeast(EnsembleResult actual, double minimum) {
        return new EnsembleErrorMessages("%nExpecting actual:%n  %s%nto have a confidence of at least:%n  %s%nbut had:%n  %s",
                run(actual), unquotedString(LlmErrorMessages.score(minimum)), unquotedString(confidence(actual)));
    }

    static ErrorMessageFactory shouldBeAgreedBy(EnsembleResult actual, int expected) {
        return new EnsembleErrorMessages("%nExpecting actual:%n  %s%nto have its answer agreed by at least:%n  %s%nbut it was agreed by:%n  %s",
                run(actual), unquotedString(members(expected)), unquotedString(members(actual.agreedBy())));
    }

    static ErrorMessageFactory shouldHaveChosen(EnsembleResult actual, String expected) {
        return new EnsembleErrorMessages("%nExpecting actual:%n  %s%nto have chosen the answer of:%n  %s%nbut chose:%n  %s",
                run(actual), expected, actual.chosenId());
    }

    static ErrorMessageFactory shouldHaveClusters(EnsembleResult actual, int expected) {
        return new EnsembleErrorMessages("%nExpecting actual:%n  %s%nto have:%n  %s%nbut had:%n  %s",
                run(actual), unquotedString(clusters(expected)), unquotedString(clusters(actual.clusters().size())));
    }

    static ErrorMessageFactory shouldHaveMember(EnsembleResult actual, String member) {
        return new EnsembleErrorMessages("%nExpecting actual:%n  %s%nto have a member:%n  %s%nbut its member samples are:%n  %s",
                run(actual), member, actual.members().stream().map(MemberResult::id).toList());
    }

    static ErrorMessageFactory shouldHaveAnswered(EnsembleResult actual, List<MemberResult> notAnswered) {
        return new EnsembleErrorMessages("%nExpecting actual:%n  %s%nto have every sample of these answered:%n  %s%nbut:%n  %s",
                run(actual), notAnswered.get(0).member(), unquotedString(lines(notAnswered)));
    }

    static ErrorMessageFactory shouldHaveAnsweredWith(EnsembleResult actual, String member, String key, List<MemberResult> others) {
        return new EnsembleErrorMessages("%nExpecting actual:%n  %s%nto have %s answer:%n  %s%nbut:%n  %s",
                run(actual), unquotedString(member), key, unquotedString(lines(others)));
    }

    static ErrorMessageFactory shouldCostAtMost(EnsembleResult actual, Usd max) {
        return new EnsembleErrorMessages("%nExpecting actual:%n  %s%nto cost at most:%n  %s%nbut cost:%n  %s",
                run(actual), unquotedString(max.toString()), unquotedString(cost(actual)));
    }

    /** The whole run, as every message shows it. */
    static Object run(EnsembleResult result) {
        StringBuilder text = new StringBuilder("ensemble \"").append(result.ensemble()).append("\" (").append(result.strategy())
                .append(" over ").append(result.answerKey()).append(") chose ").append(result.chosenId());
        if (result.chosenKey() != null) {
            text.append(" \"").append(result.chosenKey()).append('"');
        }
        text.append(", confidence ").append(confidence(result)).append(", ").append(cost(result)).append(", ")
                .append(result.latency().toMillis()).append(" ms:");
        for (MemberResult member : result.members()) {
            text.append(NL).append("    ").append(line(member, result.clusters()));
        }
        if (!result.clusters().isEmpty()) {
            text.append(NL).append("  clusters:");
            int number = 1;
            for (AnswerCluster cluster : result.clusters()) {
                text.append(NL).append("    ").append(number++).append(". \"").append(cluster.key()).append("\": ")
                        .append(String.join(", ", cluster.members())).append(" (").append(cluster.votes() == 1 ? "1 vote" : cluster.votes() + " votes")
                        .append(String.format(Locale.ROOT, ", weight %.2f)", cluster.weight()));
            }
        }
        for (var call : result.auxiliaryCalls()) {
            text.append(NL).append("  ").append(call.role()).append(": ").append(call.routed() == null ? "failed" : "answered")
                    .append(", ").append(call.cost()).append(", ").append(call.latency().toMillis()).append(" ms");
        }
        if (result.fallbackReason() != null) {
            text.append(NL).append("  fell back: ").append(result.fallbackReason());
        }
        return unquotedString(text.toString());
    }

    private static String line(MemberResult member, List<AnswerCluster> clusters) {
        StringBuilder line = new StringBuilder(member.id()).append(": ").append(member.outcome());
        int cluster = 0;
        for (int i = 0; i < clusters.size(); i++) {
            if (member.answered() && clusters.get(i).key().equals(member.key())) {
                cluster = i + 1;
            }
        }
        if (cluster > 0) {
            line.append(" in cluster ").append(cluster);
        }
        if (member.reason() != null) {
            line.append(" (").append(member.reason()).append(')');
        }
        if (member.routed() != null) {
            line.append(", ").append(member.costKnown() ? member.cost().toString() : "cost unknown").append(", ")
                    .append(member.latency().toMillis()).append(" ms, \"").append(AnswerText.shorten(member.text(), 80)).append('"');
        }
        return line.toString();
    }

    private static String lines(List<MemberResult> members) {
        StringBuilder text = new StringBuilder();
        for (MemberResult member : members) {
            if (text.length() > 0) {
                text.append(NL).append("  ");
            }
            text.append(member.id()).append(": ").append(member.outcome())
                    .append(member.key() == null ? "" : " \"" + member.key() + "\"")
                    .append(member.reason() == null ? "" : " (" + member.reason() + ")");
        }
        return text.toString();
    }

    private static String confidence(EnsembleResult result) {
        return LlmErrorMessages.score(result.confidence()) + (result.calibrated()
                ? " (calibrated; raw " + LlmErrorMessages.score(result.rawConfidence()) + ")"
                : " (raw; agreement " + LlmErrorMessages.score(result.agreement()) + ")");
    }

    private static String cost(EnsembleResult result) {
        return result.totalCost() + (result.unpricedCalls() > 0 ? " (a lower bound: " + result.unpricedCalls() + " unpriced)" : "");
    }

    private static String members(int count) {
        return count == 1 ? "1 member sample" : count + " member samples";
    }

    private static String clusters(int count) {
        return count == 1 ? "1 cluster" : count + " clusters";
    }
}
