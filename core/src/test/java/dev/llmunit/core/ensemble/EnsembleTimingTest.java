package dev.llmunit.core.ensemble;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static dev.llmunit.core.route.ScriptedChatModel.blockingUntilInterrupted;
import static dev.llmunit.core.route.ScriptedChatModel.failingWith;
import static dev.llmunit.core.route.ScriptedChatModel.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.route.ScriptedChatModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timeouts, minMembers, early stop and cancellation. Waits are bounded by latches, never by timing a test. */
class EnsembleTimingTest {

    private static final ChatRequest QUESTION = request("Which category is a double charge?");

    @Test
    void aTimeoutReturnsWhatArrivedOnceMinMembersAnsweredAndCancelsTheRest() throws InterruptedException {
        ScriptedChatModel slow = blockingUntilInterrupted();
        Ensemble ensemble = Ensemble.builder()
                .member("a", answering("BILLING"))
                .member("b", answering("BILLING"))
                .member("slow", slow)
                .timeout(Duration.ofMillis(300))
                .minMembers(2)
                .build();

        EnsembleResult result = ensemble.run(QUESTION);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.text()).isEqualTo("BILLING");
        MemberResult straggler = result.member("slow").orElseThrow();
        assertThat(straggler.outcome()).isEqualTo(MemberOutcome.TIMED_OUT);
        assertThat(straggler.reason()).isEqualTo("no answer within the ensemble's timeout of 300 ms");
        assertThat(result.agreement()).isEqualTo(2.0 / 3);
        if (slow.calls() > 0) { // cancelled before its task started, it never calls at all
            assertThat(slow.awaitInterrupted()).as("the straggler's HTTP call is interrupted").isTrue();
        }
    }

    @Test
    void aTimeoutWithFewerThanMinMembersAnswersFailsWithEveryMembersOutcome() {
        Ensemble ensemble = Ensemble.builder()
                .name("triage")
                .member("a", answering("BILLING"))
                .member("slow", blockingUntilInterrupted())
                .timeout(Duration.ofMillis(200))
                .minMembers(2)
                .build();

        EnsembleException.NotEnoughAnswers failure = catchThrowableOfType(EnsembleException.NotEnoughAnswers.class,
                () -> ensemble.run(QUESTION));

        assertThat(failure.minMembers()).isEqualTo(2);
        assertThat(failure.answered()).isEqualTo(1);
        assertThat(failure).hasMessage("ensemble 'triage' needed 2 answers but got 1 before its timeout:" + System.lineSeparator()
                + "  a: ANSWERED" + System.lineSeparator()
                + "  slow: TIMED_OUT (no answer within the ensemble's timeout of 200 ms)");
        assertThat(failure.members()).extracting(MemberResult::outcome).containsExactly(MemberOutcome.ANSWERED, MemberOutcome.TIMED_OUT);
    }

    @Test
    void failedMembersBelowMinMembersFailTheRunWithTheirErrors() {
        Ensemble ensemble = Ensemble.builder()
                .member("a", answering("BILLING"))
                .member("b", failingWith(ScriptedChatModel::unauthorized))
                .minMembers(2)
                .build();

        EnsembleException.NotEnoughAnswers failure = catchThrowableOfType(EnsembleException.NotEnoughAnswers.class,
                () -> ensemble.run(QUESTION));

        assertThat(failure).hasMessageStartingWith("ensemble 'ensemble' needed 2 answers but got 1:")
                .hasMessageContaining("b: FAILED (AUTHENTICATION: ");
    }

    @Test
    void earlyStopCancelsTheStragglerOnceTheWinnerCannotChange() throws InterruptedException {
        ScriptedChatModel straggler = blockingUntilInterrupted();
        Ensemble ensemble = Ensemble.builder()
                .member("a", answering("BILLING"))
                .member("b", answering("BILLING"))
                .member("straggler", straggler)
                .earlyStop()
                .build();

        EnsembleResult result = ensemble.run(QUESTION);

        assertStoppedEarlyForBillingWithTheStragglerCancelled(result);
        if (straggler.calls() > 0) { // cancelled before its task started, it never calls at all
            assertThat(straggler.awaitInterrupted()).as("the straggler's call is interrupted").isTrue();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a run that took the straggler back would wait forever
    void earlyStopCutsAStragglerNoExecutorThreadHadStartedWhenTheRunWaited() throws InterruptedException {
        // A loaded machine starts executor threads late: the straggler is still unstarted when the run's thread would
        // wait. The run must not take it back and run it itself, since nothing could then cut it (a CI run hung here).
        List<Runnable> held = new CopyOnWriteArrayList<>();
        ScriptedChatModel straggler = blockingUntilInterrupted();
        Router unstarted = Router.builder().provider("straggler", straggler).executor(held::add).build();
        CountDownLatch release = new CountDownLatch(1);
        Thread run = Thread.currentThread();
        Thread releaser = new Thread(() -> { // b answers only once the run's thread waits (parked, or stuck in the straggler)
            while (run.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            release.countDown();
        });
        releaser.setDaemon(true);
        releaser.start();
        Ensemble ensemble = Ensemble.builder()
                .member("a", answering("BILLING"))
                .member("b", ScriptedChatModel.blockingUntil(release, "BILLING"))
                .member("straggler", unstarted)
                .earlyStop()
                .build();

        EnsembleResult result = ensemble.run(QUESTION);

        assertStoppedEarlyForBillingWithTheStragglerCancelled(result);
        held.forEach(Runnable::run); // the executor gets to it late: it was cancelled, so it never calls
        assertThat(straggler.calls()).isZero();
    }

    private static void assertStoppedEarlyForBillingWithTheStragglerCancelled(EnsembleResult result) {
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.text()).isEqualTo("BILLING");
        assertThat(result.member("straggler").orElseThrow().outcome()).isEqualTo(MemberOutcome.CANCELLED);
    }

    @Test
    void earlyStopWaitsWhileTheOutstandingVotesCouldStillTurnTheResult() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedChatModel late = ScriptedChatModel.blockingUntil(release, "BUG");
        Ensemble ensemble = Ensemble.builder()
                .member("a", answering("BILLING"))
                .member("b", answering("BUG"))
                .member("late", late)
                .earlyStop()
                .build();

        CompletableFuture<EnsembleResult> running = ensemble.runAsync(QUESTION);
        assertThat(late.awaitStarted()).isTrue();
        // 1 : 1 with one vote outstanding: nothing is decided while it is out, so the run must still be waiting.
        assertThatThrownBy(() -> running.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(java.util.concurrent.TimeoutException.class);
        release.countDown();

        EnsembleResult result = running.join();
        assertThat(result.stoppedEarly()).isFalse();
        assertThat(result.text()).isEqualTo("BUG");
        assertThat(result.agreement()).isEqualTo(2.0 / 3);
    }

    @Test
    void cancellingRunAsyncCancelsEveryMemberCall() throws InterruptedException {
        ScriptedChatModel first = blockingUntilInterrupted();
        ScriptedChatModel second = blockingUntilInterrupted();
        Ensemble ensemble = Ensemble.builder().member("first", first).member("second", second).build();

        CompletableFuture<EnsembleResult> running = ensemble.runAsync(QUESTION);
        assertThat(first.awaitStarted()).isTrue();
        assertThat(second.awaitStarted()).isTrue();
        running.cancel(true);

        assertThat(running).isCancelled();
        assertThat(first.awaitInterrupted()).isTrue();
        assertThat(second.awaitInterrupted()).isTrue();
    }

    @Test
    void anInterruptedCallerGetsACancellationAndTheMembersAreCancelled() throws Exception {
        ScriptedChatModel member = blockingUntilInterrupted();
        Ensemble ensemble = Ensemble.builder().member("only", member).build();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                ensemble.run(QUESTION);
                outcome.complete(null);
            } catch (Throwable failure) {
                outcome.complete(failure);
            }
        });
        caller.start();
        assertThat(member.awaitStarted()).isTrue();

        caller.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
                .hasMessage("ensemble 'ensemble' was interrupted while waiting for its members");
        assertThat(member.awaitInterrupted()).isTrue();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the run would wait forever for the executor otherwise
    void membersNoExecutorThreadHasStartedAreRunByTheWaitingCallerAndOnlyOnce() {
        List<Runnable> held = new CopyOnWriteArrayList<>(); // an executor whose threads are all busy: it never starts a task
        ScriptedChatModel first = answering("billing");
        ScriptedChatModel second = answering("Billing.");
        ScriptedChatModel third = answering("bug");
        Ensemble ensemble = Ensemble.builder().member("first", first).member("second", second).member("third", third)
                .routerDefaults(router -> router.executor(held::add)).build();
        String caller = Thread.currentThread().getName();

        EnsembleResult result = ensemble.run(QUESTION);

        assertThat(result.text()).isEqualTo("billing");
        assertThat(result.answered()).hasSize(3);
        assertThat(List.of(first.lastThreadName(), second.lastThreadName(), third.lastThreadName())).containsOnly(caller);
        assertThat(held).hasSize(2);
        held.forEach(Runnable::run); // the executor gets to them late: they were taken, so nothing is called twice
        assertThat(List.of(first.calls(), second.calls(), third.calls())).containsOnly(1);
    }

    @Test
    void aCallerInterruptedWhileRunningAMemberNoThreadStartedGetsACancellation() throws Exception {
        List<Runnable> held = new CopyOnWriteArrayList<>();
        ScriptedChatModel blocking = blockingUntilInterrupted();
        Ensemble ensemble = Ensemble.builder().member("fast", answering("billing")).member("blocking", blocking)
                .routerDefaults(router -> router.executor(held::add)).build();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                ensemble.run(QUESTION);
                outcome.complete(null);
            } catch (Throwable failure) {
                outcome.complete(failure);
            }
        });
        caller.start();
        assertThat(blocking.awaitStarted()).isTrue();

        caller.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
                .hasMessage("ensemble 'ensemble' was interrupted while waiting for its members");
        assertThat(blocking.awaitInterrupted()).isTrue();
        assertThat(blocking.lastThreadName()).isEqualTo(caller.getName());
    }
}
