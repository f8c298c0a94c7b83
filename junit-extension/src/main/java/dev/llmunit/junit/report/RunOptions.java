package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.wiremock.Excerpts;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the run's report goes and how it is judged. The extension builds it with
 * {@link #fromConfiguration} from JUnit configuration parameters and system properties:
 *
 * <pre>{@code
 * mvn verify -Dllmunit.baseline=update -Dllmunit.budget.suite.cost=0.05
 * }</pre>
 *
 * @param reportDir where {@code report.json}, {@code report.html} and the {@code parts/} go; default {@value #DEFAULT_REPORT_DIR}
 * @param baselineFile the committed baseline; default {@value #DEFAULT_BASELINE_FILE}
 * @param baselineMode check it, update it or ignore it; default {@link BaselineMode#CHECK}
 * @param costTolerance how much more a test may cost than its baseline, a fraction; default {@value #DEFAULT_COST_TOLERANCE} (+10 %)
 * @param latencyTolerance how much slower its p95 latency may get, a fraction; default {@value #DEFAULT_LATENCY_TOLERANCE} (+20 %)
 * @param suiteCostBudget the most the whole run may cost, or {@code null} for no limit
 * @param runKey what the parts of one run share (all Surefire forks of one Maven run); see {@link #defaultRunKey()}
 * @param console where the summary is printed
 * @param excerpts what the report keeps of prompts and answers; default {@link Excerpts#KEEP}, set with {@value Excerpts#PROPERTY}
 */
public record RunOptions(Path reportDir, Path baselineFile, BaselineMode baselineMode, BigDecimal costTolerance,
        BigDecimal latencyTolerance, @Nullable Usd suiteCostBudget, String runKey, PrintStream console, Excerpts excerpts) {

    /** Setting: the report directory, relative to the working directory unless absolute. */
    public static final String REPORT_DIR = "llmunit.report.dir";
    /** Setting: {@code check}, {@code update} or {@code off}. */
    public static final String BASELINE = "llmunit.baseline";
    /** Setting: the baseline file, relative to the working directory unless absolute. */
    public static final String BASELINE_FILE = "llmunit.baseline.file";
    /** Setting: the cost tolerance, a fraction such as {@code 0.10} or a percentage such as {@code 10%}. */
    public static final String COST_TOLERANCE = "llmunit.baseline.tolerance.cost";
    /** Setting: the latency tolerance, a fraction such as {@code 0.20} or a percentage such as {@code 20%}. */
    public static final String LATENCY_TOLERANCE = "llmunit.baseline.tolerance.latency";
    /** Setting: the suite cost budget in USD, such as {@code 0.05}. */
    public static final String SUITE_COST_BUDGET = "llmunit.budget.suite.cost";
    /** Setting: the run key; set it when the default cannot tell runs apart (such as several runs from one IDE). */
    public static final String RUN = "llmunit.run";
    /**
     * Setting: {@code on} (default) prints the run's summary on the console, {@code off} prints
     * nothing (the report files are written all the same), for runs nested inside another test run.
     */
    public static final String CONSOLE = "llmunit.report.console";

    /** Default of {@value #REPORT_DIR}. */
    public static final String DEFAULT_REPORT_DIR = "target/llmunit";
    /** Default of {@value #BASELINE_FILE}. */
    public static final String DEFAULT_BASELINE_FILE = "llmunit-baseline.json";
    /** Default of {@value #COST_TOLERANCE}. */
    public static final String DEFAULT_COST_TOLERANCE = "0.10";
    /** Default of {@value #LATENCY_TOLERANCE}. */
    public static final String DEFAULT_LATENCY_TOLERANCE = "0.20";

    /** Validates. */
    public RunOptions {
        Objects.requireNonNull(reportDir, "reportDir");
        Objects.requireNonNull(baselineFile, "baselineFile");
        Objects.requireNonNull(baselineMode, "baselineMode");
        Objects.requireNonNull(costTolerance, "costTolerance");
        Objects.requireNonNull(latencyTolerance, "latencyTolerance");
        Objects.requireNonNull(runKey, "runKey");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(excerpts, "excerpts");
        if (costTolerance.signum() < 0) {
            throw new IllegalArgumentException("costTolerance must not be negative, but was " + costTolerance.toPlainString());
        }
        if (latencyTolerance.signum() < 0) {
            throw new IllegalArgumentException("latencyTolerance must not be negative, but was " + latencyTolerance.toPlainString());
        }
        if (runKey.isBlank()) {
            throw new IllegalArgumentException("runKey must not be blank");
        }
    }

    /**
     * Options that keep prompts and answers in the report as they are.
     *
     * @param reportDir where report.json and report.html go
     * @param baselineFile the committed baseline
     * @param baselineMode check it, update it or ignore it
     * @param costTolerance how much more a test may cost than its baseline
     * @param latencyTolerance how much slower its p95 latency may get
     * @param suiteCostBudget the most the whole run may cost, or {@code null}
     * @param runKey what the parts of one run share
     * @param console where the summary is printed
     */
    public RunOptions(Path reportDir, Path baselineFile, BaselineMode baselineMode, BigDecimal costTolerance,
            BigDecimal latencyTolerance, @Nullable Usd suiteCostBudget, String runKey, PrintStream console) {
        this(reportDir, baselineFile, baselineMode, costTolerance, latencyTolerance, suiteCostBudget, runKey, console, Excerpts.KEEP);
    }

    /**
     * Reads the {@code llmunit.*} settings, each falling back to its default.
     *
     * @param lookup a setting by key, such as a JUnit configuration-parameter lookup that also sees system properties
     * @param workingDirectory what relative paths resolve against, usually the module directory
     * @param console where the summary is printed, unless {@value #CONSOLE} is {@code off}
     * @return the options
     * @throws IllegalArgumentException for a bad value, naming the key, the value and what is valid
     */
    public static RunOptions fromConfiguration(Function<String, Optional<String>> lookup, Path workingDirectory,
            PrintStream console) {
        Function<String, Optional<String>> setting = key -> lookup.apply(key).map(String::trim).filter(value -> !value.isEmpty());
        Path reportDir = path(workingDirectory, REPORT_DIR, setting.apply(REPORT_DIR).orElse(DEFAULT_REPORT_DIR));
        Path baselineFile = path(workingDirectory, BASELINE_FILE, setting.apply(BASELINE_FILE).orElse(DEFAULT_BASELINE_FILE));
        BaselineMode mode = setting.apply(BASELINE).map(RunOptions::mode).orElse(BaselineMode.CHECK);
        BigDecimal costTolerance = tolerance(COST_TOLERANCE, setting.apply(COST_TOLERANCE).orElse(DEFAULT_COST_TOLERANCE));
        BigDecimal latencyTolerance = tolerance(LATENCY_TOLERANCE,
                setting.apply(LATENCY_TOLERANCE).orElse(DEFAULT_LATENCY_TOLERANCE));
        Usd budget = setting.apply(SUITE_COST_BUDGET).map(RunOptions::budget).orElse(null);
        String runKey = setting.apply(RUN).orElseGet(RunOptions::defaultRunKey);
        boolean printed = setting.apply(CONSOLE).map(RunOptions::consoleOn).orElse(true);
        return new RunOptions(reportDir, baselineFile, mode, costTolerance, latencyTolerance, budget, runKey,
                printed ? console : new PrintStream(OutputStream.nullOutputStream()), Excerpts.resolve(lookup));
    }

    /**
     * The run key when {@value #RUN} is not set: the pid and start time of the nearest ancestor
     * process that is a Java VM (the Maven or Gradle process that forked this test JVM, through the
     * shell Surefire forks with), which every fork of one build shares and the next build does not;
     * the current process's own when no ancestor is a JVM (tests running inside the build's VM).
     *
     * @return a key such as {@code pid4711-1767225600000}
     */
    public static String defaultRunKey() {
        ProcessHandle self = ProcessHandle.current();
        Optional<ProcessHandle> ancestor = self.parent();
        for (int depth = 0; depth < MAX_ANCESTORS && ancestor.isPresent(); depth++) {
            ProcessHandle candidate = ancestor.get();
            if (isJavaVm(candidate) && candidate.info().startInstant().isPresent()) {
                return key(candidate.pid(), candidate.info().startInstant().get());
            }
            ancestor = candidate.parent();
        }
        return key(self.pid(), self.info().startInstant().orElse(Instant.EPOCH));
    }

    /** How far up the process tree to look for the build's JVM: Surefire puts one shell in between. */
    private static final int MAX_ANCESTORS = 3;

    private static boolean isJavaVm(ProcessHandle process) {
        return process.info().command().map(command -> {
            String name = Path.of(command).getFileName().toString();
            return name.equals("java") || name.equals("java.exe") || name.equals("javaw.exe");
        }).orElse(false);
    }

    private static String key(long pid, Instant start) {
        return "pid" + pid + "-" + start.toEpochMilli();
    }

    static BaselineMode mode(String value) {
        for (BaselineMode mode : BaselineMode.values()) {
            if (mode.settingName().equals(value.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException(BASELINE + " must be check, update or off, but was \"" + value + "\"");
    }

    private static boolean consoleOn(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(CONSOLE + " must be on or off, but was \"" + value + "\"");
        };
    }

    /** A fraction ({@code 0.10}) or a percentage ({@code 10%}), never negative. */
    static BigDecimal tolerance(String key, String value) {
        boolean percent = value.endsWith("%");
        String number = percent ? value.substring(0, value.length() - 1).trim() : value;
        BigDecimal parsed;
        try {
            parsed = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a fraction such as 0.10 or a percentage such as 10% "
                    + "(both mean +10 %), but was \"" + value + "\"", e);
        }
        if (parsed.signum() < 0) {
            throw new IllegalArgumentException(key + " must not be negative (0 allows no increase), but was \"" + value + "\"");
        }
        return percent ? parsed.movePointLeft(2) : parsed;
    }

    private static Usd budget(String value) {
        try {
            return Usd.usd(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SUITE_COST_BUDGET + " must be a non-negative USD amount such as 0.05, but was \""
                    + value + "\"", e);
        }
    }

    private static Path path(Path workingDirectory, String key, String value) {
        try {
            return workingDirectory.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + " must be a file path, but was \"" + value + "\": " + e.getReason(), e);
        }
    }
}
