package dev.llmunit.junit.internal;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.ensemble.AnswerKey;
import dev.llmunit.core.ensemble.AuxiliaryCall;
import dev.llmunit.core.ensemble.ConfidenceCalibration;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleException;
import dev.llmunit.core.ensemble.EnsembleMember;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.ensemble.MemberOutcome;
import dev.llmunit.core.ensemble.MemberResult;
import dev.llmunit.core.ensemble.MergeStrategy;
import dev.llmunit.core.error.ErrorKind;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.http.HttpExchangeCapture;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.junit.EnsembleCall;
import dev.llmunit.junit.LlmCall;
import dev.llmunit.wiremock.FixtureServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Ensemble} the extension injects: the real ensemble, with every run written to the
 * ledger of the test that is running. Each member sample's provider call and each judge or fuser
 * call becomes an {@link LlmCall} with its own fixture (the ensemble keeps each member's HTTP
 * exchanges apart while a capture is active), and the run itself an {@link EnsembleCall} that
 * ties them to the votes, clusters and confidence.
 */
public final class RecordingEnsemble implements Ensemble {

    private final Ensemble delegate;
    private final Supplier<CallLedger> ledger;
    private final IntSupplier sample;

    /**
     * Wraps an ensemble.
     *
     * @param delegate the ensemble that does the work
     * @param ledger the ledger to record into, asked at each run
     */
    public RecordingEnsemble(Ensemble delegate, Supplier<CallLedger> ledger) {
        this(delegate, ledger, () -> 1);
    }

    /**
     * Wraps an ensemble whose member requests ask the fixture server for a recorded sample, so the
     * runs of a repeated test play distinct recordings.
     *
     * @param delegate the ensemble that does the work
     * @param ledger the ledger to record into, asked at each run
     * @param sample the sample each run's calls ask for ({@value FixtureServer#SAMPLE_HEADER}); 1 sends no header
     */
    public RecordingEnsemble(Ensemble delegate, Supplier<CallLedger> ledger, IntSupplier sample) {
        this.delegate = delegate;
        this.ledger = ledger;
        this.sample = sample;
    }

    /** The capture a run runs in: it makes the ensemble keep each member's exchanges, and carries the sample header to them. */
    private HttpExchangeCapture capture() {
        return ForwardingRouter.captureForSample(sample.getAsInt());
    }

    /**
     * The ensemble this one records for.
     *
     * @return the wrapped ensemble
     */
    public Ensemble delegate() {
        return delegate;
    }

    @Override
    public EnsembleResult run(ChatRequest request) {
        CallLedger target = ledger.get();
        EnsembleResult result;
        try {
            // The active capture makes the ensemble keep each member's exchanges, so each member call finds its fixture.
            result = capture().run(() -> delegate.run(request));
        } catch (EnsembleException failure) {
            record(target, request, failure.members(), failure.auxiliaryCalls(), null, failure.getMessage().lines().findFirst().orElse(""));
            throw failure;
        } catch (LlmException failure) {
            record(target, request, List.of(), List.of(), null, failure.kind() + ": " + failure.getMessage());
            throw failure;
        }
        record(target, request, result.members(), result.auxiliaryCalls(), result, null);
        return result;
    }

