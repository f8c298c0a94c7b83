package dev.llmunit.junit.internal;

import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.CostBudget;
import dev.llmunit.junit.EnsembleCall;
import dev.llmunit.junit.LatencyBudget;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.MinConfidence;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.platform.commons.support.AnnotationSupport;
import org.jspecify.annotations.Nullable;

/**
 * Reads the budget annotations of a test and checks them against its calls. A method's attribute
 * wins over its class's (or an enclosing class's, for {@code @Nested} tests); unknown cost and
 * unknown confidence never pass.
 */
public final class Budgets {

    private Budgets() {}

    /**
     * Checks every per-call and per-test budget that applies to a test.
     *
     * @param method the test method, or {@code null} for a test without one (an eval case sent as a prompt): only the class's budgets apply
     * @param testClass the test's class
     * @param calls the test's calls
     * @return one result per budget set, in a fixed order (cost, latency, confidence)
     * @throws IllegalArgumentException when an annotation holds a value that is not an amount or a duration, naming it
     */
    public static List<BudgetResult> checkTest(@Nullable Method method, Class<?> testClass, List<LlmCall> calls) {
        return checkTest(method, testClass, calls, List.of());
    }

    /**
     * Checks every per-call and per-test budget that applies to a test that also ran ensembles:
     * cost and latency budgets count every member's call (they are among {@code calls}), and
     * {@link MinConfidence} judges an ensemble's calls by the ensemble's confidence.
     *
     * @param method the test method, or {@code null} for a test without one (an eval case)
     * @param testClass the test's class
     * @param calls the test's calls, ensemble members' included
     * @param ensembles the test's ensemble runs
     * @return one result per budget set, in a fixed order (cost, latency, confidence)
     * @throws IllegalArgumentException when an annotation holds a value that is not an amount or a duration, naming it
     */
    public static List<BudgetResult> checkTest(@Nullable Method method, Class<?> testClass, List<LlmCall> calls,
            List<EnsembleCall> ensembles) {
        Limits limits = limits(method, testClass);
        List<BudgetResult> results = new ArrayList<>();
        if (limits.costPerCall() != null) {
            results.add(costPerCall(limits.costPerCall(), calls));
        }
        if (limits.costPerTest() != null) {
            results.add(costTotal(BudgetResult.COST_PER_TEST, limits.costPerTest(), calls));
        }
        if (limits.latencyPerCall() != null) {
            results.add(latencyPerCall(limits.latencyPerCall(), calls));
        }
        if (limits.p50() != null) {
            results.add(latencyPercentile(BudgetResult.LATENCY_P50, 50, limits.p50(), calls));
        }
        if (limits.p95() != null) {
            results.add(latencyPercentile(BudgetResult.LATENCY_P95, 95, limits.p95(), calls));
        }
        if (limits.p99() != null) {
            results.add(latencyPercentile(BudgetResult.LATENCY_P99, 99, limits.p99(), calls));
        }
        if (limits.ttft() != null) {
            results.add(timeToFirstToken(limits.ttft(), calls));
        }
        if (limits.minConfidence() != null) {
            results.add(minConfidence(limits.minConfidence(), calls, ensembles));
        }
        return results;
    }

    /**
     * Reads every budget annotation that applies to a test without judging anything, so a typo
     * fails the test before its body runs (and before it spends money in record or live mode).
     *
     * @param method the test method, or {@code null} to read only the class's annotations
     * @param testClass the test's class
     * @throws IllegalArgumentException naming the annotation, its element, the value and the fix
     */
    public static void validate(@Nullable Method method, Class<?> testClass) {
        limits(method, testClass);
        classLimit(testClass);
    }

    /** The limits a test's annotations set; {@code null} where none is set. */
    private record Limits(@Nullable Usd costPerCall, @Nullable Usd costPerTest, @Nullable Duration latencyPerCall,
            @Nullable Duration p50, @Nullable Duration p95, @Nullable Duration p99, @Nullable Duration ttft,
            @Nullable Double minConfidence) {}

