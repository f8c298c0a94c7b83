package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usd;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Merges the {@code report.json} of several CI shards into one report and gates the whole of it
 * against the baseline, for a last CI step after the shards:
 *
 * <pre>{@code
 * java -cp … dev.llmunit.junit.report.ReportMerge --baseline llmunit-baseline.json \
 *     shard1/target/llmunit/report.json shard2/target/llmunit/report.json
 * }</pre>
 *
 * <p>Exits 0 when the merge passes, 1 when a test regressed or the suite budget broke (listing
 * why), and 2 on a usage or file error (with a message, never a stack trace). A test id found in
 * two reports is an error (exit 2) naming both files: its verdict would otherwise depend on the
 * order of the arguments.
 */
public final class ReportMerge {

    /** The output directory when {@code --out} is not given. */
    public static final String DEFAULT_OUT = "target/llmunit-merged";

    /** Exit code: the merged run passed. */
    public static final int PASSED = 0;
    /** Exit code: a regression or a broken suite budget. */
    public static final int FAILED = 1;
    /** Exit code: bad arguments or an unreadable file. */
    public static final int ERROR = 2;

    private static final String USAGE = """
            usage: ReportMerge [--baseline llmunit-baseline.json] [--update-baseline] [--out dir]
                               [--cost-tolerance 0.10] [--latency-tolerance 0.20] [--suite-budget 0.05]
                               shard1/report.json shard2/report.json …
              --baseline FILE          the committed baseline (default llmunit-baseline.json); no file, no gate
              --update-baseline        accept the merged run into the baseline instead of checking it
              --out DIR                where report.json and report.html go (default target/llmunit-merged)
              --cost-tolerance X       how much more a test may cost, a fraction (default 0.10) or 10%
              --latency-tolerance X    how much slower its p95 latency may get (default 0.20) or 20%
              --suite-budget USD       the most the merged run may cost""";

    private ReportMerge() {}

    /**
     * Runs the merge and exits with its code.
     *
     * @param args options, then the shards' report files
     */
    public static void main(String[] args) {
        System.exit(run(args, Path.of(""), System.out, System.err));
    }

    /**
     * Runs the merge without exiting, for tests and build tools.
     *
     * @param args options, then the shards' report files
     * @param workingDirectory what relative paths resolve against
     * @param out where the summary goes
     * @param err where errors and regressions go
     * @return {@link #PASSED}, {@link #FAILED} or {@link #ERROR}
     */
    public static int run(String[] args, Path workingDirectory, PrintStream out, PrintStream err) {
        try {
            Arguments arguments = Arguments.parse(args, workingDirectory);
            List<LlmReport> reports = new ArrayList<>();
            Map<String, Path> shardOf = new HashMap<>();
            for (Path file : arguments.reports()) {
                LlmReport report = LlmReport.read(file);
                for (ReportTest test : report.tests()) {
                    Path earlier = shardOf.putIfAbsent(test.id(), file);
                    if (earlier != null) {
                        // Which record would win would depend on the order of the arguments, and so would the verdict.
                        throw new IllegalStateException("the test " + test.id() + " is in two reports, " + earlier + " and " + file
                                + "; each test must run in one shard only. Fix the sharding so no test runs twice, or drop"
                                + " the report that should not count");
                    }
                }
                reports.add(report);
            }
            LlmReport merged = LlmReport.merge(reports);
            RunJudge.Judgement judgement = RunJudge.judge(merged, merged.tests(), arguments.baseline(),
                    arguments.update() ? BaselineMode.UPDATE : BaselineMode.CHECK, arguments.costTolerance(),
                    arguments.latencyTolerance(), arguments.suiteBudget(), new RunJudge.Wording("run ReportMerge with --update-baseline"));
            Path html = arguments.out().resolve(LlmRunReport.REPORT_HTML);
            judgement.report().writeJson(arguments.out().resolve(LlmRunReport.REPORT_JSON));
            judgement.report().writeHtml(html);
            RunJudge.summary(judgement, html).forEach(out::println);
            if (judgement.failed()) {
                err.println(judgement.failureMessage());
                return FAILED;
            }
            return PASSED;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("ReportMerge: " + e.getMessage());
            if (e instanceof IllegalArgumentException) {
                err.println(USAGE);
            }
            return ERROR;
        }
    }

    private record Arguments(List<Path> reports, Path baseline, boolean update, Path out, BigDecimal costTolerance,
            BigDecimal latencyTolerance, @Nullable Usd suiteBudget) {

        static Arguments parse(String[] args, Path workingDirectory) {
            List<Path> reports = new ArrayList<>();
            Path baseline = workingDirectory.resolve(RunOptions.DEFAULT_BASELINE_FILE);
            Path out = workingDirectory.resolve(DEFAULT_OUT);
            boolean update = false;
            BigDecimal costTolerance = new BigDecimal(RunOptions.DEFAULT_COST_TOLERANCE);
            BigDecimal latencyTolerance = new BigDecimal(RunOptions.DEFAULT_LATENCY_TOLERANCE);
            Usd suiteBudget = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--baseline" -> baseline = path(workingDirectory, arg, value(args, ++i, arg));
                    case "--out" -> out = path(workingDirectory, arg, value(args, ++i, arg));
                    case "--update-baseline" -> update = true;
                    case "--cost-tolerance" -> costTolerance = RunOptions.tolerance(arg, value(args, ++i, arg));
                    case "--latency-tolerance" -> latencyTolerance = RunOptions.tolerance(arg, value(args, ++i, arg));
                    case "--suite-budget" -> {
                        String value = value(args, ++i, arg);
                        try {
                            suiteBudget = Usd.usd(value);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(arg + " must be a USD amount such as 0.05, but was \"" + value + "\"", e);
                        }
                    }
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        reports.add(path(workingDirectory, "a report file", arg));
                    }
                }
            }
            if (reports.isEmpty()) {
                throw new IllegalArgumentException("give at least one report.json to merge");
            }
            return new Arguments(reports, baseline, update, out, costTolerance, latencyTolerance, suiteBudget);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length || args[index].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static Path path(Path workingDirectory, String what, String value) {
            try {
                return workingDirectory.resolve(value).normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(what + " must be a file path, but was \"" + value + "\"", e);
            }
        }
    }
}
