package dev.llmunit.junit.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** Placeholder until the report lands. */
public record RunOptions(Path reportDir) {
    /** Placeholder. @param lookup l @param workingDirectory w @param console c @return options */
    public static RunOptions fromConfiguration(Function<String, Optional<String>> lookup, Path workingDirectory, PrintStream console) {
        return new RunOptions(workingDirectory.resolve("target/llmunit"));
    }
}