    private static Limits limits(@Nullable Method method, Class<?> testClass) {
        String where = testClass.getSimpleName() + (method == null ? "" : "#" + method.getName());
        CostBudget onMethod = find(method, CostBudget.class);
        if (onMethod != null && !onMethod.perClass().isBlank()) {
            throw new IllegalArgumentException("@CostBudget(perClass = \"" + onMethod.perClass() + "\") on the method " + where
                    + " would be ignored: a class budget covers all of a class's tests, so put it on " + testClass.getSimpleName());
        }
        Usd costPerCall = attribute(method, testClass, CostBudget.class, CostBudget::perCall)
                .map(limit -> usd(limit, "@CostBudget(perCall) on " + where)).orElse(null);
        Usd costPerTest = attribute(method, testClass, CostBudget.class, CostBudget::perTest)
                .map(limit -> usd(limit, "@CostBudget(perTest) on " + where)).orElse(null);
        Duration latencyPerCall = attribute(method, testClass, LatencyBudget.class, LatencyBudget::perCall)
                .map(limit -> Durations.parse(limit, "@LatencyBudget(perCall) on " + where)).orElse(null);
        Duration p50 = attribute(method, testClass, LatencyBudget.class, LatencyBudget::p50)
                .map(limit -> Durations.parse(limit, "@LatencyBudget(p50) on " + where)).orElse(null);
        Duration p95 = attribute(method, testClass, LatencyBudget.class, LatencyBudget::p95)
                .map(limit -> Durations.parse(limit, "@LatencyBudget(p95) on " + where)).orElse(null);
        Duration p99 = attribute(method, testClass, LatencyBudget.class, LatencyBudget::p99)
                .map(limit -> Durations.parse(limit, "@LatencyBudget(p99) on " + where)).orElse(null);
        Duration ttft = attribute(method, testClass, LatencyBudget.class, LatencyBudget::ttft)
                .map(limit -> Durations.parse(limit, "@LatencyBudget(ttft) on " + where)).orElse(null);
        MinConfidence confidence = find(method, MinConfidence.class);
        if (confidence == null) {
            confidence = findOnClass(testClass, MinConfidence.class);
        }
        Double minimum = null;
        if (confidence != null) {
            minimum = confidence.value();
            if (!(minimum >= 0 && minimum <= 1)) {
                throw new IllegalArgumentException("@MinConfidence on " + where + " is " + minimum + ", which is not between 0 and 1;"
                        + " write a probability such as 0.8");
            }
        }
        return new Limits(costPerCall, costPerTest, latencyPerCall, p50, p95, p99, ttft, minimum);
    }

    /**
     * Checks a class's {@link CostBudget#perClass()}.
     *
     * @param testClass the class
     * @param calls every call its tests (and its class-level code) made
     * @return the result, or empty when the class sets no such budget
     */
    public static Optional<BudgetResult> checkClass(Class<?> testClass, List<LlmCall> calls) {
        return classLimit(testClass).map(limit -> costTotal(BudgetResult.COST_PER_CLASS, limit, calls));
    }

