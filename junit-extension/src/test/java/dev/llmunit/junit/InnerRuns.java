package dev.llmunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs the static nested test classes of the extension's tests through {@link EngineTestKit}, the
 * way a build would run a user's test class, and reads what happened. Every run writes its report
 * into the caller's temporary directory, never into the module's {@code target}.
 */
final class InnerRuns {

    private InnerRuns() {}

    /**
     * Runs test classes in one engine run (one root store, so one fixture server per fixture set).
     *
     * @param reportDir where the run's report goes
     * @param configuration extra configuration parameters
     * @param testClasses the classes to run
     * @return what happened
     */
    static EngineExecutionResults run(Path reportDir, Map<String, String> configuration, Class<?>... testClasses) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter")
                .selectors(Arrays.stream(testClasses).map(DiscoverySelectors::selectClass).toArray(DiscoverySelector[]::new))
                .configurationParameter("llmunit.report.dir", reportDir.toString())
                // A nested run's summary (often of a deliberately broken class) would land in the build's console.
                .configurationParameter("llmunit.report.console", "off");
        configuration.forEach(builder::configurationParameter);
        return builder.execute();
    }

    /** Runs test classes with no extra configuration. */
    static EngineExecutionResults run(Path reportDir, Class<?>... testClasses) {
        return run(reportDir, Map.of(), testClasses);
    }

    /** Runs one test method of a class. */
    static EngineExecutionResults runMethod(Path reportDir, Class<?> testClass, String method) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectMethod(testClass, Arrays.stream(testClass.getDeclaredMethods())
                        .filter(candidate -> candidate.getName().equals(method)).findFirst().orElseThrow()))
                .configurationParameter("llmunit.report.dir", reportDir.toString())
                .configurationParameter("llmunit.report.console", "off")
                .execute();
    }

    /**
     * Asserts that every test and container of a run succeeded, showing the failures when not.
     *
     * @param results the run
     * @param tests how many tests it should have run
     */
    static void assertAllSucceeded(EngineExecutionResults results, int tests) {
        assertThat(failures(results)).as("failures of the inner run").isEmpty();
        assertThat(results.testEvents().succeeded().count()).as("tests that succeeded").isEqualTo(tests);
    }

    /**
     * Every failure of a run, tests and containers alike, as {@code <display name>: <throwable>}.
     *
     * @param results the run
     * @return one line per failure
     */
    static List<String> failures(EngineExecutionResults results) {
        List<String> failures = new ArrayList<>();
        results.allEvents().failed().stream().forEach(event -> failures.add(event.getTestDescriptor().getDisplayName() + ": "
                + throwable(event).map(Throwable::toString).orElse("?")));
        return failures;
    }

    /**
     * The throwable a test method failed with.
     *
     * @param results the run
     * @param method the test method's name
     * @return the failure
     */
    static Throwable failureOfTest(EngineExecutionResults results, String method) {
        List<Throwable> found = results.testEvents().failed().stream()
                .filter(event -> event.getTestDescriptor().getSource()
                        .filter(source -> source instanceof MethodSource ms && ms.getMethodName().equals(method)).isPresent())
                .map(event -> throwable(event).orElseThrow())
                .toList();
        assertThat(found).as("failures of test %s; all failures: %s", method, failures(results)).hasSize(1);
        return found.get(0);
    }

    /**
     * The throwable the only failed container (a test class) failed with.
     *
     * @param results the run
     * @return the failure
     */
    static Throwable failureOfContainer(EngineExecutionResults results) {
        List<Throwable> found = results.containerEvents().failed().stream().map(event -> throwable(event).orElseThrow()).toList();
        assertThat(found).as("failed containers; all failures: %s", failures(results)).hasSize(1);
        return found.get(0);
    }

    /**
     * The one failure of a run, of a test or a container.
     *
     * @param results the run
     * @return the failure
     */
    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Throwable> found = results.allEvents().failed().stream().map(event -> throwable(event).orElseThrow()).toList();
        assertThat(found).as("failures of the inner run").hasSize(1);
        return found.get(0);
    }

    /**
     * The {@link ExtensionConfigurationException} in a failure's cause chain (JUnit wraps one
     * thrown by a parameter resolver in a {@code ParameterResolutionException}).
     *
     * @param failure the failure
     * @return the configuration error
     */
    static ExtensionConfigurationException configurationError(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof ExtensionConfigurationException configuration) {
                return configuration;
            }
        }
        throw new AssertionError("expected an ExtensionConfigurationException, but the failure was " + failure, failure);
    }

    /** The names of the test methods (with invocation index, if any) that failed, sorted. */
    static List<String> failedTests(EngineExecutionResults results) {
        return results.testEvents().failed().stream().map(event -> event.getTestDescriptor().getUniqueId().toString())
                .sorted().collect(Collectors.toList());
    }

    private static Optional<Throwable> throwable(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable);
    }

    /**
     * A request with one user message.
     *
     * @param prompt the message
     * @return the request
     */
    static ChatRequest ask(String prompt) {
        return ChatRequest.builder().messages(UserMessage.from(prompt)).build();
    }
}
