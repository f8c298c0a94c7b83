package dev.llmunit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmunit.core.route.Router;
import dev.llmunit.junit.LlmRouter;
import dev.llmunit.wiremock.FixtureServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Discovery: one test per case under its class, each with its file and line, and every problem in
 * an eval file or a class reported as a discovery issue naming the file, the line and the field.
 */
class EngineDiscoveryTest {

    @TempDir
    Path reportDir;

    @LlmCases("evals/broken/bad.yaml")
    static class BrokenYaml {
        @LlmTarget
        static String answer(@Var("question") String question) {
            return question;
        }
    }

    @LlmCases("evals/broken/notyaml.yaml")
    static class NotYaml {
        @LlmTarget
        static String answer(@Var("question") String question) {
            return question;
        }
    }

    @LlmCases({"evals/broken/bad.csv", "evals/broken/bad.jsonl"})
    static class BrokenCsvAndJsonLines {
        @LlmTarget
        static String answer(@Var("question") String question) {
            return question;
        }
    }

    @LlmCases("evals/basic/*.yaml")
    static class NoTarget {}

    @LlmCases("evals/nothing-here/*.yaml")
    static class NoFiles {
        @LlmTarget
        static String answer(@Var("question") String question) {
            return question;
        }
    }

    @LlmCases("evals/basic/answers.yaml")
    static class UnknownParameter {
        @LlmTarget
        static String answer(StringBuilder unknown) {
            return "";
        }
    }

    @LlmCases(value = "evals/basic/answers.yaml", prompt = "{{question}}")
    static class Listed {
        @LlmRouter
        static Router router(FixtureServer server) {
            return Stubs.router(server);
        }
    }

    @Test
    void eachCaseIsATestUnderItsClassWithTheCaseFileAndLineAsSource() {
        EngineDiscoveryResults results = EngineTestKits.discover(reportDir, DiscoverySelectors.selectClass(Listed.class));

        assertThat(results.getDiscoveryIssues()).isEmpty();
        TestDescriptor engine = results.getEngineDescriptor();
        TestDescriptor listed = engine.getChildren().iterator().next();
        assertThat(listed.getSource()).contains(ClassSource.from(Listed.class));
        assertThat(listed.getChildren()).hasSize(6).allMatch(TestDescriptor::isTest);
        TestDescriptor capital = listed.getChildren().stream().filter(child -> child.getDisplayName().equals("names the capital of France"))
                .findFirst().orElseThrow();
        FileSource source = (FileSource) capital.getSource().orElseThrow();
        assertThat(source.getFile().toPath()).isEqualTo(Path.of("src/test/resources/llmunit/evals/basic/answers.yaml").toAbsolutePath());
        assertThat(source.getPosition().orElseThrow().getLine()).isEqualTo(6);
        assertThat(capital.getUniqueId()).isEqualTo(UniqueId.forEngine("llmunit").append("class", Listed.class.getName())
                .append("case", "llmunit/evals/basic/answers.yaml#capital"));
    }

    @Test
    void aUniqueIdSelectsOneCase() {
        UniqueId id = UniqueId.forEngine("llmunit").append("class", Listed.class.getName())
                .append("case", "llmunit/evals/basic/answers.yaml#json");
        EngineExecutionResults results = org.junit.platform.testkit.engine.EngineTestKit.engine("llmunit")
                .selectors(DiscoverySelectors.selectUniqueId(id))
                .configurationParameter("llmunit.report.dir", reportDir.toString())
                .configurationParameter("llmunit.baseline", "off")
                .configurationParameter("llmunit.report.console", "off").execute();

        assertThat(EngineTestKits.passedNames(results)).containsExactly("answers in JSON");
        assertThat(results.testEvents().started().count()).isEqualTo(1);
    }

