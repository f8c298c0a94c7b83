package dev.llmunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Proves which JUnit Jupiter the extension's tests ran on: the build's 5.14 by default, JUnit 6
 * under {@code -Pjunit6}. Without it, a profile that silently kept JUnit 5 would prove nothing.
 */
class JupiterVersionTest {

    @Test
    void runsOnTheJupiterVersionTheBuildAskedFor() {
        String expected = System.getProperty("llmunit.expectedJupiterVersion");
        assumeTrue(expected != null, "only meaningful under Maven, which sets llmunit.expectedJupiterVersion");

        String running = Test.class.getPackage().getImplementationVersion();

        assertThat(running).as("junit-jupiter-api on the test class path").isEqualTo(expected);
    }
}
