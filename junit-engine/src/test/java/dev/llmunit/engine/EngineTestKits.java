package dev.llmunit.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs classes on the llmunit engine through {@link EngineTestKit}, with the report in a temporary directory. */
final class EngineTestKits {

    private EngineTestKits() {}

    static EngineExecutionResults run(Path reportDir, Map<String, String> configuration, Class<?>... classes) {
        EngineTestKit.Builder builder = builder(reportDir, classes);
        configuration.forEach(builder::configurationParameter);
        return builder.execute();
    }

    static EngineExecutionResults run(Path reportDir, Class<?>... classes) {
        return run(reportDir, Map.of(), classes);
    }

    static EngineDiscoveryResults discover(Path reportDir, DiscoverySelector... selectors) {
        return EngineTestKit.engine("llmunit").selectors(selectors)
                .configurationParameter("llmunit.report.dir", reportDir.toString())
                .configurationParameter("llmunit.report.console", "off").discover();
    }

    private static EngineTestKit.Builder builder(Path reportDir, Class<?>... classes) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (Class<?> type : classes) {
            selectors.add(DiscoverySelectors.selectClass(type));
        }
        return EngineTestKit.engine("llmunit").selectors(selectors.toArray(DiscoverySelector[]::new))
                .configurationParameter("llmunit.report.dir", reportDir.toString())
                .configurationParameter("llmunit.baseline", "off")
                // A nested run's summary would land in the build's console among the real run's lines.
                .configurationParameter("llmunit.report.console", "off");
    }

    /** The failure message of the case whose display name is given. */
    static String failureOf(EngineExecutionResults results, String displayName) {
        return results.testEvents().failed().stream()
                .filter(event -> event.getTestDescriptor().getDisplayName().equals(displayName))
                .map(EngineTestKits::throwable).flatMap(Optional::stream).map(Throwable::getMessage).findFirst()
                .orElseThrow(() -> new AssertionError("no failed case '" + displayName + "'; failed: " + failedNames(results)));
    }

    static List<String> failedNames(EngineExecutionResults results) {
        return results.testEvents().failed().stream().map(event -> event.getTestDescriptor().getDisplayName()).sorted().toList();
    }

    static List<String> passedNames(EngineExecutionResults results) {
        return results.testEvents().succeeded().stream().map(event -> event.getTestDescriptor().getDisplayName()).sorted().toList();
    }

    static Optional<Throwable> throwable(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable);
    }
}
