package dev.llmunit.core.internal;

import dev.llmunit.core.http.HttpExchangeCapture;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Work handed to an executor as its own future, whose cancellation interrupts the thread running
 * it: a routed call, an ensemble run and a streamed call block on I/O and backoff, and only an
 * interrupt stops them. The caller's {@link HttpExchangeCapture} (a test harness's) is carried to
 * the running thread, so the exchanges made there are still seen.
 *
 * @param <T> what the work returns
 */
abstract class InterruptibleTask<T> extends CompletableFuture<T> implements Runnable {

    /** The caller's capture, taken when the task is made on the calling thread. */
    private final @Nullable HttpExchangeCapture capture = HttpExchangeCapture.current();
    private @Nullable Thread runner;
    /** Whether a thread has taken the work: an executor's in {@link #run()}, or the waiting caller's in {@link #runHereIfUnstarted()}. */
    private boolean claimed;

    /**
     * The work, on the executor's thread inside the caller's capture.
     *
     * @return the result the future completes with
     */
    protected abstract T compute();

    /**
     * How a failure of {@link #compute()} completes the future; by default exceptionally with it.
     *
     * @param failure what {@code compute} threw
     */
    protected void failed(Throwable failure) {
        completeExceptionally(failure);
    }

    @Override
    public final void run() {
        synchronized (this) {
            if (claimed || isDone()) {
                return;
            }
            claimed = true;
            runner = Thread.currentThread();
        }
        try {
            complete(capture == null ? compute() : capture.run(this::compute));
        } catch (Throwable failure) {
            failed(failure);
        } finally {
            synchronized (this) {
                runner = null;
                Thread.interrupted(); // a cancel's interrupt must not leak into the pool's next task
            }
        }
    }

    /**
     * Runs the work on the calling thread when no executor thread has taken it yet, for a caller
     * that would otherwise only wait for it (an ensemble whose own member answered first): an
     * executor thread takes 10 to 50 µs to wake, longer than an in-memory or cached call. The
     * executor's thread then finds the work taken and returns. Unlike {@link #run()} this leaves the
     * calling thread's interrupt status alone (it is the caller's own), and {@link #cancel} does not
     * interrupt the caller; the work sees the caller's interrupt as it would on any thread.
     *
     * @return false when another thread took the work first or the future is done; the work did not run here then
     */
    final boolean runHereIfUnstarted() {
        synchronized (this) {
            if (claimed || isDone()) {
                return false;
            }
            claimed = true;
        }
        try {
            complete(capture == null ? compute() : capture.run(this::compute));
        } catch (Throwable failure) {
            failed(failure);
        }
        return true;
    }

    /** Interrupts the thread running the work, if one is. */
    protected final void interruptRunner() {
        synchronized (this) {
            if (runner != null) {
                runner.interrupt();
            }
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            interruptRunner();
        }
        return cancelled;
    }
}
