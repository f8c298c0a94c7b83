package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Reservation;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.ensemble.AnswerCluster;
import dev.llmunit.core.ensemble.AnswerFilter;
import dev.llmunit.core.ensemble.AnswerKey;
import dev.llmunit.core.ensemble.AuxiliaryCall;
import dev.llmunit.core.ensemble.ConfidenceCalibration;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleException;
import dev.llmunit.core.ensemble.EnsembleMember;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.ensemble.MemberOutcome;
import dev.llmunit.core.ensemble.MemberResult;
import dev.llmunit.core.ensemble.MergeContext;
import dev.llmunit.core.ensemble.MergeDecision;
import dev.llmunit.core.ensemble.MergeStrategy;
import dev.llmunit.core.ensemble.SampleVariation;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.http.HttpExchange;
import dev.llmunit.core.http.HttpExchangeCapture;
import dev.llmunit.core.optimize.OptimizedRequest;
import dev.llmunit.core.optimize.QueryOptimizer;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.RouterBuilder;
import dev.llmunit.core.trace.Attempt;
import dev.llmunit.core.trace.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Ensemble} implementation. A run plans its member samples (one distinct request each),
 * reserves their estimate when it has a budget, sends every sample with its router's
 * {@code routeAsync} (so each call is the router's provider pipeline, on the router's executor;
 * without a timeout or early stop the first sample runs on the calling thread instead, which would only wait, and
 * so does any sample no executor thread has started by the time the calling thread would wait for it),
 * collects the answers until all are in, the timeout passes or the winner is certain, filters and
 * keys them, merges, and computes the confidence.
 */
public final class DefaultEnsemble implements Ensemble {

    private final String name;
    private final List<EnsembleMember> members;
    private final List<Sample> samples;
    private final List<Consumer<RouterBuilder>> routerDefaults;
    private final AnswerKey answerKey;
    private final MergeStrategy merge;
    private final boolean majority;
    private final List<AnswerFilter> filters;
    private final List<JudgeScoreFilter> judgeFilters;
    private final long timeoutNanos;
    private final int minMembers;
    private final boolean earlyStop;
    private final SampleVariation variation;
    private final @Nullable ConfidenceCalibration calibration;
    private final Executor executor;
    private final io.micrometer.core.instrument.@Nullable MeterRegistry meterRegistry;
    private final @Nullable EnsembleMetrics metrics;
    private final @Nullable EnsembleBudget budget;
    private final Map<ChatModel, Router> auxiliaryRouters = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Set<Capability> capabilities;
    private final @Nullable QueryOptimizer optimizer;

    /** One member sample as planned at build time. */
    private record Sample(int index, int member, int sample, String id, String memberName, double weight, int samples, Router router) {}

    /**
     * Builds the ensemble from a validated configuration.
     *
     * @param config the configuration, with at least one member
     */
    public DefaultEnsemble(EnsembleConfig config) {
        this.name = config.name();
        this.routerDefaults = config.routerDefaults();
        this.meterRegistry = config.meterRegistry();
        List<EnsembleMember> built = new ArrayList<>();
        List<Sample> planned = new ArrayList<>();
        for (EnsembleConfig.Member member : config.members()) {
            Router router = member.model() instanceof Router given ? given : wrap(member.name(), member.model(), member.modelName());
            EnsembleMember ensembleMember = new EnsembleMember(member.name(), member.weight(), member.samples(), router);
            for (int sample = 1; sample <= member.samples(); sample++) {
                planned.add(new Sample(planned.size(), built.size(), sample, ensembleMember.sampleId(sample), member.name(), member.weight(),
                        member.samples(), router));
            }
            built.add(ensembleMember);
        }
        this.members = List.copyOf(built);
        this.samples = List.copyOf(planned);
        this.answerKey = config.answerKey();
        this.merge = config.merge();
        this.majority = merge instanceof VoteMerge vote && vote.majority();
        List<AnswerFilter> cheap = new ArrayList<>();
        List<JudgeScoreFilter> judged = new ArrayList<>();
        for (AnswerFilter filter : config.filters()) {
            if (filter instanceof JudgeScoreFilter judge) {
                judged.add(judge);
            } else {
                cheap.add(filter);
            }
        }
        this.filters = List.copyOf(cheap);
        this.judgeFilters = List.copyOf(judged);
        this.timeoutNanos = config.timeout() == null ? -1 : config.timeout().toNanos();
        this.minMembers = config.minMembers();
        this.earlyStop = config.earlyStop();
        this.variation = config.sampleVariation();
        this.calibration = config.calibration();
        this.executor = config.executor() == null ? DefaultRouter.sharedExecutor() : config.executor();
        this.metrics = config.meterRegistry() == null ? null : new EnsembleMetrics(config.meterRegistry(), name, merge.name(),
                built.stream().map(EnsembleMember::name).toList());
        this.budget = config.budgetScopes().isEmpty() && config.maxCostPerRun() == null ? null
                : new EnsembleBudget(name, config.budgetLedger(), config.budgetScopes(), config.maxCostPerRun(), config.budgetPolicy());
        this.capabilities = commonCapabilities(members);
        this.optimizer = config.optimizer();
    }

