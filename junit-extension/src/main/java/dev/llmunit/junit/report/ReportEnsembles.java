package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.ReportHtml.escape;

import java.util.List;
import java.util.Locale;

/**
 * The "Ensembles" section of {@code report.html}: per test, each ensemble run with its choice,
 * confidence, cost and latency, a row per member sample (outcome, answer key, cluster, weight, cost,
 * latency, fixture, the call's number in the test's calls) and the clusters with their votes.
 * Written only when some test ran an ensemble.
 */
final class ReportEnsembles {

    private ReportEnsembles() {}

    static void section(StringBuilder html, LlmReport report) {
        List<ReportTest> tests = report.tests().stream().filter(test -> !test.ensembles().isEmpty()).toList();
        if (tests.isEmpty()) {
            return;
        }
        ReportHtml.openSection(html, "ensembles", "Ensembles");
        for (ReportTest test : tests) {
            for (ReportEnsemble run : test.ensembles()) {
                html.append("<h3>").append(escape(test.displayName())).append(" &middot; ").append(escape(run.ensemble())).append(" #")
                        .append(run.sequence()).append(" <code class=\"note\">").append(escape(test.id())).append("</code></h3>\n");
                html.append("<p>").append(escape(summary(run))).append("</p>\n");
                html.append("<table>\n<thead><tr><th>Member</th><th>Outcome</th><th>Answer key</th><th class=\"num\">Cluster</th>")
                        .append("<th class=\"num\">Weight</th><th class=\"num\">Cost</th><th class=\"num\">Latency</th>")
                        .append("<th class=\"num\">Call</th><th>Fixture</th><th>Answer</th></tr></thead>\n<tbody>\n");
                for (ReportEnsemble.Member member : run.members()) {
                    int cluster = clusterOf(run, member);
                    html.append("<tr><td>").append(escape(member.id())).append("</td><td")
                            .append(member.outcome().equals("answered") ? "" : " class=\"bad\"").append('>')
                            .append(escape(member.outcome() + (member.reason() == null ? "" : ": " + member.reason())))
                            .append("</td><td>").append(escape(member.key() == null ? "" : member.key()))
                            .append("</td><td class=\"num\">").append(cluster == 0 ? "" : Integer.toString(cluster))
                            .append("</td><td class=\"num\">").append(decimal(member.weight()))
                            .append("</td><td class=\"num\">").append(escape(member.callSequence() == null ? "" : Formats.usd(member.cost())))
                            .append("</td><td class=\"num\">").append(member.callSequence() == null ? "" : member.latencyMs() + " ms")
                            .append("</td><td class=\"num\">").append(member.callSequence() == null ? "" : "#" + member.callSequence())
                            .append("</td><td><code>").append(escape(member.fixture() == null ? "" : member.fixture()))
                            .append("</code></td><td>").append(escape(member.answer())).append("</td></tr>\n");
                }
                html.append("</tbody>\n</table>\n");
                if (!run.clusters().isEmpty()) {
                    html.append("<table>\n<thead><tr><th class=\"num\">Cluster</th><th>Answer key</th><th>Members</th>")
                            .append("<th class=\"num\">Votes</th><th class=\"num\">Weight</th><th class=\"num\">Share</th></tr></thead>\n<tbody>\n");
                    int number = 1;
                    for (ReportEnsemble.Cluster cluster : run.clusters()) {
                        html.append("<tr><td class=\"num\">").append(number++).append("</td><td>").append(escape(cluster.key()))
                                .append("</td><td>").append(escape(String.join(", ", cluster.members())))
                                .append("</td><td class=\"num\">").append(cluster.votes())
                                .append("</td><td class=\"num\">").append(decimal(cluster.weight()))
                                .append("</td><td class=\"num\">").append(percent(cluster.share())).append("</td></tr>\n");
                    }
                    html.append("</tbody>\n</table>\n");
                }
            }
        }
        ReportHtml.closeSection(html);
    }

    /** "chose openai#1 (majorityVote over json /category), confidence 66.7 % raw, $0.000605, 889 ms". */
    static String summary(ReportEnsemble run) {
        StringBuilder text = new StringBuilder();
        if (run.error() != null) {
            text.append("failed: ").append(run.error());
        } else {
            text.append("chose ").append(run.chosen()).append(" (").append(run.strategy()).append(" over ").append(run.answerKey())
                    .append("), confidence ").append(percent(run.confidence() == null ? 0 : run.confidence()))
                    .append(run.calibrated() ? " calibrated (raw " + percent(run.rawConfidence() == null ? 0 : run.rawConfidence()) + ")"
                            : " raw");
        }
        text.append(", ").append(Formats.usd(run.cost())).append(", ").append(run.latencyMs()).append(" ms");
        if (run.fallbackReason() != null) {
            text.append("; fell back: ").append(run.fallbackReason());
        }
        return text.toString();
    }

    private static int clusterOf(ReportEnsemble run, ReportEnsemble.Member member) {
        for (int i = 0; i < run.clusters().size(); i++) {
            if (run.clusters().get(i).members().contains(member.id())) {
                return i + 1;
            }
        }
        return 0;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String decimal(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