    @Override
    public CompletableFuture<EnsembleResult> runAsync(ChatRequest request) {
        CallLedger target = ledger.get();
        CompletableFuture<EnsembleResult> running = capture().run(() -> delegate.runAsync(request));
        // Completed only after the run is recorded, so a test that joins it always sees the run in its ledger.
        CompletableFuture<EnsembleResult> recorded = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                running.cancel(mayInterruptIfRunning);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        running.whenComplete((result, failure) -> {
            try {
                if (result != null) {
                    record(target, request, result.members(), result.auxiliaryCalls(), result, null);
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof EnsembleException ensemble) {
                        record(target, request, ensemble.members(), ensemble.auxiliaryCalls(), null,
                                ensemble.getMessage().lines().findFirst().orElse(""));
                    } else if (cause instanceof LlmException llm) {
                        record(target, request, List.of(), List.of(), null, llm.kind() + ": " + llm.getMessage());
                    }
                }
            } finally {
                if (result != null) {
                    recorded.complete(result);
                } else {
                    recorded.completeExceptionally(failure);
                }
            }
        });
        return recorded;
    }

    private void record(CallLedger target, ChatRequest request, List<MemberResult> members, List<AuxiliaryCall> auxiliary,
            @Nullable EnsembleResult result, @Nullable String error) {
        String name = delegate.name();
        List<IntFunction<LlmCall>> calls = new ArrayList<>();
        List<Integer> callOfMember = new ArrayList<>();
        for (MemberResult member : members) {
            IntFunction<LlmCall> call = memberCall(name + "/" + member.id(), member);
            callOfMember.add(call == null ? -1 : calls.size());
            if (call != null) {
                calls.add(call);
            }
        }
        int firstAuxiliary = calls.size();
        for (AuxiliaryCall call : auxiliary) {
            ErrorKind kind = call.error() instanceof LlmException llm ? llm.kind() : call.error() == null ? null : ErrorKind.PROVIDER_UNAVAILABLE;
            calls.add(sequence -> CallFactory.build(sequence, name + "/" + call.role().replace(' ', '-'), call.request(), call.attempts(),
                    call.exchanges(), call.endNanos() - call.startNanos(), call.response(), providerOf(call.attempts(), call.response() != null),
                    kind));
        }
        target.addEnsemble(calls, (sequence, recorded) -> {
            List<EnsembleCall.Member> recordedMembers = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                MemberResult member = members.get(i);
                int index = callOfMember.get(i);
                recordedMembers.add(new EnsembleCall.Member(member.id(), member.member(), member.outcome(), member.weight(), member.key(),
                        member.reason(), CallFactory.shorten(member.text()), index < 0 ? null : recorded.get(index)));
            }
            return new EnsembleCall(sequence, name, result == null ? delegate.mergeStrategy().name() : result.strategy(),
                    result == null ? delegate.answerKey().name() : result.answerKey(), recordedMembers, result == null ? List.of() : result.clusters(),
                    recorded.subList(firstAuxiliary, recorded.size()), result == null ? null : result.chosenId(),
                    result == null ? null : result.confidence(), result == null ? null : result.rawConfidence(),
                    result != null && result.calibrated(), result == null ? 0 : result.agreement(),
                    result == null ? null : result.fallbackReason(), result == null ? List.of() : result.notes(),
                    result != null && result.stoppedEarly(), result != null && result.timedOut(), error,
                    CallFactory.shorten(CallFactory.prompt(request)), result == null ? "" : CallFactory.shorten(result.text()), result);
        });
    }

    /** The ledger call of one member sample, or {@code null} when it made no call the ledger keeps. */
    private static @Nullable IntFunction<LlmCall> memberCall(String source, MemberResult member) {
        long wall = member.endNanos() - member.startNanos();
        if (member.routed() != null) {
            return sequence -> CallFactory.build(sequence, source, member.request(), member.routed().attempts(), member.exchanges(), wall,
                    member.routed().chatResponse(), member.routed().provider(), null);
        }
        if (member.outcome() == MemberOutcome.FAILED) {
            ErrorKind kind = member.error() instanceof LlmException llm ? llm.kind() : ErrorKind.PROVIDER_UNAVAILABLE;
            return sequence -> CallFactory.build(sequence, source, member.request(), member.attempts(), member.exchanges(), wall, null, null,
                    kind);
        }
        if (member.outcome() == MemberOutcome.TIMED_OUT) {
            // The caller waited for it until the timeout, so its time counts; what it cost is not known.
            return sequence -> CallFactory.build(sequence, source, member.request(), List.of(), member.exchanges(), wall, null, null,
                    ErrorKind.TIMEOUT);
        }
        return null; // skipped by the budget or cancelled by early stop: nobody waited for it
    }

    private static @Nullable String providerOf(List<Attempt> attempts, boolean answered) {
        return answered && !attempts.isEmpty() ? attempts.get(attempts.size() - 1).provider() : null;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return run(request).chatResponse();
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
        return run(request).chatResponse();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return run(request).chatResponse();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<EnsembleMember> members() {
        return delegate.members();
    }

    @Override
    public Optional<ConfidenceCalibration> calibration() {
        return delegate.calibration();
    }

    @Override
    public MergeStrategy mergeStrategy() {
        return delegate.mergeStrategy();
    }

    @Override
    public AnswerKey answerKey() {
        return delegate.answerKey();
    }

    @Override
    public String toString() {
        return delegate + " (recorded by llmunit)";
    }
}
