package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.configurationError;
import static dev.llmunit.junit.InnerRuns.onlyFailure;
import static dev.llmunit.junit.InnerRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every misconfiguration fails the test or the class with an {@link ExtensionConfigurationException}
 * whose message names what is wrong and how to fix it.
 */
class MisconfigurationTest {

    @TempDir
    Path reportDir;

    private ExtensionConfigurationException errorOf(Class<?> testClass) {
        return configurationError(onlyFailure(run(reportDir, testClass)));
    }

    // ---- parameters -----------------------------------------------------------------------------------

    @LlmTest
    static class LedgerInBeforeAll {
        @BeforeAll
        static void setUp(LlmCalls calls) {}

        @Test
        void test() {}
    }

    @Test
    void refusesTheLedgerInBeforeAll() {
        assertThat(errorOf(LedgerInBeforeAll.class))
                .hasMessageContaining("LlmCalls is the ledger of one test")
                .hasMessageContaining("inject it into a @Test, @BeforeEach or @AfterEach method");
    }

    @LlmTest
    static class LlmModelOnRouter {
        @Test
        void test(@LlmModel("openai") Router router) {}
    }

    @Test
    void refusesLlmModelOnARouterParameter() {
        assertThat(errorOf(LlmModelOnRouter.class))
                .hasMessageContaining("@LlmModel picks one provider's ChatModel")
                .hasMessageContaining("is a Router")
                .hasMessageContaining("declare it as dev.langchain4j.model.chat.ChatModel");
    }

