package dev.llmunit.core.internal;

import dev.llmunit.core.ensemble.MemberOutcome;
import dev.llmunit.core.trace.LlmKeyNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one ensemble, registered when it is built so a run only increments them. Absent
 * (null) when the ensemble has no {@link MeterRegistry}.
 */
final class EnsembleMetrics {

    static final String CALLS = "llmunit.ensemble.calls";
    static final String AGREEMENT = "llmunit.ensemble.agreement";
    static final String MEMBERS = "llmunit.ensemble.members";
    static final String FALLBACKS = "llmunit.ensemble.fallbacks";

    /** How a run ended, the {@code llmunit.outcome} of {@value #CALLS}. */
    enum RunOutcome {
        SUCCEEDED, NOT_ENOUGH_ANSWERS, ALL_FILTERED, REFUSED, CANCELLED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<RunOutcome, Timer> calls = new EnumMap<>(RunOutcome.class);
    private final DistributionSummary agreement;
    private final Map<String, Map<MemberOutcome, Counter>> members = new HashMap<>();
    private final Counter fallbacks;

    EnsembleMetrics(MeterRegistry registry, String ensemble, String strategy, List<String> memberNames) {
        Tags base = Tags.of(LlmKeyNames.ENSEMBLE.asString(), ensemble);
        for (RunOutcome outcome : RunOutcome.values()) {
            calls.put(outcome, Timer.builder(CALLS).description("Ensemble runs, by how they ended")
                    .tags(base).tag(LlmKeyNames.MERGE.asString(), strategy).tag(LlmKeyNames.OUTCOME.asString(), outcome.tag())
                    .register(registry));
        }
        agreement = DistributionSummary.builder(AGREEMENT).description("The chosen answer's share of the votes or weight, 0 to 1")
                .tags(base).publishPercentiles(0.5, 0.9).register(registry);
        for (String member : memberNames) {
            Map<MemberOutcome, Counter> byOutcome = new EnumMap<>(MemberOutcome.class);
            for (MemberOutcome outcome : MemberOutcome.values()) {
                byOutcome.put(outcome, Counter.builder(MEMBERS).description("Member samples of ensemble runs, by how they ended")
                        .tags(base).tag(LlmKeyNames.MEMBER.asString(), member).tag(LlmKeyNames.OUTCOME.asString(), outcome.tagValue())
                        .register(registry));
            }
            members.put(member, byOutcome);
        }
        fallbacks = Counter.builder(FALLBACKS).description("Runs whose judge or fuser failed, so the consensus answer was taken")
                .tags(base).register(registry);
    }

    void run(RunOutcome outcome, long nanos) {
        calls.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    void agreement(double share) {
        agreement.record(share);
    }

    void member(String member, MemberOutcome outcome) {
        members.get(member).get(outcome).increment();
    }

    void fellBack() {
        fallbacks.increment();
    }
}
