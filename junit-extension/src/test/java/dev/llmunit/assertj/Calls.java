package dev.llmunit.assertj;

import dev.llmunit.core.cost.Usage;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.junit.CallAttempt;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.internal.CallLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Hand-built call ledgers for the ledger assertion tests: calls with known providers, costs,
 * recorded latencies, attempts and fixtures, and a plain {@link LlmCalls} over them.
 */
final class Calls {

    private Calls() {}

    /** A call served by openai on its first attempt: 1000 in, 200 out, $0.00027, 120 ms recorded, fixture "triage". */
    static Builder call(int sequence) {
        return new Builder(sequence);
    }

    /** The extension's own ledger holding these calls, so the asserts are tested against what users get. */
    static LlmCalls ledger(LlmCall... calls) {
        CallLedger ledger = new CallLedger("CallsTest#ledger");
        for (LlmCall call : calls) {
            ledger.add(sequence -> call);
        }
        return ledger;
    }

    static final class Builder {

        private final int sequence;
        private final List<CallAttempt> attempts = new ArrayList<>();
        private String provider = "openai";
        private @Nullable Usd cost = Usd.usd("0.00027");
        private Duration latency = Duration.ofMillis(120);
        private @Nullable String fixture = "triage";
        private @Nullable Double confidence;
        private @Nullable ErrorKind error;
        private Usage usage = Usage.of(1000, 200);

        private Builder(int sequence) {
            this.sequence = sequence;
        }

        Builder servedBy(String provider) {
            this.provider = provider;
            return this;
        }

        Builder costing(@Nullable String usd) {
            this.cost = usd == null ? null : Usd.usd(usd);
            return this;
        }

        Builder taking(long millis) {
            this.latency = Duration.ofMillis(millis);
            return this;
        }

        Builder fixture(@Nullable String fixture) {
            this.fixture = fixture;
            return this;
        }

        Builder confidence(@Nullable Double confidence) {
            this.confidence = confidence;
            return this;
        }

        Builder tokens(long input, long output) {
            this.usage = Usage.of(input, output);
            return this;
        }

        /** A failed attempt before the serving one: rate limited, 5 ms, no cost, no fixture. */
        Builder failedFirstOn(String provider, int retry) {
            attempts.add(new CallAttempt(provider, "gpt-4o-mini", retry, ErrorKind.RATE_LIMITED, Duration.ofMillis(5), true,
                    Duration.ZERO, Usage.NONE, Usd.ZERO, null));
            return this;
        }

        /** Every attempt failed: no provider served. */
        Builder failing(ErrorKind error) {
            this.error = error;
            return this;
        }

        LlmCall build() {
            List<CallAttempt> all = new ArrayList<>(attempts);
            int retry = (int) attempts.stream().filter(a -> a.provider().equals(provider)).count();
            all.add(new CallAttempt(provider, "gpt-4o-mini", retry, error, latency, true, Duration.ZERO,
                    error == null ? usage : Usage.NONE, cost, error == null ? fixture : null));
            return new LlmCall(sequence, "router", error == null ? provider : null, error == null ? "gpt-4o-mini" : null,
                    error == null ? usage : Usage.NONE, cost,
                    all.stream().map(CallAttempt::latency).reduce(Duration.ZERO, Duration::plus),
                    Duration.ZERO, Duration.ofMillis(3), all, confidence, error,
                    "Ticket #4411: charged twice. Which queue?", error == null ? "The ticket belongs in billing." : "");
        }
    }
}