    @LlmTest(providers = {"openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
    static class UnknownLlmModel {
        @Test
        void test(@LlmModel("nope") ChatModel model) {}
    }

    @Test
    void refusesAnLlmModelThatNamesNoConfiguredProviderListingTheConfiguredOnes() {
        assertThat(errorOf(UnknownLlmModel.class))
                .hasMessageContaining("@LlmModel(\"nope\") names no configured provider")
                .hasMessageContaining("openai:gpt-4o-mini")
                .hasMessageContaining("anthropic:claude-haiku-4-5")
                .hasMessageContaining("Add it to @LlmTest(providers) or llmunit.providers");
    }

    @LlmTest
    static class ConcreteModelParameter {
        @Test
        void test(OpenAiChatModel model) {}
    }

    @Test
    void refusesAConcreteProviderModelParameter() {
        assertThat(errorOf(ConcreteModelParameter.class))
                .hasMessageContaining("not OpenAiChatModel")
                .hasMessageContaining("declare the parameter as Router, or as ChatModel with @LlmModel(\"openai\")");
    }

    // ---- settings -------------------------------------------------------------------------------------

    @LlmTest(providers = "openai")
    static class ProviderWithoutModel {
        @Test
        void test() {}
    }

    @Test
    void refusesAProviderWithoutAModel() {
        assertThat(errorOf(ProviderWithoutModel.class))
                .hasMessageContaining("'openai'")
                .hasMessageContaining("which is not 'provider:model' or 'name=provider:model'")
                .hasMessageContaining("such as 'openai:gpt-4o-mini'");
    }

    @LlmTest(providers = "foo:bar")
    static class UnknownProvider {
        @Test
        void test() {}
    }

    @Test
    void refusesAProviderLlmunitCannotPlayBackListingTheOnesItCan() {
        assertThat(errorOf(UnknownProvider.class))
                .hasMessageContaining("'foo:bar'")
                .hasMessageContaining("use one of openai, anthropic, gemini");
    }

    @LlmTest(mode = "replay")
    static class UnknownMode {
        @Test
        void test() {}
    }

    @Test
    void refusesAnUnknownMode() {
        assertThat(errorOf(UnknownMode.class))
                .hasMessageContaining("replay")
                .hasMessageContaining("playback");
    }

    @Test
    void refusesAnUnknownModeEvenWhenTheConfiguredModeWins() {
        // WHEN
        Throwable failure = onlyFailure(run(reportDir, java.util.Map.of("llmunit.mode", "playback"), UnknownMode.class));
        // THEN
        assertThat(configurationError(failure)).hasMessageContaining("replay");
    }

    @LlmTest(fixtures = "no-such-set")
    static class MissingFixtureSet {
        @Test
        void test() {}
    }

    @Test
    void refusesAFixtureSetThatDoesNotExistSayingHowToRecordIt() {
        assertThat(errorOf(MissingFixtureSet.class))
                .hasMessageContaining("Fixture set 'no-such-set' not found")
                .hasMessageContaining("record it with -Dllmunit.mode=auto");
    }

    @LlmTest
    static class AnnotationAndRegisteredExtension {
        @RegisterExtension
        static LlmExtension llm = LlmExtension.builder().build();

        @Test
        void test() {}
    }

    @Test
    void refusesLlmTestTogetherWithARegisteredExtension() {
        assertThat(errorOf(AnnotationAndRegisteredExtension.class))
                .hasMessageContaining("has both @LlmTest and a registered LlmExtension (field 'llm')")
                .hasMessageContaining("keep one");
    }

    // ---- @LlmRouter -----------------------------------------------------------------------------------

    @LlmTest
    static class RouterFactoryNotStatic {
        @LlmRouter
        Router router(FixtureServer server) {
            return Router.builder().provider("openai", FixtureModels.openAiChat(server, "gpt-4o-mini")).build();
        }

        @Test
        void test(Router router) {}
    }

    @Test
    void refusesAnLlmRouterMethodThatIsNotStatic() {
        assertThat(errorOf(RouterFactoryNotStatic.class))
                .hasMessageContaining("@LlmRouter method RouterFactoryNotStatic.router must be static")
                .hasMessageContaining("add 'static'");
    }

    @LlmTest
    static class RouterFactoryWrongReturnType {
        @LlmRouter
        static ChatModel router(FixtureServer server) {
            return FixtureModels.openAiChat(server, "gpt-4o-mini");
        }

        @Test
        void test(Router router) {}
    }

    @Test
    void refusesAnLlmRouterMethodThatDoesNotReturnARouter() {
        assertThat(errorOf(RouterFactoryWrongReturnType.class))
                .hasMessageContaining("returns ChatModel")
                .hasMessageContaining("it must return a dev.llmunit.core.route.Router built with Router.builder()");
    }

    @LlmTest
    static class RouterFactoryWrongParameter {
        @LlmRouter
        static Router router(String name) {
            throw new AssertionError("never called");
        }

        @Test
        void test(Router router) {}
    }

    @Test
    void refusesAnLlmRouterMethodTakingSomethingElseThanAFixtureServer() {
        assertThat(errorOf(RouterFactoryWrongParameter.class))
                .hasMessageContaining("takes [class java.lang.String]")
                .hasMessageContaining("it may take nothing or one FixtureServer");
    }

    @LlmTest
    static class TwoRouterFactories {
        @LlmRouter
        static Router one(FixtureServer server) {
            return Router.builder().provider("openai", FixtureModels.openAiChat(server, "gpt-4o-mini")).build();
        }

        @LlmRouter
        static Router two(FixtureServer server) {
            return Router.builder().provider("openai", FixtureModels.openAiChat(server, "gpt-4o-mini")).build();
        }

        @Test
        void test(Router router) {}
    }

    @Test
    void refusesTwoLlmRouterMethods() {
        assertThat(errorOf(TwoRouterFactories.class))
                .hasMessageContaining("has two @LlmRouter methods")
                .hasMessageContaining("keep one");
    }

    // ---- budgets --------------------------------------------------------------------------------------

    @LlmTest
    static class CostNotAnAmount {
        @Test
        @CostBudget(perTest = "cheap")
        void test() {}
    }

    @Test
    void refusesACostBudgetThatIsNotAnAmount() {
        assertThat(errorOf(CostNotAnAmount.class))
                .hasMessageContaining("@CostBudget(perTest) on CostNotAnAmount#test is 'cheap'")
                .hasMessageContaining("write a plain decimal such as \"0.002\"");
    }

    @LlmTest
    static class LatencyNotADuration {
        @Test
        @LatencyBudget(p95 = "fast")
        void test() {}
    }

    @Test
    void refusesALatencyBudgetThatIsNotADuration() {
        assertThat(errorOf(LatencyNotADuration.class))
                .hasMessageContaining("@LatencyBudget(p95) on LatencyNotADuration#test is 'fast'")
                .hasMessageContaining("write it like 800ms, 2s, 1.5s, 1m or PT2S");
    }

    @LlmTest
    static class NegativeCost {
        @Test
        @CostBudget(perCall = "-0.01")
        void test() {}
    }

    @Test
    void refusesANegativeCostBudgetSayingItMustNotBeNegative() {
        assertThat(errorOf(NegativeCost.class))
                .hasMessageContaining("@CostBudget(perCall) on NegativeCost#test is '-0.01'")
                .hasMessageContaining("must not be negative")
                .hasMessageContaining("such as \"0.002\"")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("not a USD amount"));
    }

    @LlmTest
    static class LatencyTooLong {
        @Test
        @LatencyBudget(perCall = "18446744074s")
        void test() {}
    }

    @Test
    void refusesALatencyBudgetTooLongToJudgeInsteadOfWrappingAround() {
        assertThat(errorOf(LatencyTooLong.class))
                .hasMessageContaining("@LatencyBudget(perCall) on LatencyTooLong#test is '18446744074s'")
                .hasMessageContaining("longer than the longest duration llmunit can judge (9223372036s")
                .hasMessageContaining("leave it empty for no limit");
    }

    @LlmTest
    static class IsoLatencyTooLong {
        @Test
        @LatencyBudget(p95 = "PT18446744074S")
        void test() {}
    }

    @Test
    void refusesAnIsoLatencyBudgetTooLongToJudge() {
        assertThat(errorOf(IsoLatencyTooLong.class))
                .hasMessageContaining("@LatencyBudget(p95) on IsoLatencyTooLong#test is 'PT18446744074S'")
                .hasMessageContaining("longer than the longest duration");
    }

    /** Counts the calls a test with a budget typo would have spent money on. */
    static final java.util.concurrent.atomic.AtomicInteger SPENT = new java.util.concurrent.atomic.AtomicInteger();

    @LlmTest
    static class TypoBeforeSpending {
        @org.junit.jupiter.api.BeforeEach
        void prepare(Router router, FixtureServer server) {
            server.stub(dev.llmunit.wiremock.OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<typo>").replyText("ok"));
            router.route(InnerRuns.ask("<typo>"));
            SPENT.incrementAndGet();
        }

        @Test
        @CostBudget(perTest = "0,002")
        void test(Router router) {
            router.route(InnerRuns.ask("<typo>"));
            SPENT.incrementAndGet();
        }
    }

    @Test
    void refusesABudgetTypoBeforeTheTestOrItsBeforeEachMakesACall() {
        // GIVEN a test whose @BeforeEach and body each make a call
        SPENT.set(0);

        // WHEN its budget has a typo (a decimal comma)
        var results = run(reportDir, TypoBeforeSpending.class);

        // THEN it fails naming the typo, and neither the @BeforeEach nor the body ran
        assertThat(configurationError(onlyFailure(results)))
                .hasMessageContaining("@CostBudget(perTest) on TypoBeforeSpending#test is '0,002'");
        assertThat(SPENT).hasValue(0);
    }

    @LlmTest
    @LatencyBudget(p99 = "soon")
    static class ClassBudgetTypo {
        @Test
        void first() {
            SPENT.incrementAndGet();
        }

        @Test
        void second() {
            SPENT.incrementAndGet();
        }
    }

    @Test
    void refusesAClassBudgetTypoOnceBeforeAnyOfItsTestsRuns() {
        SPENT.set(0);

        var results = run(reportDir, ClassBudgetTypo.class);

        assertThat(configurationError(onlyFailure(results)))
                .hasMessageContaining("@LatencyBudget(p99) on ClassBudgetTypo is 'soon'");
        assertThat(results.testEvents().started().count()).isZero();
        assertThat(SPENT).hasValue(0);
    }

    @LlmTest
    static class ConfidenceAboveOne {
        @Test
        @MinConfidence(1.5)
        void test() {}
    }

    @Test
    void refusesAMinimumConfidenceAboveOne() {
        assertThat(errorOf(ConfidenceAboveOne.class))
                .hasMessageContaining("@MinConfidence on ConfidenceAboveOne#test is 1.5")
                .hasMessageContaining("not between 0 and 1");
    }

    @LlmTest
    static class ClassBudgetOnAMethod {
        @Test
        @CostBudget(perClass = "0.01")
        void test() {}
    }

    @Test
    void refusesAPerClassCostBudgetOnAMethod() {
        assertThat(errorOf(ClassBudgetOnAMethod.class))
                .hasMessageContaining("@CostBudget(perClass = \"0.01\") on the method ClassBudgetOnAMethod#test would be ignored")
                .hasMessageContaining("put it on ClassBudgetOnAMethod");
    }

    // ---- the run ----------------------------------------------------------------------------------------

    @LlmTest
    static class AnyTest {
        @Test
        void test() {}
    }

    @Test
    void refusesABadRunSettingBeforeAnyTestRuns() {
        // WHEN the baseline mode has a typo
        var results = InnerRuns.run(reportDir, java.util.Map.of("llmunit.baseline", "updat"), AnyTest.class);

        // THEN the class fails at once, naming the setting, and no test ran
        assertThat(configurationError(onlyFailure(results)))
                .hasMessageContaining("llmunit cannot start the run")
                .hasMessageContaining("llmunit.baseline")
                .hasMessageContaining("updat");
        assertThat(results.testEvents().started().count()).isZero();
    }

    static class RegisteredInBase {
        @RegisterExtension
        static LlmExtension base = LlmExtension.builder().build();
    }

    static class RegisteredTwice extends RegisteredInBase {
        @RegisterExtension
        static LlmExtension again = LlmExtension.builder().build();

        @Test
        void test() {}
    }

    @Test
    void refusesTwoRegistrationsOnOneClass() {
        assertThat(errorOf(RegisteredTwice.class))
                .hasMessageContaining("has two LlmExtension registrations")
                .hasMessageContaining("keep one");
    }
}
