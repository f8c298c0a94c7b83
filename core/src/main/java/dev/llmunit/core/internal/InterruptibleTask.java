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
            if (isDone()) {
                return;
            }
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