    private static Optional<Usd> classLimit(Class<?> testClass) {
        CostBudget budget = findOnClass(testClass, CostBudget.class);
        if (budget == null || budget.perClass().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(usd(budget.perClass(), "@CostBudget(perClass) on " + testClass.getSimpleName()));
    }

    /**
     * Checks a whole-suite cost limit.
     *
     * @param limit the limit
     * @param calls every call of the suite
     * @return the result
     */
    public static BudgetResult checkSuite(Usd limit, List<LlmCall> calls) {
        return costTotal(BudgetResult.COST_SUITE, limit, calls);
    }

    /**
     * The failure message for broken budgets, listing the calls that broke each.
     *
     * @param owner the test or class, such as {@code TriageTest#refund}
     * @param results the results; only broken ones are listed
     * @return the message
     */
    public static String breachMessage(String owner, List<BudgetResult> results) {
        String newline = System.lineSeparator();
        StringBuilder message = new StringBuilder("llmunit budget broken by ").append(owner).append(':');
        for (BudgetResult result : results) {
            if (result.passed()) {
                continue;
            }
            message.append(newline).append("  ").append(result.describe());
            for (String call : result.offendingCalls()) {
                message.append(newline).append("    ").append(call);
            }
        }
        return message.toString();
    }

    private static BudgetResult costPerCall(Usd limit, List<LlmCall> calls) {
        List<String> offending = new ArrayList<>();
        Usd highest = Usd.ZERO;
        boolean unknown = false;
        for (LlmCall call : calls) {
            Usd cost = call.cost();
            if (cost == null) {
                unknown = true;
                offending.add(call + " (no price for its model)");
            } else {
                if (cost.isGreaterThan(highest)) {
                    highest = cost;
                }
                if (cost.isGreaterThan(limit)) {
                    offending.add(call.toString());
                }
            }
        }
        return new BudgetResult(BudgetResult.COST_PER_CALL, limit.toPlainString(), unknown ? "unknown" : highest.toPlainString(),
                offending.isEmpty(), offending);
    }

    private static BudgetResult costTotal(String kind, Usd limit, List<LlmCall> calls) {
        @Nullable Usd total = CallLedger.totalCost(calls);
        boolean passed = total != null && !total.isGreaterThan(limit);
        List<String> offending = new ArrayList<>();
        if (!passed) {
            for (LlmCall call : calls) {
                offending.add(call + (call.cost() == null ? " (no price for its model)" : ""));
            }
        }
        return new BudgetResult(kind, limit.toPlainString(), total == null ? "unknown" : total.toPlainString(), passed, offending);
    }

    private static BudgetResult latencyPerCall(Duration limit, List<LlmCall> calls) {
        List<String> offending = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (LlmCall call : calls) {
            Duration latency = call.judgedLatency();
            if (latency.compareTo(longest) > 0) {
                longest = latency;
            }
            if (latency.compareTo(limit) > 0) {
                offending.add(call.toString());
            }
        }
        return new BudgetResult(BudgetResult.LATENCY_PER_CALL, millis(limit), millis(longest), offending.isEmpty(), offending);
    }

    /** Every answered call's first token within the limit: streamed calls' judged TTFT, other calls' whole judged latency. */
    private static BudgetResult timeToFirstToken(Duration limit, List<LlmCall> calls) {
        List<String> offending = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (LlmCall call : calls) {
            if (!call.succeeded()) {
                continue; // no token came; the latency budgets judge failed calls
            }
            Duration first = call.timeToFirstToken() != null ? call.timeToFirstToken() : call.judgedLatency();
            if (first.compareTo(longest) > 0) {
                longest = first;
            }
            if (first.compareTo(limit) > 0) {
                offending.add(call + (call.streamed() ? "" : " (not streamed: its first token came with the whole answer)"));
            }
        }
        return new BudgetResult(BudgetResult.LATENCY_TTFT, millis(limit), millis(longest), offending.isEmpty(), offending);
    }

    private static BudgetResult latencyPercentile(String kind, double percentile, Duration limit, List<LlmCall> calls) {
        Duration actual = CallLedger.percentile(calls, percentile);
        boolean passed = actual.compareTo(limit) <= 0;
        List<String> offending = new ArrayList<>();
        if (!passed) {
            for (LlmCall call : calls) {
                if (call.judgedLatency().compareTo(limit) > 0) {
                    offending.add(call.toString());
                }
            }
        }
        return new BudgetResult(kind, millis(limit), millis(actual), passed, offending);
    }

    private static BudgetResult minConfidence(double minimum, List<LlmCall> calls, List<EnsembleCall> ensembles) {
        List<String> offending = new ArrayList<>();
        double lowest = 1.0;
        boolean unknown = false;
        // An ensemble's member and judge calls are judged by the ensemble's confidence, not one by one.
        Set<LlmCall> inEnsembles = Collections.newSetFromMap(new IdentityHashMap<>());
        for (EnsembleCall run : ensembles) {
            inEnsembles.addAll(run.calls());
            if (run.succeeded() && run.confidence() != null) {
                lowest = Math.min(lowest, run.confidence());
                if (run.confidence() < minimum) {
                    offending.add(run.toString());
                }
            }
        }
        for (LlmCall call : calls) {
            if (!call.succeeded() || inEnsembles.contains(call)) {
                continue;
            }
            Double confidence = call.confidence();
            if (confidence == null) {
                unknown = true;
                offending.add(call + " (confidence unknown: the response had no log-probabilities)");
            } else {
                lowest = Math.min(lowest, confidence);
                if (confidence < minimum) {
                    offending.add(call.toString());
                }
            }
        }
        return new BudgetResult(BudgetResult.CONFIDENCE_MIN, format(minimum), unknown ? "unknown" : format(lowest),
                offending.isEmpty(), offending);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String millis(Duration duration) {
        return new BigDecimal(duration.toNanos()).movePointLeft(6).stripTrailingZeros().toPlainString();
    }

    private static Usd usd(String amount, String where) {
        BigDecimal value;
        try {
            value = new BigDecimal(amount.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " is '" + amount + "', which is not a USD amount; write a plain decimal"
                    + " such as \"0.002\"", e);
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(where + " is '" + amount + "', but a cost limit must not be negative; write the most"
                    + " it may cost as a plain decimal such as \"0.002\" (\"0\" allows no spending, an empty string no limit)");
        }
        return Usd.of(value);
    }

    private static <A extends Annotation> Optional<String> attribute(@Nullable Method method, Class<?> testClass, Class<A> type,
            Function<A, String> attribute) {
        A onMethod = find(method, type);
        if (onMethod != null && !attribute.apply(onMethod).isBlank()) {
            return Optional.of(attribute.apply(onMethod));
        }
        A onClass = findOnClass(testClass, type);
        if (onClass != null && !attribute.apply(onClass).isBlank()) {
            return Optional.of(attribute.apply(onClass));
        }
        return Optional.empty();
    }

    private static <A extends Annotation> @Nullable A find(@Nullable AnnotatedElement element, Class<A> type) {
        return element == null ? null : AnnotationSupport.findAnnotation(element, type).orElse(null);
    }

    private static <A extends Annotation> @Nullable A findOnClass(Class<?> testClass, Class<A> type) {
        for (Class<?> current = testClass; current != null; current = current.getEnclosingClass()) {
            A found = find(current, type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