    private Router wrap(String providerName, ChatModel model, @Nullable String modelName) {
        RouterBuilder builder = Router.builder().name(name + "-" + providerName)
                .provider(providerName, model, provider -> {
                    if (modelName != null) {
                        provider.modelName(modelName);
                    }
                });
        if (meterRegistry != null) {
            builder.meterRegistry(meterRegistry);
        }
        for (Consumer<RouterBuilder> defaults : routerDefaults) {
            defaults.accept(builder);
        }
        return builder.build();
    }

    // ---- a run ------------------------------------------------------------------------------------

    @Override
    public EnsembleResult run(ChatRequest request) {
        CallArguments.request(request, "Ensemble.run");
        long start = System.nanoTime();
        try {
            OptimizedRequest optimized = optimizer == null ? null : optimizer.optimize(request);
            EnsembleResult result = new Run(optimized == null ? request : optimized.request(), start, optimized).execute();
            if (optimized != null) {
                optimizer.learn(optimized, result.chatResponse(), result.totalCost());
            }
            if (metrics != null) {
                metrics.run(EnsembleMetrics.RunOutcome.SUCCEEDED, System.nanoTime() - start);
                metrics.agreement(result.agreement());
                if (result.fallbackReason() != null) {
                    metrics.fellBack();
                }
            }
            return result;
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.run(e instanceof EnsembleException.AllFiltered ? EnsembleMetrics.RunOutcome.ALL_FILTERED
                        : e instanceof EnsembleException.NotEnoughAnswers ? EnsembleMetrics.RunOutcome.NOT_ENOUGH_ANSWERS
                        : e instanceof LlmException.BudgetExceeded ? EnsembleMetrics.RunOutcome.REFUSED
                        : EnsembleMetrics.RunOutcome.CANCELLED, System.nanoTime() - start);
            }
            throw e;
        }
    }

    /** The state of one run: each sample's progress, then the merge. */
    private final class Run implements MergeContext {
        private final ChatRequest request;
        private final long startNanos;
        private final long sequence = Trace.nextSequence();
        /** The caller's capture (a test harness): each member then gets its own, with the same request headers. */
        private final @Nullable HttpExchangeCapture outer = HttpExchangeCapture.current();
        private final boolean capturing = outer != null;
        private final Progress[] progress = new Progress[samples.size()];
        /** Samples that ended, in the order they did; the run's thread parks until one arrives. */
        private final ConcurrentLinkedQueue<Integer> finished = new ConcurrentLinkedQueue<>();
        private final Thread waiter = Thread.currentThread();
        private final List<AuxiliaryCall> auxiliary = Collections.synchronizedList(new ArrayList<>());
        private final List<String> notes = new ArrayList<>();
        private List<MemberResult> candidates = List.of();
        private List<AnswerCluster> clusters = List.of();
        private @Nullable MemberResult consensus;

        private final @Nullable OptimizedRequest optimization;

        Run(ChatRequest request, long startNanos, @Nullable OptimizedRequest optimization) {
            this.request = request;
            this.startNanos = startNanos;
            this.optimization = optimization;
        }

        EnsembleResult execute() {
            for (Sample sample : samples) {
                progress[sample.index()] = new Progress(sample, sample.samples() == 1 ? request
                        : java.util.Objects.requireNonNull(variation.vary(request, sample.sample(), sample.samples()),
                                () -> "sample variation " + variation + " returned null for sample " + sample.id()));
            }
            requireDistinctSamples();
            List<Reservation> reservations = List.of();
            if (budget != null) {
                List<EnsembleBudget.Planned> planned = new ArrayList<>();
                for (Progress sample : progress) {
                    planned.add(new EnsembleBudget.Planned(sample.sample.index(), sample.sample.id(), sample.sample.member(),
                            sample.sample.sample(), sample.sample.weight(), sample.sample.router(), sample.request));
                }
                EnsembleBudget.Plan plan = budget.reserveMembers(planned, minMembers);
                reservations = plan.reservations();
                plan.skipped().forEach((index, reason) -> progress[index].finish(MemberOutcome.SKIPPED, reason, startNanos));
            }
            boolean timedOut;
            boolean stoppedEarly;
            try {
                send();
                Collected collected = collect();
                timedOut = collected.timedOut;
                stoppedEarly = collected.stoppedEarly;
            } finally {
                if (budget != null) {
                    Usd spent = Usd.ZERO;
                    for (Progress sample : progress) {
                        spent = sample.routed == null ? spent : spent.plus(sample.routed.cost());
                    }
                    budget.settle(reservations, spent);
                }
            }
            keyAndJudge();
            List<MemberResult> results = results();
            if (metrics != null) {
                for (MemberResult member : results) {
                    metrics.member(member.member(), member.outcome());
                }
            }
            candidates = results.stream().filter(MemberResult::answered).toList();
            if (candidates.isEmpty() && results.stream().anyMatch(member -> member.outcome() == MemberOutcome.FILTERED)
                    && results.stream().noneMatch(member -> member.outcome() == MemberOutcome.FAILED
                            || member.outcome() == MemberOutcome.TIMED_OUT)) {
                throw new EnsembleException.AllFiltered(name, results, List.copyOf(auxiliary));
            }
            if (candidates.size() < minMembers) {
                throw new EnsembleException.NotEnoughAnswers(name, minMembers, candidates.size(), timedOut, results, List.copyOf(auxiliary));
            }
            int askedSamples = 0;
            double askedWeight = 0;
            for (MemberResult member : results) {
                if (member.outcome() != MemberOutcome.SKIPPED) {
                    askedSamples++;
                    askedWeight += member.weight();
                }
            }
            List<AnswerCluster> appearing = Votes.clusters(candidates, askedSamples, askedWeight);
            clusters = Votes.ordered(appearing, false);
            consensus = Votes.speaker(clusters.get(0), candidates);
            MergeDecision decision = java.util.Objects.requireNonNull(merge.merge(this),
                    () -> "merge strategy " + merge + " returned null; return a MergeDecision");
            MemberResult chosen = decision.chosen();
            String chosenKey;
            if (chosen != null) {
                if (!candidates.contains(chosen)) {
                    throw new IllegalStateException("merge strategy " + merge + " chose " + chosen.id() + ", which is not one of the"
                            + " candidates; choose one of context.candidates()");
                }
                chosenKey = chosen.key();
            } else {
                chosenKey = keyOfWritten(decision.response());
            }
            List<AnswerCluster> shown = new ArrayList<>(Votes.ordered(appearing, majority));
            for (int i = 0; i < shown.size(); i++) {
                if (shown.get(i).key().equals(chosenKey)) {
                    shown.add(0, shown.remove(i)); // the winner first, whatever the strategy chose
                    break;
                }
            }
            double agreement = 0;
            double logProbSum = 0;
            double logProbWeight = 0;
            for (AnswerCluster cluster : shown) {
                if (cluster.key().equals(chosenKey)) {
                    agreement = majority ? cluster.voteShare() : cluster.weightShare();
                }
            }
            for (MemberResult candidate : candidates) {
                if (candidate.key().equals(chosenKey) && candidate.logProbConfidence() != null) {
                    double weight = majority ? 1 : candidate.weight();
                    logProbSum += weight * candidate.logProbConfidence();
                    logProbWeight += weight;
                }
            }
            double raw = logProbWeight > 0 ? agreement * (logProbSum / logProbWeight) : agreement;
            raw = Math.max(0, Math.min(1, raw));
            Double calibrated = calibration == null ? null : calibration.calibrate(raw);
            List<Attempt> attempts = new ArrayList<>();
            for (MemberResult member : results) {
                attempts.addAll(member.attempts());
            }
            List<AuxiliaryCall> calls = List.copyOf(auxiliary);
            for (AuxiliaryCall call : calls) {
                attempts.addAll(call.attempts());
            }
            Trace trace = new Trace(sequence, attempts, startNanos, System.nanoTime(), optimization);
            return new EnsembleResult(name, merge.name(), answerKey.name(), decision.response(), chosen, chosenKey, agreement, raw,
                    calibrated, shown, results, calls, decision.fallbackReason(), notes, stoppedEarly, timedOut, trace);
        }

        private void requireDistinctSamples() {
            for (int i = 0; i < progress.length; i++) {
                for (int j = i + 1; j < progress.length && progress[j].sample.member() == progress[i].sample.member(); j++) {
                    if (progress[i].request.equals(progress[j].request)) {
                        throw new IllegalStateException("sample variation " + variation + " gave samples " + progress[i].sample.id()
                                + " and " + progress[j].sample.id() + " the same request; samples must be distinct requests so each has"
                                + " its own answer and fixture");
                    }
                }
            }
        }

        private void send() {
            // Without a timeout or early stop the first sample runs on the calling thread, which would only wait
            // otherwise: one executor hand-off fewer per run; then the thread takes back any sample no executor thread
            // has started (runUnstartedHere). With a timeout or early stop every sample runs on an executor, so the
            // run's thread stays free to cut any: a straggler it ran itself could not be cut.
            Progress inline = null;
            for (Progress sample : progress) {
                if (sample.outcome != null) {
                    continue; // skipped by the budget policy
                }
                if (inline == null && runsMembersHere()) {
                    inline = sample;
                    continue;
                }
                HttpExchangeCapture own = outer != null ? new HttpExchangeCapture(outer.requestHeaders()) : null;
                sample.capture = own;
                sample.startNanos = System.nanoTime();
                CompletableFuture<RoutedResponse> future;
                try {
                    future = own == null ? sample.sample.router().routeAsync(sample.request)
                            : own.run(() -> sample.sample.router().routeAsync(sample.request));
                } catch (RuntimeException rejected) {
                    future = CompletableFuture.failedFuture(rejected);
                }
                sample.future = future;
                int index = sample.sample.index();
                future.whenComplete((routed, failure) -> {
                    sample.arrived(routed, failure);
                    finished.add(index);
                    LockSupport.unpark(waiter);
                });
            }
            if (inline != null) {
                runInline(inline);
            }
        }

        private void runInline(Progress sample) {
            HttpExchangeCapture own = outer != null ? new HttpExchangeCapture(outer.requestHeaders()) : null;
            sample.capture = own;
            sample.startNanos = System.nanoTime();
            Router router = sample.sample.router();
            try {
                sample.arrived(own == null ? router.route(sample.request) : own.run(() -> router.route(sample.request)), null);
            } catch (CancellationException cancelled) {
                sample.arrived(null, cancelled);
                if (Thread.currentThread().isInterrupted()) {
                    sample.finish(MemberOutcome.CANCELLED, "the ensemble run was cancelled", System.nanoTime());
                    stopPending(MemberOutcome.CANCELLED, "the ensemble run was cancelled");
                    throw new CancellationException("ensemble '" + name + "' was interrupted while waiting for its members");
                }
            } catch (RuntimeException failure) {
                sample.arrived(null, failure);
            }
            finished.add(sample.sample.index());
        }

        private record Collected(boolean timedOut, boolean stoppedEarly) {}

        private Collected collect() {
            int pending = 0;
            for (Progress sample : progress) {
                pending += sample.outcome == null ? 1 : 0;
            }
            long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : startNanos + timeoutNanos;
            try {
                while (pending > 0) {
                    Integer index = next(deadline);
                    if (index == null) {
                        stopPending(MemberOutcome.TIMED_OUT, "no answer within the ensemble's timeout of "
                                + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
                        return new Collected(true, false);
                    }
                    Progress sample = progress[index];
                    if (sample.outcome != null) {
                        continue;
                    }
                    pending--;
                    sample.settle(filters);
                    if (earlyStop && pending > 0 && decided()) {
                        stopPending(MemberOutcome.CANCELLED, "cancelled by earlyStop(): the winning answer could no longer change");
                        return new Collected(false, true);
                    }
                }
                return new Collected(false, false);
            } catch (InterruptedException interrupted) {
                stopPending(MemberOutcome.CANCELLED, "the ensemble run was cancelled");
                Thread.currentThread().interrupt();
                throw new CancellationException("ensemble '" + name + "' was interrupted while waiting for its members");
            }
        }

        private void stopPending(MemberOutcome outcome, String reason) {
            long now = System.nanoTime();
            for (Progress sample : progress) {
                if (sample.outcome == null) {
                    sample.finish(outcome, reason, now);
                    if (sample.future != null) {
                        sample.future.cancel(true);
                    }
                }
            }
        }

        /**
         * The next sample that ended, parking until one does: a lock-free queue and a park, cheaper per run
         * than a blocking queue's locks and conditions.
         *
         * @return its index, or {@code null} when the deadline passed first
         * @throws InterruptedException when the run's thread is interrupted
         */
        private @Nullable Integer next(long deadline) throws InterruptedException {
            while (true) {
                Integer index = finished.poll();
                if (index != null) {
                    return index;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (deadline == Long.MAX_VALUE) {
                    if (runsMembersHere() && runUnstartedHere()) {
                        if (Thread.interrupted()) {
                            throw new InterruptedException(); // cancelled while it ran a member: as if it had waited
                        }
                        continue;
                    }
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return finished.poll();
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
        }

        /**
         * Without a timeout or early stop: runs, on the run's thread, a sample whose call no executor thread has
         * started yet, instead of parking until one does (waking an executor thread costs more than a fast member's
         * whole call). With either the run's thread must stay free to cut any sample, so it only waits.
         *
         * @return whether a sample ran here (it is then in {@link #finished})
         */
        private boolean runUnstartedHere() {
            for (Progress sample : progress) {
                if (sample.outcome == null && sample.future instanceof InterruptibleTask<?> task && task.runHereIfUnstarted()) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether the run's own thread may run member calls: only when it has nothing else to do until every
         * member is in, so neither a timeout nor early stop has to cut a call it is running.
         */
        private boolean runsMembersHere() {
            return timeoutNanos < 0 && !earlyStop;
        }

        /** Early stop: whether the leader among the answers so far is out of reach. */
        private boolean decided() {
            List<Progress> answered = new ArrayList<>();
            int outstandingVotes = 0;
            double outstandingWeight = 0;
            for (Progress sample : progress) {
                if (sample.outcome == MemberOutcome.ANSWERED) {
                    answered.add(sample);
                } else if (sample.outcome == null) {
                    outstandingVotes++;
                    outstandingWeight += sample.sample.weight();
                }
            }
            List<String> texts = new ArrayList<>(answered.size());
            for (Progress sample : answered) {
                texts.add(sample.text());
            }
            List<AnswerKey.Key> keys = answerKey.keys(texts);
            List<MemberResult> keyed = new ArrayList<>();
            for (int i = 0; i < answered.size(); i++) {
                if (keys.get(i).value() != null) {
                    keyed.add(answered.get(i).result(keys.get(i).value()));
                }
            }
            return Votes.decided(Votes.clusters(keyed, samples.size(), 1.0), majority, outstandingVotes, outstandingWeight);
        }

        /** Keys every answer that passed the cheap filters (in member order), then runs the judge filters over them. */
        private void keyAndJudge() {
            List<Progress> answered = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (Progress sample : progress) {
                if (sample.outcome == MemberOutcome.ANSWERED) {
                    answered.add(sample);
                    texts.add(sample.text());
                }
            }
            if (answered.isEmpty()) {
                return;
            }
            List<AnswerKey.Key> keys = answerKey.keys(texts);
            if (keys.size() != answered.size()) {
                throw new IllegalStateException("answer key " + answerKey.name() + " returned " + keys.size() + " keys for "
                        + answered.size() + " answers; return one key per answer");
            }
            for (int i = 0; i < answered.size(); i++) {
                AnswerKey.Key key = keys.get(i);
                if (key.value() == null) {
                    answered.get(i).outcome = MemberOutcome.FILTERED;
                    answered.get(i).reason = "answer key " + answerKey.name() + ": " + key.missing();
                } else {
                    answered.get(i).key = key.value();
                }
            }
            for (JudgeScoreFilter filter : judgeFilters) {
                List<Progress> kept = new ArrayList<>();
                List<String> keptTexts = new ArrayList<>();
                for (Progress sample : progress) {
                    if (sample.outcome == MemberOutcome.ANSWERED) {
                        kept.add(sample);
                        keptTexts.add(sample.text());
                    }
                }
                if (kept.isEmpty()) {
                    return;
                }
                List<Double> scores;
                try {
                    scores = JudgeScoring.scores(filter.judge(), "filter judge", request, keptTexts, this::call);
                } catch (JudgeScoring.Failure failure) {
                    notes.add("judge filter dropped nothing: " + failure.getMessage());
                    continue;
                }
                for (int i = 0; i < kept.size(); i++) {
                    if (scores.get(i) < filter.minScore()) {
                        kept.get(i).outcome = MemberOutcome.FILTERED;
                        kept.get(i).reason = "judge score " + JudgeScoring.percent(scores.get(i)) + " is below "
                                + JudgeScoring.percent(filter.minScore());
                    }
                }
            }
        }

        private @Nullable String keyOfWritten(ChatResponse response) {
            String text = response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
            List<String> texts = new ArrayList<>();
            for (MemberResult candidate : candidates) {
                texts.add(candidate.text());
            }
            texts.add(text); // with the candidates, so semantic keys cluster it among them
            List<AnswerKey.Key> keys = answerKey.keys(texts);
            return keys.get(keys.size() - 1).value();
        }

        private List<MemberResult> results() {
            List<MemberResult> results = new ArrayList<>(progress.length);
            for (Progress sample : progress) {
                results.add(sample.result(sample.key));
            }
            return results;
        }

        // ---- MergeContext ----------------------------------------------------------------------

        @Override
        public ChatRequest request() {
            return request;
        }

        @Override
        public List<MemberResult> candidates() {
            return candidates;
        }

        @Override
        public List<AnswerCluster> clusters() {
            return clusters;
        }

        @Override
        public MemberResult consensus() {
            return java.util.Objects.requireNonNull(consensus, "the consensus exists once candidates do");
        }

        @Override
        public AnswerKey answerKey() {
            return answerKey;
        }

        @Override
        public RoutedResponse call(String role, ChatModel model, ChatRequest call) {
            java.util.Objects.requireNonNull(role, "role must not be null");
            Router router = model instanceof Router given ? given : auxiliaryRouters.computeIfAbsent(model, m -> wrap(role.replace(' ', '-'), m, null));
            List<Reservation> reservations = List.of();
            long start = System.nanoTime();
            HttpExchangeCapture own = outer != null ? new HttpExchangeCapture(outer.requestHeaders()) : null;
            try {
                if (budget != null) {
                    reservations = budget.reserveAuxiliary(role, router, call);
                }
                RoutedResponse routed = own == null ? router.route(call) : own.run(() -> router.route(call));
                if (budget != null) {
                    budget.settle(reservations, routed.cost());
                }
                auxiliary.add(new AuxiliaryCall(role, call, routed, null, own == null ? List.of() : own.exchanges(), start, System.nanoTime()));
                return routed;
            } catch (RuntimeException failure) {
                if (budget != null) {
                    budget.settle(reservations, Usd.ZERO);
                }
                auxiliary.add(new AuxiliaryCall(role, call, null, failure, own == null ? List.of() : own.exchanges(), start, System.nanoTime()));
                throw failure;
            }
        }
    }

    /** One member sample's progress through a run; written by the run's thread, and once by the router's. */
    private static final class Progress {
        final Sample sample;
        final ChatRequest request;
        volatile @Nullable RoutedResponse routed;
        volatile @Nullable Throwable error;
        volatile long endNanos;
        long startNanos;
        @Nullable HttpExchangeCapture capture;
        @Nullable CompletableFuture<RoutedResponse> future;
        @Nullable MemberOutcome outcome;
        @Nullable String reason;
        @Nullable String key;
        @Nullable Double logProb;

        Progress(Sample sample, ChatRequest request) {
            this.sample = sample;
            this.request = request;
        }

        /** On the router's thread, before the run is told: the queue hands these writes over. */
        void arrived(@Nullable RoutedResponse response, @Nullable Throwable failure) {
            endNanos = System.nanoTime();
            routed = response;
            error = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        }

        /** On the run's thread: the outcome of an arrived sample, after the cheap filters. */
        void settle(List<AnswerFilter> filters) {
            RoutedResponse response = routed;
            if (response == null) {
                outcome = MemberOutcome.FAILED;
                Throwable failure = error;
                reason = failure instanceof LlmException llm ? llm.kind() + ": " + llm.getMessage()
                        : failure == null ? "no response" : failure.toString();
                return;
            }
            OptionalDouble confidence = ProviderConfidence.of(response.chatResponse());
            logProb = confidence.isPresent() ? confidence.getAsDouble() : null;
            for (AnswerFilter filter : filters) {
                String rejection = filter.rejectionReason(response.chatResponse());
                if (rejection != null) {
                    outcome = MemberOutcome.FILTERED;
                    reason = rejection;
                    return;
                }
            }
            outcome = MemberOutcome.ANSWERED;
        }

        void finish(MemberOutcome finished, String why, long at) {
            outcome = finished;
            reason = why;
            if (endNanos == 0) {
                endNanos = at;
            }
            if (startNanos == 0) {
                startNanos = at;
            }
        }

        String text() {
            RoutedResponse response = routed;
            if (response == null || response.chatResponse().aiMessage() == null) {
                return "";
            }
            String text = response.chatResponse().aiMessage().text();
            return text == null ? "" : text;
        }

        MemberResult result(@Nullable String keyValue) {
            MemberOutcome finalOutcome = java.util.Objects.requireNonNull(outcome, "every sample has ended");
            List<HttpExchange> exchanges = capture == null ? List.of() : capture.exchanges();
            long end = Math.max(startNanos, endNanos);
            boolean stopped = finalOutcome == MemberOutcome.TIMED_OUT || finalOutcome == MemberOutcome.CANCELLED
                    || finalOutcome == MemberOutcome.SKIPPED;
            return new MemberResult(sample.id(), sample.memberName(), sample.sample(), sample.weight(), finalOutcome, request,
                    stopped ? null : routed, stopped ? null : error, reason, finalOutcome == MemberOutcome.ANSWERED ? keyValue : key,
                    logProb, exchanges, startNanos, end);
        }
    }

    // ---- the rest of ChatModel and Ensemble -------------------------------------------------------

    @Override
    public CompletableFuture<EnsembleResult> runAsync(ChatRequest request) {
        AsyncRun task = new AsyncRun(this, CallArguments.request(request, "Ensemble.runAsync"));
        try {
            executor.execute(task);
        } catch (RejectedExecutionException rejected) {
            task.completeExceptionally(rejected);
        }
        return task;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return run(CallArguments.request(request, "Ensemble.chat")).chatResponse();
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
        return run(CallArguments.request(request, "Ensemble.chat")).chatResponse();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return run(CallArguments.request(request, "Ensemble.doChat")).chatResponse();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return capabilities;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<EnsembleMember> members() {
        return members;
    }

    @Override
    public Optional<ConfidenceCalibration> calibration() {
        return Optional.ofNullable(calibration);
    }

    @Override
    public MergeStrategy mergeStrategy() {
        return merge;
    }

    @Override
    public AnswerKey answerKey() {
        return answerKey;
    }

    @Override
    public String toString() {
        return "Ensemble '" + name + "' " + members.stream().map(member -> member.name()
                + (member.samples() > 1 ? " x" + member.samples() : "")).toList() + ", " + merge.name() + " over " + answerKey.name();
    }

    private static Set<Capability> commonCapabilities(List<EnsembleMember> members) {
        EnumSet<Capability> common = null;
        for (EnsembleMember member : members) {
            Set<Capability> own = member.router().supportedCapabilities();
            EnumSet<Capability> these = own == null || own.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(own);
            if (common == null) {
                common = these;
            } else {
                common.retainAll(these);
            }
        }
        return common == null ? Set.of() : Collections.unmodifiableSet(common);
    }

    /** A run on the executor whose cancellation interrupts it, and so cancels its members. */
    private static final class AsyncRun extends InterruptibleTask<EnsembleResult> {
        private final DefaultEnsemble ensemble;
        private final ChatRequest request;

        AsyncRun(DefaultEnsemble ensemble, ChatRequest request) {
            this.ensemble = ensemble;
            this.request = request;
        }

        @Override
        protected EnsembleResult compute() {
            return ensemble.run(request);
        }
    }
}
