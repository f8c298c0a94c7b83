package dev.llmunit.junit;

import static dev.llmunit.junit.InnerRuns.ask;
import static dev.llmunit.junit.InnerRuns.assertAllSucceeded;
import static dev.llmunit.junit.InnerRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.error.CircuitState;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.route.Router;
import dev.llmunit.wiremock.FixtureMode;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.OpenAiFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a test class's settings come from: the annotation, the builder, the configuration
 * parameters, an {@code @LlmRouter} factory; and which wins.
 */
class ConfigurationSourcesTest {

    @TempDir
    Path reportDir;

    // ---- the annotation -------------------------------------------------------------------------------

    @LlmTest(fixtures = "ledger", mode = "playback", providers = {"primary=openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"})
    static class AnnotationSettings {
        @Test
        void usesThem(Router router, FixtureServer server, LlmCalls calls) {
            var response = router.route(ask("How sure are you?"));

            assertThat(router.providers()).containsExactly("primary", "anthropic");
            assertThat(server.mode()).isEqualTo(FixtureMode.PLAYBACK);
            assertThat(server.fixtureLocation()).hasValueSatisfying(location -> assertThat(location).endsWith("ledger"));
            assertThat(response.chatResponse().aiMessage().text()).isEqualTo("Quite sure.");
            assertThat(calls.last().provider()).isEqualTo("primary");
        }
    }

    @Test
    void takesFixturesModeAndNamedProvidersFromTheAnnotation() {
        assertAllSucceeded(run(reportDir, AnnotationSettings.class), 1);
    }

    // ---- the builder ----------------------------------------------------------------------------------

    static class BuilderSettings {
        @RegisterExtension
        static LlmExtension llm = LlmExtension.builder().fixtures("ledger").providers("anthropic:claude-haiku-4-5", "openai:gpt-4o-mini")
                .build();

        @Test
        void usesThem(Router router, FixtureServer server) {
            assertThat(router.providers()).containsExactly("anthropic", "openai");
            assertThat(server.fixtureLocation()).hasValueSatisfying(location -> assertThat(location).endsWith("ledger"));
        }
    }

    @Test
    void takesFixturesAndProvidersFromTheBuilder() {
        assertAllSucceeded(run(reportDir, BuilderSettings.class), 1);
    }

    static class BuilderRouter {
        @RegisterExtension
        static LlmExtension llm = LlmExtension.builder()
                .router(server -> Router.builder().provider("custom", FixtureModels.openAiChat(server, "gpt-4o-mini")).build())
                .build();

        @Test
        void usesItAndRecordsItsCalls(Router router, FixtureServer server, LlmCalls calls) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<builder-router>").replyText("custom"));

            router.route(ask("<builder-router>"));

            assertThat(router.providers()).containsExactly("custom");
            assertThat(calls.last().provider()).isEqualTo("custom");
            assertThat(calls.last().answer()).isEqualTo("custom");
        }
    }

    @Test
    void buildsEachTestsRouterWithTheBuildersFactoryAndRecordsItsCalls() {
        assertAllSucceeded(run(reportDir, BuilderRouter.class), 1);
    }

    // ---- configuration parameters ---------------------------------------------------------------------

    @LlmTest
    static class ConfiguredSettings {
        @Test
        void usesThem(Router router, FixtureServer server) {
            assertThat(router.providers()).containsExactly("anthropic", "openai");
            assertThat(server.fixtureLocation()).hasValueSatisfying(location -> assertThat(location).endsWith("ledger"));
        }
    }

    @Test
    void takesFixturesAndProvidersFromConfigurationParameters() {
        // WHEN
        var results = run(reportDir, Map.of("llmunit.providers", "anthropic:claude-haiku-4-5, openai:gpt-4o-mini",
                "llmunit.fixtures", "ledger"), ConfiguredSettings.class);
        // THEN
        assertAllSucceeded(results, 1);
    }

    @LlmTest(providers = "openai:gpt-4o-mini")
    static class AnnotatedProviders {
        @Test
        void usesTheAnnotations(Router router) {
            assertThat(router.providers()).containsExactly("openai");
        }
    }

    @Test
    void prefersTheAnnotationsProvidersOverConfiguredOnes() {
        assertAllSucceeded(run(reportDir, Map.of("llmunit.providers", "anthropic:claude-haiku-4-5"), AnnotatedProviders.class), 1);
    }

    @LlmTest(mode = "record")
    static class RecordingAnnotation {
        @Test
        void playsBack(FixtureServer server) {
            assertThat(server.mode()).isEqualTo(FixtureMode.PLAYBACK);
        }
    }

    @Test
    void prefersTheConfiguredModeOverTheAnnotations() {
        assertAllSucceeded(run(reportDir, Map.of("llmunit.mode", "playback"), RecordingAnnotation.class), 1);
    }

    @LlmTest(fixtures = "ledger", providers = "anthropic:claude-haiku-4-5")
    static class Enclosing {
        static FixtureServer outerServer;

        @Test
        void outer(FixtureServer server) {
            outerServer = server;
        }

        @Nested
        class Inner {
            @Test
            void usesTheEnclosingClasssSettings(Router router, FixtureServer server) {
                assertThat(router.providers()).containsExactly("anthropic");
                assertThat(server.fixtureLocation()).hasValueSatisfying(location -> assertThat(location).endsWith("ledger"));
                assertThat(server).isSameAs(outerServer);
            }
        }
    }

    @Test
    void givesANestedClassItsEnclosingClasssSettingsAndServer() {
        assertAllSucceeded(run(reportDir, Enclosing.class), 2);
    }

    // ---- @LlmRouter -----------------------------------------------------------------------------------

    static final AtomicInteger FACTORY_CALLS = new AtomicInteger();
    static final List<Router> ROUTERS = new CopyOnWriteArrayList<>();

    @LlmTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class RouterFactory {
        @LlmRouter
        static Router router(FixtureServer server) {
            FACTORY_CALLS.incrementAndGet();
            return Router.builder()
                    .provider("openai", FixtureModels.openAiChat(server, "gpt-4o-mini"))
                    .retry(retry -> retry.maxRetries(0))
                    .circuitBreaker(breaker -> breaker.slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50))
                    .build();
        }

        @Test
        @Order(1)
        void opensTheCircuit(Router router, FixtureServer server) {
            server.stub(OpenAiFixtures.chatCompletion().whenLastUserMessageContains("<circuit>").serverError());

            assertThatThrownBy(() -> router.route(ask("<circuit>"))).isInstanceOf(LlmException.class);
            assertThatThrownBy(() -> router.route(ask("<circuit>"))).isInstanceOf(LlmException.class);

            assertThat(router.circuitState("openai")).isEqualTo(CircuitState.OPEN);
            ROUTERS.add(router);
        }

        @Test
        @Order(2)
        void startsWithAClosedCircuit(Router router) {
            assertThat(router.circuitState("openai")).isEqualTo(CircuitState.CLOSED);
            ROUTERS.add(router);
        }
    }

    @Test
    void callsTheLlmRouterFactoryOncePerTestSoCircuitsNeverLeakBetweenTests() {
        // GIVEN
        FACTORY_CALLS.set(0);
        ROUTERS.clear();
        // WHEN
        var results = run(reportDir, RouterFactory.class);
        // THEN
        assertAllSucceeded(results, 2);
        assertThat(FACTORY_CALLS).hasValue(2);
        assertThat(ROUTERS).hasSize(2).doesNotHaveDuplicates();
    }
}
