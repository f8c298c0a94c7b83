package dev.llmunit.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The overhead guard CI runs after the build ({@code .ci/run}): a short JMH run of the paths whose
 * overhead has a target, failing (exit 1) when llmunit's allocation per call exceeds its stated
 * bound or its time overhead exceeds a generous multiple of its target, so a regression cannot land
 * silently.
 *
 * <p>Allocation ({@code -prof gc}'s {@code gc.alloc.rate.norm}, bytes per call) does not depend on
 * the machine's load, so its bounds are the stated bounds themselves. Time does: on the shared
 * 2-core machine, with ten other processes runnable, the same call measured 1 µs or 40 µs of wall
 * time. So time is judged on CPU time per call ({@link CpuTimeProfiler}, every Java thread, which
 * counts the ensemble's executor threads too), with a bound of 5× its target for the routed call and
 * 10× for the error path and the ensemble (on a loaded machine their CPU time still grows about 4×,
 * the JIT compilers getting little of the cores): a regression of that size is a bug, not noise. The ensemble's wall time, which includes the hand-offs to executor
 * threads that wait for a free core, is bounded at 100× its target: enough to catch a run that
 * sleeps or polls, and nothing else. Each figure is the best of the measurement iterations: other
 * work on the machine only ever adds time, and a late JIT compilation only adds allocation. When a
 * check fails, its two benchmarks run once more with 10 warmup iterations and each figure is the
 * better of the two runs: on a machine with 40 runnable processes the error path once still ran
 * interpreted after 4 s of warmup (842 µs of CPU per call instead of about 100); a real regression
 * fails the second run too.
 *
 * <p>Run from the repository root after {@code mvn -B verify} (or {@code mvn -B -pl benchmarks -am
 * package -DskipTests}): {@code java -cp benchmarks/target/benchmarks.jar dev.llmunit.benchmarks.OverheadGuard};
 * about 80 s. It prints every figure and every check with its bound.
 */
public final class OverheadGuard {

    private static final String PACKAGE = "dev.llmunit.benchmarks.";
    private static final double MICROSECOND = 1_000;
    private static final int WARMUP_ITERATIONS = 4;
    private static final int RETRY_WARMUP_ITERATIONS = 10;
    private static final int MEASUREMENT_ITERATIONS = 4;

    /** The checks, each the difference of a measured path and its direct baseline; see benchmarks/README.md. */
    static final List<Check> CHECKS = List.of(
            Check.cpu("routed call: routed - direct", "RouterOverheadBenchmark.routed", "RouterOverheadBenchmark.direct",
                    1 * MICROSECOND, 5),
            Check.allocation("routed call: routed - direct", "RouterOverheadBenchmark.routed", "RouterOverheadBenchmark.direct",
                    1024),
            Check.cpu("error handling: routed - direct", "ErrorHandlingBenchmark.routed", "ErrorHandlingBenchmark.direct",
                    20 * MICROSECOND, 10),
            Check.allocation("error handling: routed - direct", "ErrorHandlingBenchmark.routed", "ErrorHandlingBenchmark.direct",
                    12288),
            Check.cpu("ensemble's own work: ensembleOnCallingThread - threeMembersInARow",
                    "EnsembleBenchmark.ensembleOnCallingThread", "EnsembleBenchmark.threeMembersInARow", 20 * MICROSECOND, 10),
            Check.allocation("ensemble's own work: ensembleOnCallingThread - threeMembersInARow",
                    "EnsembleBenchmark.ensembleOnCallingThread", "EnsembleBenchmark.threeMembersInARow", 8192),
            Check.cpu("ensemble: ensemble - slowestMember", "EnsembleBenchmark.ensemble", "EnsembleBenchmark.slowestMember",
                    20 * MICROSECOND, 10),
            Check.wall("ensemble wall: ensemble - slowestMember", "EnsembleBenchmark.ensemble", "EnsembleBenchmark.slowestMember",
                    20 * MICROSECOND, 100));

    private OverheadGuard() {}

    /**
     * Runs the guard's benchmarks, prints the figures and checks, and exits 1 if a check fails.
     *
     * @param args none
     * @throws RunnerException when JMH cannot run (a benchmark's own setup check failing included)
     */
    public static void main(String[] args) throws RunnerException {
        // Another JMH run on a shared machine holds JMH's lock; waiting would not make this run quieter, and the bounds
        // are made for a noisy machine.
        System.setProperty("jmh.ignoreLock", "true");
        List<String> benchmarks = benchmarks();
        System.out.println("overhead guard: " + benchmarks.size() + " JMH benchmarks, 1 fork each, " + WARMUP_ITERATIONS
                + " warmup and " + MEASUREMENT_ITERATIONS + " measurement iterations of 1 s, -prof gc, CPU time (about 80 s)");
        long start = System.nanoTime();
        Map<String, Figures> figures = run(benchmarks, WARMUP_ITERATIONS);
        List<Verdict> verdicts = evaluate(figures);
        List<String> again = benchmarksOf(verdicts.stream().filter(verdict -> !verdict.passed()).toList());
        if (!again.isEmpty()) {
            // On a busy machine the JIT compilers get little of the cores, so a path may still run interpreted after a
            // short warmup, slower and allocating more (no escape analysis). A real regression fails the second run too.
            System.out.print(report(figures, verdicts));
            System.out.println("overhead guard: " + again.size() + " benchmarks again with " + RETRY_WARMUP_ITERATIONS
                    + " warmup iterations, in case their code was not compiled yet; each figure is the better of the two runs");
            figures = better(figures, run(again, RETRY_WARMUP_ITERATIONS));
            verdicts = evaluate(figures);
        }
        System.out.print(report(figures, verdicts));
        System.out.printf(Locale.ROOT, "overhead guard: %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        long failed = verdicts.stream().filter(verdict -> !verdict.passed()).count();
        if (failed > 0) {
            System.out.println("overhead guard: FAILED, " + failed + " of " + verdicts.size() + " checks over their bound");
            System.exit(1);
        }
        System.out.println("overhead guard: passed, " + verdicts.size() + " checks");
    }

    private static Map<String, Figures> run(List<String> benchmarks, int warmupIterations) throws RunnerException {
        Collection<RunResult> results = new Runner(options(benchmarks, warmupIterations)).run();
        Map<String, Figures> figures = new LinkedHashMap<>();
        for (RunResult result : results) {
            Figures these = Figures.of(result);
            figures.put(these.benchmark(), these);
        }
        return figures;
    }

    /**
     * The benchmarks some verdicts compare, each once.
     *
     * @param verdicts the verdicts
     * @return their measured and baseline benchmarks
     */
    static List<String> benchmarksOf(List<Verdict> verdicts) {
        return namesOf(verdicts.stream().map(Verdict::check).toList());
    }

    /**
     * Two runs' figures combined: for each benchmark and metric the better (lower) one, since load and a late JIT only
     * ever make a figure worse.
     *
     * @param first the first run, every benchmark
     * @param second the second run, some of them
     * @return the combined figures
     */
    static Map<String, Figures> better(Map<String, Figures> first, Map<String, Figures> second) {
        Map<String, Figures> combined = new LinkedHashMap<>(first);
        second.forEach((benchmark, again) -> combined.merge(benchmark, again, (one, other) -> new Figures(benchmark,
                Math.min(one.bestNanos(), other.bestNanos()), Math.min(one.meanNanos(), other.meanNanos()),
                one.meanNanos() <= other.meanNanos() ? one.errorNanos() : other.errorNanos(),
                Math.min(one.cpuNanos(), other.cpuNanos()), Math.min(one.allocatedBytes(), other.allocatedBytes()))));
        return combined;
    }

    /** @return the benchmarks the checks compare, each once, by simple name ({@code Class.method}) */
    static List<String> benchmarks() {
        return namesOf(CHECKS);
    }

    private static List<String> namesOf(List<Check> checks) {
        List<String> names = new ArrayList<>();
        for (Check check : checks) {
            for (String name : List.of(check.baseline(), check.measured())) {
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static Options options(List<String> benchmarks, int warmupIterations) {
        OptionsBuilder options = new OptionsBuilder();
        for (String benchmark : benchmarks) {
            options.include("^" + (PACKAGE + benchmark).replace(".", "\\.") + "$");
        }
        return options
                .param("key", "lexical")
                .forks(1)
                // The benchmarks' own heap settings, and SLF4J's "no providers" notice off: one per fork is console noise.
                .jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dslf4j.internal.verbosity=ERROR")
                .warmupIterations(warmupIterations).warmupTime(TimeValue.seconds(1))
                .measurementIterations(MEASUREMENT_ITERATIONS).measurementTime(TimeValue.seconds(1))
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class)
                .addProfiler(CpuTimeProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
    }

    /**
     * Judges the figures against every check.
     *
     * @param figures each benchmark's figures by simple name
     * @return one verdict per check, in {@link #CHECKS} order
     * @throws IllegalStateException when a benchmark a check needs has no figures (it did not run)
     */
    static List<Verdict> evaluate(Map<String, Figures> figures) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Check check : CHECKS) {
            Figures measured = require(figures, check.measured());
            Figures baseline = require(figures, check.baseline());
            double value = check.metric().of(measured) - check.metric().of(baseline);
            verdicts.add(new Verdict(check, value, value <= check.bound()));
        }
        return verdicts;
    }

    private static Figures require(Map<String, Figures> figures, String benchmark) {
        Figures found = figures.get(benchmark);
        if (found == null) {
            throw new IllegalStateException("overhead guard: no result for " + benchmark + " (ran: " + figures.keySet()
                    + "); is it still a @Benchmark method of " + PACKAGE + benchmark.substring(0, benchmark.indexOf('.')) + "?");
        }
        return found;
    }

    /**
     * The figures and checks as the console shows them.
     *
     * @param figures the benchmarks' figures
     * @param verdicts the checks' verdicts
     * @return the text, one line per benchmark and per check
     */
    static String report(Map<String, Figures> figures, List<Verdict> verdicts) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-42s %13s %24s %13s %12s%n", "benchmark", "wall best ns", "wall mean ± 99.9 % ns",
                "CPU best ns", "alloc B/op"));
        for (Figures figure : figures.values()) {
            text.append(String.format(Locale.ROOT, "%-42s %13.1f %24s %13.1f %12.0f%n", figure.benchmark(), figure.bestNanos(),
                    String.format(Locale.ROOT, "%.1f ± %.1f", figure.meanNanos(), figure.errorNanos()), figure.cpuNanos(),
                    figure.allocatedBytes()));
        }
        for (Verdict verdict : verdicts) {
            Check check = verdict.check();
            text.append(String.format(Locale.ROOT, "%-4s %-10s %-68s %10s  (target %s, bound %s)%n", verdict.passed() ? "ok" : "FAIL",
                    check.metric().label, check.name(), check.format(verdict.value()), check.format(check.target()),
                    check.format(check.bound())));
        }
        return text.toString();
    }

    /** What a check compares. */
    enum Metric {
        /** Wall time per call, the best measurement iteration. */
        WALL("wall time") {
            @Override
            double of(Figures figures) {
                return figures.bestNanos();
            }
        },
        /** CPU time of all Java threads per call ({@link CpuTimeProfiler}), the best measurement iteration. */
        CPU("CPU time") {
            @Override
            double of(Figures figures) {
                return figures.cpuNanos();
            }
        },
        /** Bytes allocated per call ({@code gc.alloc.rate.norm}), the lowest measurement iteration. */
        ALLOCATION("allocation") {
            @Override
            double of(Figures figures) {
                return figures.allocatedBytes();
            }
        };

        final String label;

        Metric(String label) {
            this.label = label;
        }

        abstract double of(Figures figures);
    }

    /**
     * One bound on the difference between a measured benchmark and its baseline.
     *
     * @param name what is checked
     * @param measured the measured benchmark, {@code Class.method}
     * @param baseline the baseline benchmark, {@code Class.method}
     * @param metric what is compared
     * @param target the stated target of the difference (ns or bytes per call)
     * @param bound the value above which the guard fails
     */
    record Check(String name, String measured, String baseline, Metric metric, double target, double bound) {

        static Check cpu(String name, String measured, String baseline, double targetNanos, int multiple) {
            return new Check(name, measured, baseline, Metric.CPU, targetNanos, targetNanos * multiple);
        }

        static Check wall(String name, String measured, String baseline, double targetNanos, int multiple) {
            return new Check(name, measured, baseline, Metric.WALL, targetNanos, targetNanos * multiple);
        }

        static Check allocation(String name, String measured, String baseline, double boundBytes) {
            return new Check(name, measured, baseline, Metric.ALLOCATION, boundBytes, boundBytes);
        }

        String format(double value) {
            if (metric == Metric.ALLOCATION) {
                return String.format(Locale.ROOT, "%.0f B", value);
            }
            return Math.abs(value) >= MICROSECOND
                    ? String.format(Locale.ROOT, "%.2f µs", value / MICROSECOND)
                    : String.format(Locale.ROOT, "%.0f ns", value);
        }
    }

    /**
     * A check's outcome.
     *
     * @param check the check
     * @param value the measured difference
     * @param passed whether it is within the bound
     */
    record Verdict(Check check, double value, boolean passed) {}

    /**
     * What one benchmark measured.
     *
     * @param benchmark {@code Class.method}
     * @param bestNanos the best measurement iteration, ns per call
     * @param meanNanos JMH's mean over the measurement iterations, ns per call
     * @param errorNanos JMH's 99.9 % confidence half-width, ns (NaN with too few iterations)
     * @param cpuNanos the lowest {@code cpu.time.norm} of the measurement iterations, ns per call
     * @param allocatedBytes the lowest {@code gc.alloc.rate.norm} of the measurement iterations, bytes per call
     */
    record Figures(String benchmark, double bestNanos, double meanNanos, double errorNanos, double cpuNanos,
            double allocatedBytes) {

        static Figures of(RunResult run) {
            String full = run.getParams().getBenchmark();
            String benchmark = full.startsWith(PACKAGE) ? full.substring(PACKAGE.length()) : full;
            double best = Double.POSITIVE_INFINITY;
            double cpu = Double.POSITIVE_INFINITY;
            double allocated = Double.POSITIVE_INFINITY;
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    best = Math.min(best, iteration.getPrimaryResult().getScore());
                    cpu = Math.min(cpu, secondary(iteration.getSecondaryResults(), "cpu.time.norm", benchmark));
                    allocated = Math.min(allocated, secondary(iteration.getSecondaryResults(), "gc.alloc.rate.norm", benchmark));
                }
            }
            Result<?> primary = run.getPrimaryResult();
            return new Figures(benchmark, best, primary.getScore(), primary.getScoreError(), cpu, allocated);
        }

        private static double secondary(Map<String, Result> secondary, String label, String benchmark) {
            for (Map.Entry<String, Result> entry : secondary.entrySet()) {
                // JMH 1.37 labels it "gc.alloc.rate.norm"; older versions prefixed a middle dot.
                if (entry.getKey().endsWith(label)) {
                    return entry.getValue().getScore();
                }
            }
            throw new IllegalStateException("overhead guard: " + benchmark + " has no " + label + "; its profiler did not run");
        }
    }
}
