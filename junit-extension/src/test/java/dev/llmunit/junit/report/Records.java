package dev.llmunit.junit.report;

import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.CallAttempt;
import dev.llmunit.junit.LlmCall;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Hand-built test records with real calls and attempts, and options pointing into a temp dir. */
final class Records {

    private Records() {}

    /** A playback call: recorded latency, so its judged latency is exactly {@code latencyMs}. */
    static LlmCall call(int sequence, @Nullable String cost, long latencyMs) {
        Usd usd = cost == null ? null : Usd.usd(cost);
        CallAttempt attempt = new CallAttempt("openai", "gpt-4o-mini", 0, null, Duration.ofMillis(latencyMs), true,
                Duration.ZERO, new Usage(120, 30, 20, 0, 5), usd, "fixture-" + sequence);
        return new LlmCall(sequence, "router", "openai", "gpt-4o-mini", new Usage(120, 30, 20, 0, 5), usd,
                Duration.ofMillis(latencyMs), Duration.ZERO, Duration.ofNanos(1_234_567), List.of(attempt), 0.9, null,
                "prompt " + sequence, "answer " + sequence);
    }

    /** A streamed playback call: the same as {@link #call} plus its recorded first token and output rate. */
    static LlmCall streamedCall(int sequence, long latencyMs, long firstTokenMs, double tokensPerSecond) {
        LlmCall call = call(sequence, "0.0001", latencyMs);
        return new LlmCall(call.sequence(), call.source(), call.provider(), call.model(), call.usage(), call.cost(),
                call.providerLatency(), call.retryWait(), call.overhead(), call.attempts(), call.confidence(), call.error(),
                call.prompt(), call.answer(), Duration.ofMillis(firstTokenMs), tokensPerSecond);
    }

    static TestRecord test(String id, TestStatus status, LlmCall... calls) {
        return new TestRecord(id, id.substring(id.indexOf('#') + 1) + "()", status, List.of(calls), List.of(),
                status == TestStatus.FAILED ? "expected <a> but was <b>" : "");
    }

    static TestRecord passed(String id, LlmCall... calls) {
        return test(id, TestStatus.PASSED, calls);
    }

    static TestRecord withBudget(TestRecord record, BudgetResult budget) {
        return new TestRecord(record.id(), record.displayName(), record.status(), record.calls(), List.of(budget),
                record.failure());
    }

    static final class Console {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    static RunOptions options(Path dir, BaselineMode mode, String runKey, Console console) {
        return new RunOptions(dir.resolve("target/llmunit"), dir.resolve("llmunit-baseline.json"), mode,
                new BigDecimal("0.10"), new BigDecimal("0.20"), null, runKey, console.stream);
    }
}
