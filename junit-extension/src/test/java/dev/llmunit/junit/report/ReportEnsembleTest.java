package dev.llmunit.junit.report;

import static dev.llmunit.junit.report.Records.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.core.ensemble.AnswerCluster;
import dev.llmunit.core.ensemble.MemberOutcome;
import dev.llmunit.junit.EnsembleCall;
import dev.llmunit.junit.LlmCall;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's ensemble runs: written to report.json, read back unchanged, shown in report.html. */
class ReportEnsembleTest {

    private static TestRecord withEnsemble() {
        LlmCall first = call(1, "0.00027", 612);
        LlmCall second = call(2, "0.00027", 701);
        LlmCall third = call(3, "0.0002", 889);
        EnsembleCall run = new EnsembleCall(1, "triage", "majorityVote", "json /category", List.of(
                new EnsembleCall.Member("openai#1", "openai", MemberOutcome.ANSWERED, 1, "ACCOUNT", null, "{\"category\":\"ACCOUNT\"}", first),
                new EnsembleCall.Member("openai#2", "openai", MemberOutcome.ANSWERED, 1, "ACCOUNT", null, "{\"category\":\"ACCOUNT\"}", second),
                new EnsembleCall.Member("anthropic", "anthropic", MemberOutcome.ANSWERED, 1, "BUG", null, "{\"category\":\"BUG\"}", third),
                new EnsembleCall.Member("gemini", "gemini", MemberOutcome.SKIPPED, 0.5, null, "budget: too dear", "", null)),
                List.of(new AnswerCluster("ACCOUNT", List.of("openai#1", "openai#2"), 2, 2, 2.0 / 3, 2.0 / 3),
                        new AnswerCluster("BUG", List.of("anthropic"), 1, 1, 1.0 / 3, 1.0 / 3)),
                List.of(), "openai#1", 2.0 / 3, 2.0 / 3, false, 2.0 / 3, null, List.of(), false, false, null, "Locked out <after> reset",
                "{\"category\":\"ACCOUNT\"}", null);
        return new TestRecord("dev.acme.TriageTest#locked", "locked()", TestStatus.PASSED, List.of(first, second, third), List.of(), "", null,
                List.of(run));
    }

    @Test
    void writesEachRunWithMembersClustersVotesConfidenceAndCost() {
        ReportTest test = LlmReport.of("run-1", List.of(withEnsemble()), List.of()).tests().get(0);

        ReportEnsemble run = test.ensembles().get(0);
        assertThat(run.cost()).hasToString("$0.00074");
        assertThat(run.latencyMs()).as("the slowest member").isEqualTo(889);
        assertThat(run.members()).extracting(ReportEnsemble.Member::id, ReportEnsemble.Member::outcome, ReportEnsemble.Member::callSequence)
                .containsExactly(org.assertj.core.api.Assertions.tuple("openai#1", "answered", 1),
                        org.assertj.core.api.Assertions.tuple("openai#2", "answered", 2),
                        org.assertj.core.api.Assertions.tuple("anthropic", "answered", 3),
                        org.assertj.core.api.Assertions.tuple("gemini", "skipped", null));
        assertThat(run.clusters()).extracting(ReportEnsemble.Cluster::key, ReportEnsemble.Cluster::votes, ReportEnsemble.Cluster::share)
                .containsExactly(org.assertj.core.api.Assertions.tuple("ACCOUNT", 2, 2.0 / 3),
                        org.assertj.core.api.Assertions.tuple("BUG", 1, 1.0 / 3));
    }

    @Test
    void readsBackTheSameRunsItWrote(@TempDir Path dir) {
        LlmReport report = LlmReport.of("run-1", List.of(withEnsemble()), List.of());
        Path file = dir.resolve("report.json");
        report.writeJson(file);

        assertThat(LlmReport.read(file)).isEqualTo(report);
    }

    @Test
    void showsAnEnsemblesSectionOnlyWhenATestRanOne() {
        String html = LlmReport.of("run-1", List.of(withEnsemble()), List.of()).toHtml();
        String without = LlmReport.of("run-1", List.of(Records.passed("dev.acme.A#x", call(1, "0.1", 10))), List.of()).toHtml();

        assertThat(html).contains("<section id=\"ensembles\">", "chose openai#1 (majorityVote over json /category), confidence 66.7 % raw,"
                + " $0.000740, 889 ms", "<td>openai#2</td>", "skipped: budget: too dear", "<td>ACCOUNT</td><td>openai#1, openai#2</td>");
        assertThat(without).doesNotContain("id=\"ensembles\"");
    }
}
