package dev.llmunit.engine.internal;

import dev.llmunit.engine.LlmCases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.ClasspathRootSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * The {@code llmunit} JUnit Platform engine: each {@link LlmCases} class is a container, each case
 * of its eval files a test. Found through {@code META-INF/services}, so adding
 * {@code llmunit-engine} to the test class path is all Surefire, Gradle and IDEs need.
 */
public final class LlmCasesEngine implements TestEngine {

    /** The engine's id. */
    public static final String ID = "llmunit";

    /** Creates the engine; the platform does, through {@code ServiceLoader}. */
    public LlmCasesEngine() {}

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("dev.llmunit");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("llmunit-engine");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineDescriptor engine = new EngineDescriptor(uniqueId, "llmunit evals");
        DiscoveryIssueReporter issues = DiscoveryIssueReporter.deduplicating(
                DiscoveryIssueReporter.forwarding(request.getDiscoveryListener(), uniqueId));
        EngineDiscoveryRequestResolver.<EngineDescriptor>builder()
                .addClassContainerSelectorResolver(LlmCasesEngine::isCasesClass)
                .addSelectorResolver(context -> new Resolver(context.getIssueReporter()))
                .build()
                .resolve(request, engine);
        warnAboutUnclaimedFiles(request, engine, issues);
        return engine;
    }

    @Override
    public void execute(ExecutionRequest request) {
        new CasesExecution(request).run();
    }

    static boolean isCasesClass(Class<?> candidate) {
        return AnnotationSupport.isAnnotated(candidate, LlmCases.class) && !candidate.isInterface() && !candidate.isAnnotation()
                && !java.lang.reflect.Modifier.isAbstract(candidate.getModifiers());
    }

    /** Eval files under a scanned class path root that no discovered class runs: their cases would silently never run. */
    private static void warnAboutUnclaimedFiles(EngineDiscoveryRequest request, EngineDescriptor engine, DiscoveryIssueReporter issues) {
        List<ClasspathRootSelector> roots = request.getSelectorsByType(ClasspathRootSelector.class);
        if (roots.isEmpty()) {
            return;
        }
        List<String> globs = new ArrayList<>();
        for (TestDescriptor child : engine.getChildren()) {
            if (child instanceof CasesClassDescriptor cases) {
                globs.addAll(List.of(cases.cases().value()));
            }
        }
        for (ClasspathRootSelector root : roots) {
            for (String relative : EvalFiles.evalFilesUnder(Path.of(root.getClasspathRoot()))) {
                if (globs.stream().noneMatch(glob -> EvalFiles.matches(relative, glob))) {
                    issues.reportIssue(DiscoveryIssue.builder(DiscoveryIssue.Severity.WARNING, "eval file " + EvalFiles.ROOT + "/"
                                    + relative + " is not named by any @LlmCases class, so its cases do not run; add a class with"
                                    + " @LlmCases(\"" + relative + "\") and a target")
                            .source(EvalFiles.source(EvalFiles.ROOT + "/" + relative, 0)));
                }
            }
        }
    }

    /** Resolves class selectors (also those found by scanning) and unique ids of classes and cases. */
    private static final class Resolver implements SelectorResolver {

        private final DiscoveryIssueReporter issues;

        Resolver(DiscoveryIssueReporter issues) {
            this.issues = issues;
        }

        @Override
        public Resolution resolve(ClassSelector selector, Context context) {
            Class<?> testClass;
            try {
                testClass = selector.getJavaClass();
            } catch (RuntimeException notLoadable) {
                return Resolution.unresolved();
            }
            return resolveClass(testClass, null, context);
        }

        @Override
        public Resolution resolve(UniqueIdSelector selector, Context context) {
            List<UniqueId.Segment> segments = selector.getUniqueId().getSegments();
            if (segments.size() < 2 || !segments.get(0).getValue().equals(ID) || !segments.get(1).getType().equals(CasesClassDescriptor.SEGMENT)) {
                return Resolution.unresolved();
            }
            Optional<Class<?>> testClass = ReflectionSupport.tryToLoadClass(segments.get(1).getValue()).toOptional();
            if (testClass.isEmpty()) {
                return Resolution.unresolved();
            }
            String only = segments.size() > 2 && segments.get(2).getType().equals(CaseDescriptor.SEGMENT) ? segments.get(2).getValue() : null;
            return resolveClass(testClass.get(), only, context);
        }

        private Resolution resolveClass(Class<?> testClass, String onlyCase, Context context) {
            if (!isCasesClass(testClass)) {
                return Resolution.unresolved();
            }
            Optional<CasesClassDescriptor> added = context.addToParent(parent -> Optional.ofNullable(
                    CasesDiscovery.describe(parent.getUniqueId(), testClass, issues)));
            if (added.isEmpty()) {
                return Resolution.unresolved();
            }
            CasesClassDescriptor descriptor = added.get();
            if (onlyCase != null) {
                Set<TestDescriptor> others = new HashSet<>();
                for (TestDescriptor child : descriptor.getChildren()) {
                    if (child instanceof CaseDescriptor caseDescriptor && !CaseDescriptor.segment(caseDescriptor.evalCase()).equals(onlyCase)) {
                        others.add(child);
                    }
                }
                others.forEach(descriptor::removeChild);
            }
            return Resolution.match(Match.exact(descriptor));
        }
    }
}
