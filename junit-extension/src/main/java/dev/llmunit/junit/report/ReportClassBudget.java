package dev.llmunit.junit.report;

import dev.llmunit.junit.BudgetResult;
import java.util.Objects;

/**
 * A test class's {@code @CostBudget(perClass)} result, judged once when the class has finished
 * against all of its calls, so the verdict and its actual are the same however its tests were
 * scheduled (in parallel, which test happened to finish last would otherwise decide).
 *
 * @param className the class's name, such as {@code com.example.TriageTest}
 * @param budget the result, {@link BudgetResult#COST_PER_CLASS}
 */
public record ReportClassBudget(String className, BudgetResult budget) {

    /** Validates. */
    public ReportClassBudget {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(budget, "budget");
    }
}
