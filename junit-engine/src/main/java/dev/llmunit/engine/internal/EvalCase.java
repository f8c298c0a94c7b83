package dev.llmunit.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmunit.junit.Reducer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One eval case, as its file states it (promptfoo's test case shape).
 *
 * @param file the file's resource path, such as {@code llmunit/evals/triage/tickets.yaml}
 * @param line the case's first line in the file, from 1
 * @param key unique within the file: its {@code id}, else its {@code description}, else {@code case <n>}
 * @param description what the case checks, or empty
 * @param vars the variables the target is given
 * @param assertions the checks of the answer, in order
 * @param threshold the weighted score the case needs, or {@code null}: then every assertion must pass
 * @param metadata free-form metadata, shown in the report
 * @param repeat how many times the case runs
 * @param reducer how its runs become one verdict
 */
record EvalCase(String file, int line, String key, String description, ObjectNode vars, List<EvalAssertion> assertions,
        @Nullable Double threshold, ObjectNode metadata, int repeat, Reducer reducer) {

    EvalCase {
        assertions = List.copyOf(assertions);
    }

    /**
     * A variable.
     *
     * @param name its name
     * @return its value, or {@code null} when the case has none of that name
     */
    @Nullable JsonNode variable(String name) {
        return vars.get(name);
    }

    /** The test's display name: its description, else its key. */
    String displayName() {
        return description.isEmpty() ? key : description;
    }
}
