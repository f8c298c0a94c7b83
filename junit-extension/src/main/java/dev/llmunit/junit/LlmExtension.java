package dev.llmunit.junit;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.stream.StreamingRouter;
import dev.llmunit.junit.internal.Budgets;
import dev.llmunit.junit.internal.ClassScope;
import dev.llmunit.junit.internal.ExtensionSettings;
import dev.llmunit.junit.internal.OptimizerExperiments;
import dev.llmunit.junit.internal.SuiteState;
import dev.llmunit.junit.internal.TestRuns;
import dev.llmunit.junit.internal.TestScope;
import dev.llmunit.junit.report.TestStatus;
import dev.llmunit.wiremock.FixtureMode;
import dev.llmunit.wiremock.FixtureServer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * The llmunit JUnit 5 extension. Use it through {@link LlmTest @LlmTest}, or register it
 * programmatically when settings need code:
 *
 * <pre>{@code
 * class TriageTest {
 *     @RegisterExtension
 *     static LlmExtension llm = LlmExtension.builder()
 *             .fixtures("triage")
 *             .router(server -> Router.builder()
 *                     .provider("openai", FixtureModels.openAiChat(server, "gpt-4o-mini"))
 *                     .build())
 *             .build();
 *
 *     @Test
 *     void triages(Router router, LlmCalls calls) { … }
 * }
 * }</pre>
 *
 * <p>What it does: starts one {@link FixtureServer} per fixture set and mode for the whole run
 * (kept in JUnit's root store, shared by parallel tests, closed at the end); gives each test its
 * own {@link Router} (so circuit breakers never leak between tests) whose calls land in the test's
 * {@link LlmCalls ledger}; injects {@code Router}, {@code ChatModel} (the router, or one provider
 * with {@link LlmModel}), {@code FixtureServer} and {@code LlmCalls}, and, when the class's
 * {@link LlmRouter} method returns an {@code Ensemble}, that ensemble as {@code Ensemble} and
 * {@code ChatModel} (and its last {@code EnsembleResult} into {@code @AfterEach} methods), or a
 * {@code StreamingRouter}, that router as {@code StreamingRouter} and {@code StreamingChatModel} (its
 * calls land in the ledger with their time to first token); checks {@link CostBudget},
 * {@link LatencyBudget} and {@link MinConfidence} after each test; and at the end of the run
 * writes {@code target/llmunit/report.json} and {@code report.html}, prints a summary, and fails
 * the run on a regression against {@code llmunit-baseline.json}.
 */
public final class LlmExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver, TestWatcher, InvocationInterceptor {

    private static final Namespace NAMESPACE = Namespace.create(LlmExtension.class);

    private final boolean declarative;
    private final String fixtures;
    private final @Nullable FixtureMode mode;
    private final List<String> providers;
    private final @Nullable Function<FixtureServer, Router> routerFactory;
    private final @Nullable Function<FixtureServer, Ensemble> ensembleFactory;

    /**
     * The extension as {@link LlmTest @LlmTest} registers it: settings from the annotation and the
     * configuration. Prefer {@link LlmTest} or {@link #builder()}.
     */
    public LlmExtension() {
        this(true, "", null, List.of(), null, null);
    }

    private LlmExtension(boolean declarative, String fixtures, @Nullable FixtureMode mode, List<String> providers,
            @Nullable Function<FixtureServer, Router> routerFactory, @Nullable Function<FixtureServer, Ensemble> ensembleFactory) {
        this.declarative = declarative;
        this.fixtures = fixtures;
        this.mode = mode;
        this.providers = List.copyOf(providers);
        this.routerFactory = routerFactory;
        this.ensembleFactory = ensembleFactory;
    }

    /**
     * Starts a programmatic configuration, for {@code @RegisterExtension static LlmExtension llm = …}.
     *
     * @return a builder with nothing set (configuration and defaults apply)
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        checkSingleRegistration(context.getRequiredTestClass());
        // Two instances (a registered extension in a base class and another in a subclass, say) would
        // both record, check budgets and report every test; one class gets one.
        Object registered = context.getStore(NAMESPACE).getOrComputeIfAbsent(LlmExtension.class, key -> this);
        if (registered != this) {
            throw new ExtensionConfigurationException(context.getRequiredTestClass().getName() + " has two LlmExtension"
                    + " registrations (in a superclass and the class, or twice with @RegisterExtension); keep one");
        }
        classScope(context);
        // A class's budget typo fails the class before any test runs (and spends money).
        TestRuns.checkBudgetAnnotations(null, context.getRequiredTestClass());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ClassScope owner = classScope(context);
        // Before the test body and its @BeforeEach methods: a budget typo must not cost a recorded call.
        TestRuns.checkBudgetAnnotations(context.getRequiredTestMethod(), context.getRequiredTestClass());
        TestScope test = owner.startTest(testId(context));
        context.getStore(NAMESPACE).put(TestScope.class, test);
        OptimizerExperiments.Setup experiment = OptimizerExperiments.setup(context.getRequiredTestMethod(), context.getRequiredTestClass(),
                context::getConfigurationParameter);
        if (experiment != null) {
            test.experiment(experiment.optimizer());
            context.getStore(NAMESPACE).put(OptimizerExperiments.Setup.class, experiment);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestScope test = context.getStore(NAMESPACE).get(TestScope.class, TestScope.class);
        if (test == null) {
            return;
        }
        ClassScope owner = classScope(context);
        List<BudgetResult> results = TestRuns.finishTest(owner, test, context.getRequiredTestMethod(),
                context.getRequiredTestClass());
        // The baseline gate judges each test as it ends, so a regression fails this test under its own
        // name (not the run, which Surefire would count as an extra test named after the engine).
        Optional<String> regressed = owner.suite().gate(reportRecord(context, test, TestStatus.PASSED, null));
        if (TestRuns.anyBroken(results) || regressed.isPresent()) {
            String budgets = TestRuns.anyBroken(results) ? Budgets.breachMessage(testId(context), results) : "";
            throw new AssertionFailedError(budgets + (budgets.isEmpty() || regressed.isEmpty() ? "" : System.lineSeparator())
                    + regressed.orElse(""));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ClassScope owner = context.getStore(NAMESPACE).get(ClassScope.class, ClassScope.class);
        if (owner == null) {
            return;
        }
        // Calls outside any test (@BeforeAll, @AfterAll) can still take the class over after its last test.
        Optional<BudgetResult> broken = TestRuns.finishClass(owner, context.getRequiredTestClass());
        if (broken.isPresent()) {
            throw new AssertionFailedError(Budgets.breachMessage(context.getRequiredTestClass().getName(), List.of(broken.get())));
        }
    }

    // ---- repeats ------------------------------------------------------------------------------------

    /**
     * Runs an {@link LlmRepeat} method its number of times in one test, run {@code n} asking the
     * fixture server for the {@code n}-th recorded sample, and fails it only when the reducer does.
     */
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        repeat(invocation, invocationContext, context);
    }

    /** Each invocation of a parameterized or repeated test template repeats as a {@code @Test} does. */
    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        repeat(invocation, invocationContext, context);
    }

    private void repeat(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        Optional<LlmRepeat> repeat = AnnotationSupport.findAnnotation(invocationContext.getExecutable(), LlmRepeat.class);
        TestScope test = context.getStore(NAMESPACE).get(TestScope.class, TestScope.class);
        OptimizerExperiments.Setup experiment = context.getStore(NAMESPACE).get(OptimizerExperiments.Setup.class,
                OptimizerExperiments.Setup.class);
        if (experiment != null && test != null) {
            if (repeat.isPresent()) {
                invocation.skip();
                throw new ExtensionConfigurationException(testId(context) + " has both @LlmRepeat and @OptimizerExperiment; an experiment"
                        + " runs each test once per arm, so remove one of them");
            }
            Method method = invocationContext.getExecutable();
            OptimizerExperiments.Outcome outcome = OptimizerExperiments.run(testId(context), test, classScope(context).server(), experiment,
                    invocation::proceed, () -> invokeAgain(method, invocationContext));
            context.getStore(NAMESPACE).put(OptimizerExperiments.Outcome.class, outcome);
            suite(context).addExperiment(outcome.pair());
            if (outcome.failure() != null) {
                throw outcome.failure();
            }
            return;
        }
        if (repeat.isEmpty() || test == null) {
            invocation.proceed();
            return;
        }
        Reducer reducer;
        try {
            reducer = Reducer.parse(repeat.get().reducer());
            reducer.checkRuns(repeat.get().value());
        } catch (IllegalArgumentException bad) {
            invocation.skip();
            throw new ExtensionConfigurationException("@LlmRepeat on " + testId(context) + ": " + bad.getMessage(), bad);
        }
        Method method = invocationContext.getExecutable();
        List<Repetitions.Run> runs = new java.util.ArrayList<>();
        List<String> failures = new java.util.ArrayList<>();
        for (int run = 1; run <= repeat.get().value(); run++) {
            test.startRun(run);
            try {
                if (run == 1) {
                    invocation.proceed();
                } else {
                    invokeAgain(method, invocationContext);
                }
                runs.add(new Repetitions.Run(run, true, ""));
            } catch (org.opentest4j.TestAbortedException aborted) {
                throw aborted;
            } catch (Throwable failure) {
                String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
                runs.add(new Repetitions.Run(run, false, message.lines().findFirst().orElse("")));
                failures.add("  run " + run + ": " + message.strip().replace("\n", "\n    "));
            }
        }
        Repetitions repetitions = Repetitions.judge(reducer, runs);
        context.getStore(NAMESPACE).put(Repetitions.class, repetitions);
        if (!repetitions.passed()) {
            throw new AssertionFailedError("llmunit: " + testId(context) + ": " + repetitions.summary() + System.lineSeparator()
                    + String.join(System.lineSeparator(), failures));
        }
    }

    private static void invokeAgain(Method method, ReflectiveInvocationContext<Method> invocationContext) throws Throwable {
        try {
            method.setAccessible(true);
            method.invoke(invocationContext.getTarget().orElse(null), invocationContext.getArguments().toArray());
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    // ---- the report ---------------------------------------------------------------------------------

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, TestStatus.PASSED, null);
    }

    @Override
    public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
        record(context, TestStatus.FAILED, cause);
    }

    @Override
    public void testAborted(ExtensionContext context, @Nullable Throwable cause) {
        record(context, TestStatus.SKIPPED, null);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, TestStatus.SKIPPED, null);
    }

    private void record(ExtensionContext context, TestStatus status, @Nullable Throwable cause) {
        TestScope test = context.getStore(NAMESPACE).get(TestScope.class, TestScope.class);
        suite(context).add(reportRecord(context, test, status, cause));
    }

    /** What the report and the baseline gate see of a test: for an optimizer experiment, the gated arm's calls alone. */
    private static dev.llmunit.junit.report.TestRecord reportRecord(ExtensionContext context, @Nullable TestScope test,
            TestStatus status, @Nullable Throwable cause) {
        OptimizerExperiments.Outcome experiment = context.getStore(NAMESPACE).get(OptimizerExperiments.Outcome.class,
                OptimizerExperiments.Outcome.class);
        if (experiment != null) { // the gated arm's calls, so the baseline judges that arm
            return TestRuns.record(test, testId(context), context.getDisplayName(), status, cause, null, experiment.callsOfGate());
        }
        return TestRuns.record(test, testId(context), context.getDisplayName(), status, cause,
                context.getStore(NAMESPACE).get(Repetitions.class, Repetitions.class));
    }

    // ---- injection ----------------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == Router.class || type == LlmCalls.class || type == FixtureServer.class || type == EnsembleResult.class
                || ChatModel.class.isAssignableFrom(type) || type == StreamingRouter.class || type == StreamingChatModel.class
                || parameterContext.isAnnotated(LlmModel.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        Optional<LlmModel> single = parameterContext.findAnnotation(LlmModel.class);
        String where = "parameter '" + parameter.getName() + "' of " + parameterContext.getDeclaringExecutable().getName();
        ClassScope owner = classScope(extensionContext);
        if (single.isPresent() && type != ChatModel.class) {
            throw new ExtensionConfigurationException("@LlmModel picks one provider's ChatModel, but " + where + " is a "
                    + type.getSimpleName() + "; declare it as dev.langchain4j.model.chat.ChatModel");
        }
        if (type == FixtureServer.class) {
            return owner.server();
        }
        Optional<TestScope> test = testScope(extensionContext);
        if (type == LlmCalls.class) {
            return test.orElseThrow(() -> new ExtensionConfigurationException("LlmCalls is the ledger of one test, but " + where
                    + " is outside a test; inject it into a @Test, @BeforeEach or @AfterEach method")).calls();
        }
        if (type == EnsembleResult.class) {
            return lastEnsembleResult(parameterContext, test, where);
        }
        if (type == StreamingRouter.class || type == StreamingChatModel.class) {
            try {
                return test.isPresent() ? test.get().streaming() : owner.classStreaming();
            } catch (ExtensionConfigurationException noStreaming) {
                throw new ExtensionConfigurationException(where + ": " + noStreaming.getMessage(), noStreaming);
            }
        }
        if (owner.settings().streamingFactory() != null && single.isEmpty() && (type == Router.class || type == ChatModel.class)) {
            throw new ExtensionConfigurationException(owner.settings().routerFactoryName() + " returns a StreamingRouter, but " + where
                    + " is a " + type.getSimpleName() + "; declare it as StreamingRouter or StreamingChatModel, or as"
                    + " @LlmModel(\"openai\") ChatModel for one configured provider");
        }
        boolean ensembleClass = owner.settings().ensembleFactory() != null;
        if (type == Ensemble.class || (type == ChatModel.class && single.isEmpty() && ensembleClass)) {
            try {
                return test.isPresent() ? test.get().ensemble() : owner.classEnsemble();
            } catch (ExtensionConfigurationException noEnsemble) {
                throw new ExtensionConfigurationException(where + ": " + noEnsemble.getMessage(), noEnsemble);
            }
        }
        if (type != Router.class && type != ChatModel.class) {
            throw new ExtensionConfigurationException("llmunit injects a Router, an Ensemble, a StreamingRouter or a ChatModel, not "
                    + type.getSimpleName()
                    + " (" + where + "); declare the parameter as Router, or as ChatModel with @LlmModel(\"openai\") for one provider");
        }
        if (type == Router.class && ensembleClass) {
            throw new ExtensionConfigurationException(owner.settings().routerFactoryName() + " returns an Ensemble, but " + where
                    + " is a Router; declare it as Ensemble or ChatModel to get the ensemble, or as @LlmModel(\"openai\") ChatModel for one"
                    + " configured provider");
        }
        if (single.isPresent()) {
            String name = single.get().value();
            TestScope scope = test.orElseThrow(() -> new ExtensionConfigurationException("@LlmModel(\"" + name + "\") on " + where
                    + " is outside a test; inject single-provider models into a @Test or @BeforeEach method"));
            try {
                return scope.single(name);
            } catch (IllegalArgumentException unknown) {
                throw new ExtensionConfigurationException(unknown.getMessage(), unknown);
            }
        }
        return test.isPresent() ? test.get().router() : owner.classRouter();
    }

    /** An {@link EnsembleResult} exists once a run is done, so only {@code @AfterEach} methods can take one. */
    private static EnsembleResult lastEnsembleResult(ParameterContext parameterContext, Optional<TestScope> test, String where) {
        String fix = "; inject it into an @AfterEach method, or read it in the test from calls.ensembles() (LlmCalls)";
        if (!parameterContext.getDeclaringExecutable().isAnnotationPresent(org.junit.jupiter.api.AfterEach.class) || test.isEmpty()) {
            throw new ExtensionConfigurationException("an EnsembleResult is the result of an ensemble run, so it exists only after the"
                    + " run, but " + where + " is not an @AfterEach method" + fix);
        }
        List<EnsembleCall> runs = test.get().ledger().ensembles();
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (runs.get(i).result() != null) {
                return runs.get(i).result();
            }
        }
        throw new ExtensionConfigurationException(where + " asks for the test's last EnsembleResult, but the test made no successful"
                + " ensemble run through the injected Ensemble" + (runs.isEmpty() ? "" : " (its runs failed: " + runs + ")")
                + "; take the parameter out or make the run in the test");
    }

    // ---- state --------------------------------------------------------------------------------------

    private ClassScope classScope(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(ClassScope.class, key -> {
            SuiteState suite = suite(context);
            LlmTest annotation = AnnotationSupport.findAnnotation(testClass, LlmTest.class).orElse(null);
            ExtensionSettings settings;
            if (declarative) {
                settings = ExtensionSettings.resolve(testClass, annotation == null ? "" : annotation.fixtures(),
                        annotation == null ? "" : annotation.mode(),
                        annotation == null ? List.of() : Arrays.asList(annotation.providers()), null,
                        "@LlmTest on " + testClass.getSimpleName(), context::getConfigurationParameter);
            } else {
                settings = ExtensionSettings.resolve(testClass, fixtures, mode == null ? "" : mode.name(), providers, routerFactory, ensembleFactory,
                        "LlmExtension.builder() in " + testClass.getSimpleName(), context::getConfigurationParameter);
            }
            return TestRuns.openClass(suite, settings, testClass, context::getConfigurationParameter);
        }, ClassScope.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static Optional<TestScope> testScope(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(context.getStore(NAMESPACE).get(TestScope.class, TestScope.class));
    }

    private static SuiteState suite(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return root.getStore(NAMESPACE).getOrComputeIfAbsent(SuiteState.class,
                key -> new SuiteState(root::getConfigurationParameter), SuiteState.class);
    }

    private void checkSingleRegistration(Class<?> testClass) {
        if (!declarative || AnnotationSupport.findAnnotation(testClass, LlmTest.class).isEmpty()) {
            return;
        }
        for (Class<?> current = testClass; current != null && current != Object.class; current = current.getSuperclass()) {
            for (Field field : current.getDeclaredFields()) {
                if (field.isAnnotationPresent(RegisterExtension.class) && LlmExtension.class.isAssignableFrom(field.getType())) {
                    throw new ExtensionConfigurationException(testClass.getName() + " has both @LlmTest and a registered "
                            + "LlmExtension (field '" + field.getName() + "'); keep one: the builder's settings, or the annotation's");
                }
            }
        }
    }

    /**
     * The id a test has in the report and the baseline: {@code <class>#<method>}, plus {@code [n]}
     * for the n-th invocation of a parameterized or repeated test.
     */
    static String testId(ExtensionContext context) {
        StringBuilder id = new StringBuilder(context.getRequiredTestClass().getName())
                .append('#').append(context.getRequiredTestMethod().getName());
        // One index per template level, outermost first: a @ParameterizedClass invocation, then a
        // @ParameterizedTest or @RepeatedTest invocation inside it.
        Matcher invocation = INVOCATION.matcher(context.getUniqueId());
        while (invocation.find()) {
            id.append('[').append(invocation.group(1)).append(']');
        }
        return id.toString();
    }

    private static final Pattern INVOCATION = Pattern.compile("\\[(?:class|test)-template-invocation:#(\\d+)]");

    /**
     * Builds a programmatically configured {@link LlmExtension}. Every setting is optional; what is
     * not set comes from the {@code llmunit.*} configuration, then the defaults.
     */
    public static final class Builder {

        private String fixtures = "";
        private @Nullable FixtureMode mode;
        private List<String> providers = List.of();
        private @Nullable Function<FixtureServer, Router> routerFactory;
        private @Nullable Function<FixtureServer, Ensemble> ensembleFactory;

        private Builder() {}

        /**
         * The fixture set, {@code src/test/resources/llmunit/fixtures/<name>/}.
         *
         * @param name such as {@code triage}
         * @return this builder
         */
        public Builder fixtures(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("fixture set name must not be blank, but was '" + name + "'");
            }
            this.fixtures = name;
            return this;
        }

        /**
         * The mode; a configured {@code llmunit.mode} still wins, so one flag can re-record.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(FixtureMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The providers of the built router, in fallback order, each {@code provider:model} or
         * {@code name=provider:model}.
         *
         * @param first the first provider, such as {@code openai:gpt-4o-mini}
         * @param more further providers
         * @return this builder
         */
        public Builder providers(String first, String... more) {
            List<String> all = new java.util.ArrayList<>();
            all.add(Objects.requireNonNull(first, "first"));
            all.addAll(Arrays.asList(more));
            this.providers = List.copyOf(all);
            return this;
        }

        /**
         * Builds each test's router with the core DSL instead of from the providers; called once per test.
         *
         * @param factory given the started fixture server, returns a new router
         * @return this builder
         */
        public Builder router(Function<FixtureServer, Router> factory) {
            this.routerFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Builds each test's {@link Ensemble}, injected as {@code Ensemble} and as {@code ChatModel};
         * called once per test. Every run lands in the test's ledger: one call per member sample,
         * and one {@link EnsembleCall}.
         *
         * @param factory given the started fixture server, returns a new ensemble
         * @return this builder
         */
        public Builder ensemble(Function<FixtureServer, Ensemble> factory) {
            this.ensembleFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Builds the extension.
         *
         * @return the extension, to assign to a static {@code @RegisterExtension} field
         */
        public LlmExtension build() {
            if (routerFactory != null && ensembleFactory != null) {
                throw new IllegalStateException("give the extension a router(..) or an ensemble(..), not both: a test class gets one of them");
            }
            return new LlmExtension(false, fixtures, mode, providers, routerFactory, ensembleFactory);
        }
    }
}