    @Test
    void everyProblemOfAYamlFileIsAnIssueNamingFileLineAndFieldAndTheGoodCaseStays() {
        EngineDiscoveryResults results = EngineTestKits.discover(reportDir, DiscoverySelectors.selectClass(BrokenYaml.class));

        List<String> messages = messages(results);
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("llmunit/evals/broken/bad.yaml:5")
                .contains("case 'unknown-type' assert[0] field type: 'containz' is not an assertion type llmunit knows").contains("icontains"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.yaml:10").contains("case 'missing-value' assert[0]: contains needs a value"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.yaml:13").contains("case 'bad-threshold' field threshold")
                .contains("from 0 to 1").contains("7"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.yaml:15").contains("assert[0] field threshold")
                .contains("1.5"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.yaml:18").contains("field asert: not a field"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.yaml:20").contains("case 'no-question' field vars: lacks question"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.yaml:27").contains("not a regular expression"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.yaml:30").contains("field options.reducer").contains("needs at least 3 runs"));
        assertThat(results.getDiscoveryIssues()).allMatch(issue -> issue.severity() == DiscoveryIssue.Severity.ERROR)
                .allMatch(issue -> issue.source().filter(FileSource.class::isInstance).isPresent());
        TestDescriptor broken = results.getEngineDescriptor().getChildren().iterator().next();
        assertThat(broken.getChildren()).extracting(TestDescriptor::getDisplayName).containsExactly("fine");
    }

    @Test
    void aBrokenFileFailsTheRunWithItsIssuesInsteadOfRunningAnything() {
        EngineExecutionResults results = EngineTestKits.run(reportDir, NotYaml.class);

        Throwable failure = results.allEvents().failed().stream().findFirst().flatMap(EngineTestKits::throwable).orElseThrow();
        assertThat(failure.getMessage()).contains("critical issue").contains("llmunit/evals/broken/notyaml.yaml:3")
                .contains("not valid YAML");
        assertThat(results.testEvents().started().count()).isZero();
    }

    @Test
    void csvAndJsonLinesProblemsNameTheirLine() {
        EngineDiscoveryResults results = EngineTestKits.discover(reportDir, DiscoverySelectors.selectClass(BrokenCsvAndJsonLines.class));

        List<String> messages = messages(results);
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.csv:2").contains("column __weird is not one"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.csv:3").contains("'cost:' needs a limit"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("bad.jsonl:2").contains("not valid JSON"));
        TestDescriptor cases = results.getEngineDescriptor().getChildren().iterator().next();
        assertThat(cases.getChildren()).extracting(TestDescriptor::getDisplayName).containsExactly("ok");
    }

    @Test
    void aClassWithoutTargetOrFilesOrWithAnUnknownParameterIsAnIssueOnTheClass() {
        EngineDiscoveryResults results = EngineTestKits.discover(reportDir, DiscoverySelectors.selectClass(NoTarget.class),
                DiscoverySelectors.selectClass(NoFiles.class), DiscoverySelectors.selectClass(UnknownParameter.class));

        List<String> messages = messages(results);
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("NoTarget names no target for its cases")
                .contains("@LlmTarget").contains("prompt"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("evals/nothing-here/*.yaml")
                .contains("matches no eval file"));
        assertThat(messages).anySatisfy(message -> assertThat(message).contains("parameter").contains("StringBuilder")
                .contains("@Var"));
        assertThat(results.getDiscoveryIssues()).allMatch(issue -> issue.source().filter(ClassSource.class::isInstance).isPresent());
        assertThat(results.getEngineDescriptor().getChildren()).isEmpty();
    }

    @Test
    void scanningTheClassPathWarnsAboutEvalFilesNoClassRuns() {
        Path testClasses = Path.of("target/test-classes").toAbsolutePath();
        EngineDiscoveryResults results = EngineTestKits.discover(reportDir,
                DiscoverySelectors.selectClasspathRoots(java.util.Set.of(testClasses)).toArray(new org.junit.platform.engine.DiscoverySelector[0]));

        assertThat(results.getDiscoveryIssues()).filteredOn(issue -> issue.severity() == DiscoveryIssue.Severity.WARNING)
                .extracting(DiscoveryIssue::message)
                .anySatisfy(message -> assertThat(message).contains("llmunit/evals/unclaimed/orphan.yaml is not named by any @LlmCases class"));
    }

    private static List<String> messages(EngineDiscoveryResults results) {
        return results.getDiscoveryIssues().stream().map(DiscoveryIssue::message).toList();
    }
}
