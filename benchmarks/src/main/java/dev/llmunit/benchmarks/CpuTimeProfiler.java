package dev.llmunit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler reporting {@code cpu.time.norm}: the CPU time every Java thread of the benchmark's
 * JVM used during an iteration, per operation (like {@code gc.alloc.rate.norm} for allocation).
 *
 * <p>Wall time per operation on a shared machine grows with whatever else runs: with 10 runnable
 * processes on 2 cores a thread waits most of the time for a core, and the same call measured 1 µs
 * or 40 µs. CPU time counts only the time the threads ran, so it moves far less with the load, and
 * it includes the work of other threads (an ensemble's members on the routers' executor). JIT
 * compiler and GC threads are not Java threads and are not counted.
 *
 * <p>Use: {@code -prof dev.llmunit.benchmarks.CpuTimeProfiler}; {@link OverheadGuard} judges time with it.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Map<Long, Long> before = Map.of();

    /** Creates the profiler; JMH calls this in the forked JVM. */
    public CpuTimeProfiler() {
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time (ThreadMXBean.isThreadCpuTimeSupported)");
        }
        threads.setThreadCpuTimeEnabled(true);
    }

    @Override
    public String getDescription() {
        return "CPU time of all Java threads per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = cpuTimes();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long used = 0;
        for (Map.Entry<Long, Long> thread : cpuTimes().entrySet()) {
            // A thread started during the iteration counts from zero; one that ended is lost (it did little, or JMH's own).
            used += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        long ops = result.getMetadata().getAllOps();
        double perOp = ops == 0 ? Double.NaN : (double) used / ops;
        return List.of(new ScalarResult("cpu.time.norm", perOp, "ns/op", AggregationPolicy.AVG));
    }

    private Map<Long, Long> cpuTimes() {
        long[] ids = threads.getAllThreadIds();
        Map<Long, Long> times = new HashMap<>(ids.length * 2);
        for (long id : ids) {
            long time = threads.getThreadCpuTime(id);
            if (time >= 0) { // -1: the thread ended meanwhile
                times.put(id, time);
            }
        }
        return times;
    }
}
