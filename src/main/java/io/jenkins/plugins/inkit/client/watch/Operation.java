package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a check, a wait and a launch share: the scheduler wakes them, the I/O executor does their
 * requests, they end exactly once, {@link #cancel()} silences them at once and cancels the request
 * in flight, whatever a part throws ends them with a message that quotes nothing of it, and a
 * backstop at the deadline ends them even when a part never came back (a request queued behind
 * others for a free thread, a token source that hangs).
 */
abstract class Operation {

    private static final Logger LOGGER = Logger.getLogger(Operation.class.getName());

    /** How long after the deadline the backstop ends an operation that did not end by itself. */
    static final Duration DEADLINE_GRACE = Duration.ofSeconds(2);

    final Scheduler scheduler;
    final Executor io;
    final Clock clock;
    final Cancellation inFlight = new Cancellation();

    private final AtomicBoolean over = new AtomicBoolean();
    private volatile Scheduler.Cancellable pending;
    private volatile Scheduler.Cancellable backstop;
    /** When the part now waiting for an I/O thread was handed over ({@link System#nanoTime()}), or 0. */
    private volatile long queuedSince;
    /** How long the last part to run had waited for an I/O thread. */
    private volatile Duration lastQueued = Duration.ZERO;

    Operation(Scheduler scheduler, Executor io, Clock clock) {
        this.scheduler = scheduler;
        this.io = io;
        this.clock = clock;
    }

    /** Ends the operation at once: nothing more is scheduled, the request in flight is cancelled, nobody is told. */
    public void cancel() {
        over.set(true);
        callOff(pending);
        callOff(backstop);
        inFlight.cancel();
    }

    public boolean isOver() {
        return over.get();
    }

    /** What this operation is, for the log: "Inkit batch fb_1". */
    abstract String subject();

    /** Ends the operation because {@code t} was thrown by one of its parts; the message must quote nothing of it. */
    abstract void thrown(Throwable t);

    /** Ends the operation because the executor would not take its next part (it is shut down). */
    abstract void refused();

    /**
     * Ends the operation at its deadline, which it did not reach by itself; the request in flight is
     * cancelled already.
     *
     * @param queued how long the next part had waited for an I/O thread, or {@code null} when none was waiting
     */
    abstract void deadlinePassed(Duration queued);

    /** Arms the backstop: {@link #deadlinePassed} at {@code deadline} plus a little, unless the operation ended. */
    final void endNoLaterThan(Instant deadline) {
        if (over.get()) {
            return;
        }
        Duration delay = Duration.between(clock.instant(), deadline).plus(DEADLINE_GRACE);
        backstop = scheduler.schedule(
                () -> guarded(() -> {
                    // A scheduler that ran this early (only a test's does) changes nothing.
                    if (!over.get() && !clock.instant().isBefore(deadline)) {
                        Duration queued = queuedFor();
                        inFlight.cancel();
                        deadlinePassed(queued);
                    }
                }),
                delay.isNegative() ? Duration.ZERO : delay);
        if (over.get()) {
            callOff(backstop); // cancelled meanwhile: nothing may stay scheduled until the deadline
        }
    }

    /** Runs {@code part} on the scheduler's thread after {@code delay}. */
    final void later(Runnable part, Duration delay) {
        if (over.get()) {
            return;
        }
        pending = scheduler.schedule(() -> guarded(part), delay);
        if (over.get()) {
            callOff(pending);
        }
    }

    /** Hands {@code part} to the I/O executor; until a thread takes it, it counts as queued. */
    final void onIo(Runnable part) {
        if (over.get()) {
            return;
        }
        queuedSince = Math.max(1, System.nanoTime());
        try {
            long since = queuedSince;
            io.execute(() -> {
                lastQueued = Duration.ofNanos(System.nanoTime() - since);
                queuedSince = 0;
                guarded(part);
            });
        } catch (RejectedExecutionException e) {
            queuedSince = 0;
            refused();
        }
    }

    /**
     * How long the part now running had waited for an I/O thread, when that was long enough to
     * matter (a second or more), else {@code null}: a time limit that passed meanwhile is not Inkit's doing.
     */
    final Duration queuedLong() {
        Duration q = lastQueued;
        return q.compareTo(Duration.ofSeconds(1)) >= 0 ? q : null;
    }

    private Duration queuedFor() {
        long since = queuedSince;
        return since == 0 ? null : Duration.ofNanos(System.nanoTime() - since);
    }

    /** Runs a part so that whatever it throws still ends the operation, once; the exception goes to the log. */
    final void guarded(Runnable part) {
        try {
            part.run();
        } catch (Throwable t) {
            LOGGER.log(Level.WARNING, "Working on " + subject() + " failed unexpectedly", SafeThrowables.of(t));
            thrown(t);
        }
    }

    /** True for the one caller that may end the operation; the timers are called off. */
    final boolean claimEnd() {
        if (!over.compareAndSet(false, true)) {
            return false;
        }
        callOff(pending);
        callOff(backstop);
        return true;
    }

    /** Tells the end, which this thread alone may: a listener that throws is logged, since nobody else is left to tell. */
    final void tell(Runnable end) {
        try {
            end.run();
        } catch (Throwable t) {
            LOGGER.log(Level.SEVERE, "The end of " + subject() + " was not delivered", SafeThrowables.of(t));
        }
    }

    private static void callOff(Scheduler.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
