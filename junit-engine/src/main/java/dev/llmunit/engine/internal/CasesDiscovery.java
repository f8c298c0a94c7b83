package dev.llmunit.engine.internal;

import dev.llmunit.engine.LlmCases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.jspecify.annotations.Nullable;

/**
 * Builds the tests of one {@link LlmCases} class: finds its files, reads each, checks every case
 * against the target (a variable the target needs and the case lacks), and reports each problem
 * as a discovery issue naming the file, the line and the field. A broken case is left out; the
 * issues, at severity error, fail the run before any case runs (JUnit's default
 * {@code junit.platform.discovery.issue.severity.critical}), so nothing is silently skipped.
 */
final class CasesDiscovery {

    private CasesDiscovery() {}

    static @Nullable CasesClassDescriptor describe(UniqueId parent, Class<?> testClass, DiscoveryIssueReporter issues) {
        LlmCases cases = testClass.getAnnotation(LlmCases.class);
        if (cases == null) {
            cases = org.junit.platform.commons.support.AnnotationSupport.findAnnotation(testClass, LlmCases.class).orElseThrow();
        }
        List<String> classProblems = new ArrayList<>();
        if (cases.value().length == 0 || List.of(cases.value()).stream().anyMatch(String::isBlank)) {
            classProblems.add("@LlmCases on " + testClass.getName() + " names no eval files; give globs relative to llmunit/ on the"
                    + " test class path, such as @LlmCases(\"evals/triage/*.yaml\")");
        }
        Target target = Target.of(testClass, cases, classProblems);
        if (!classProblems.isEmpty()) {
            classProblems.forEach(problem -> issues.reportIssue(DiscoveryIssue.builder(DiscoveryIssue.Severity.ERROR, problem)
                    .source(ClassSource.from(testClass))));
            return null;
        }
        ClassLoader loader = testClass.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : testClass.getClassLoader();
        List<EvalFiles.Found> files = EvalFiles.find(loader, List.of(cases.value()));
        if (files.isEmpty()) {
            issues.reportIssue(DiscoveryIssue.builder(DiscoveryIssue.Severity.ERROR, "@LlmCases(" + String.join(", ", cases.value())
                    + ") on " + testClass.getName() + " matches no eval file (.yaml, .yml, .json, .jsonl, .csv) under "
                    + EvalFiles.ROOT + "/ on the test class path; put the files in src/test/resources/" + EvalFiles.ROOT
                    + "/ and check the globs").source(ClassSource.from(testClass)));
            return null;
        }
        CasesClassDescriptor descriptor = new CasesClassDescriptor(parent.append(CasesClassDescriptor.SEGMENT, testClass.getName()),
                testClass, cases, target);
        Map<String, String> reportIds = new HashMap<>();
        for (EvalFiles.Found file : files) {
            EvalFileReader.Result read = EvalFileReader.read(file.resource(), file.read(), file::sibling);
            read.problems().forEach(problem -> issue(issues, problem.file(), problem.line(), problem.toString()));
            for (EvalCase evalCase : read.cases()) {
                List<String> missing = new ArrayList<>();
                for (String name : target.requiredVariables()) {
                    if (evalCase.variable(name) == null) {
                        missing.add(name);
                    }
                }
                if (!missing.isEmpty()) {
                    issue(issues, evalCase.file(), evalCase.line(), evalCase.file() + ":" + evalCase.line() + ": case '" + evalCase.key()
                            + "' field vars: lacks " + String.join(", ", missing) + ", which " + targetName(testClass, target)
                            + " needs; add " + (missing.size() == 1 ? "it" : "them") + " to the case's vars (or to defaultTest.vars)");
                    continue;
                }
                String reportId = CaseDescriptor.reportId(testClass, evalCase);
                String earlier = reportIds.putIfAbsent(reportId, evalCase.file() + ":" + evalCase.line());
                if (earlier != null) {
                    issue(issues, evalCase.file(), evalCase.line(), evalCase.file() + ":" + evalCase.line() + ": case '" + evalCase.key()
                            + "' has the same test id as the case at " + earlier + "; give one of them another id");
                    continue;
                }
                descriptor.addChild(new CaseDescriptor(descriptor.getUniqueId().append(CaseDescriptor.SEGMENT, CaseDescriptor.segment(evalCase)),
                        evalCase, testClass));
            }
        }
        return descriptor;
    }

    private static String targetName(Class<?> testClass, Target target) {
        return target.method() != null ? "the @LlmTarget method " + testClass.getSimpleName() + "." + target.method().getName()
                : "the @LlmCases prompt of " + testClass.getSimpleName();
    }

    private static void issue(DiscoveryIssueReporter issues, String file, int line, String message) {
        issues.reportIssue(DiscoveryIssue.builder(DiscoveryIssue.Severity.ERROR, "llmunit eval file " + message)
                .source(EvalFiles.source(file, line)));
    }
}
