package io.jenkins.plugins.inkit.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives one check or wait: asks the {@link PollingPolicy} when to look, has the scheduler wake it
 * then, does the request on the I/O executor (never on the scheduler's threads), retries transient
 * failures with the {@link RetryPolicy}, and tells the {@link Listener} what happened, exactly
 * once at the end. All it remembers is in the {@link WatchState}; a new watch on the same state
 * continues where the old one stopped.
 */
public final class BatchWatch {

    /** Wakes the watch later. The plugin passes Jenkins' timer, the command line a plain one. */
    @FunctionalInterface
    public interface Scheduler {
        Cancellable schedule(Runnable task, Duration delay);

        static Scheduler of(ScheduledExecutorService executor) {
            return (task, delay) -> {
                ScheduledFuture<?> future = executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            };
        }
    }

    @FunctionalInterface
    public interface Cancellable {
        void cancel();
    }

    /** What the watch reports. Called from the scheduler's or the executor's threads. */
    public interface Listener {
        /** A line for people: the batch changed, or a retry is coming. */
        default void progress(String line) {}

        /** The state changed and is worth saving. */
        default void stateChanged() {}

        /** The check or wait is over and the batch is as given. */
        void finished(Batch batch);

        /** The check or wait failed; the message says why and never contains the token. */
        void failed(InkitException error);
    }

    private final InkitClient client;
    private final TokenSource tokens;
    private final WatchState state;
    private final PollingPolicy policy;
    private final RetryPolicy retries;
    private final Scheduler scheduler;
    private final Executor io;
    private final Clock clock;
    private final Listener listener;

    private final AtomicBoolean over = new AtomicBoolean();
    private volatile Cancellable pending;

    public BatchWatch(
            InkitClient client,
            TokenSource tokens,
            WatchState state,
            PollingPolicy policy,
            RetryPolicy retries,
            Scheduler scheduler,
            Executor io,
            Clock clock,
            Listener listener) {
        this.client = client;
        this.tokens = tokens;
        this.state = state;
        this.policy = policy;
        this.retries = retries;
        this.scheduler = scheduler;
        this.io = io;
        this.clock = clock;
        this.listener = listener;
    }

    public WatchState state() {
        return state;
    }

    /** Starts, or after a restart resumes, at the time the policy says. */
    public void start() {
        next();
    }

    /** Ends the watch at once: nothing more is scheduled and no listener method is called again. */
    public void cancel() {
        over.set(true);
        Cancellable p = pending;
        if (p != null) {
            p.cancel();
        }
    }

    public boolean isOver() {
        return over.get();
    }

    private void next() {
        if (over.get()) {
            return;
        }
        Instant now = clock.instant();
        PollingPolicy.Decision decision = policy.decide(state, now);
        switch (decision.kind()) {
            case DONE -> finish(state.lastBatch());
            case DEADLINE_PASSED -> fail(timedOut(null));
            case LOOK -> lookAfter(Duration.between(now, decision.at()));
        }
    }

    private void lookAfter(Duration delay) {
        pending = scheduler.schedule(
                () -> {
                    try {
                        io.execute(this::look);
                    } catch (RejectedExecutionException e) {
                        fail(new InkitException(
                                InkitException.Kind.TRANSIENT,
                                "The request could not be queued: the executor is shut down."));
                    }
                },
                delay);
    }

    private void look() {
        if (over.get()) {
            return;
        }
        Duration budget = Duration.between(clock.instant(), state.deadline());
        Batch batch;
        try {
            batch = client.fetchBatch(state.batchId(), tokens, budget);
        } catch (InkitException e) {
            failedLook(e);
            return;
        } catch (RuntimeException e) {
            // A bug or a library failure: still one clear end, not a wait that never finishes.
            fail(new InkitException(
                    InkitException.Kind.UNTRUSTED_RESPONSE, "Reading the batch failed unexpectedly: " + e, 0, null, e));
            return;
        }
        if (over.get()) {
            return;
        }
        Batch previous = state.lastBatch();
        state.recordLook(batch, clock.instant());
        String line = BatchReport.changeLine(previous, batch);
        if (line != null) {
            listener.progress(line);
        }
        listener.stateChanged();
        next();
    }

    private void failedLook(InkitException e) {
        if (over.get()) {
            return;
        }
        if (e.kind() == InkitException.Kind.TIMED_OUT) {
            fail(timedOut(null));
            return;
        }
        if (!e.isRetryable()) {
            fail(e);
            return;
        }
        int retry = state.consecutiveFailures() + 1;
        Duration delay = retries.delayBefore(retry, e.retryAfter());
        if (delay == null) {
            fail(new InkitException(
                    e.kind(),
                    e.getMessage() + " Gave up after " + retry + " attempts in a row.",
                    e.httpStatus(),
                    null,
                    e));
            return;
        }
        if (!clock.instant().plus(delay).isBefore(state.deadline())) {
            fail(timedOut(e));
            return;
        }
        state.recordFailure();
        listener.progress(e.getMessage() + " Trying again in " + Durations.format(delay) + " (retry " + retry + " of "
                + retries.maxRetries() + ").");
        listener.stateChanged();
        lookAfter(delay);
    }

    /** The timeout message: how long, what was seen last, and the failure that used up the time. */
    private InkitException timedOut(InkitException last) {
        Duration limit = Duration.between(state.start(), state.deadline());
        StringBuilder message = new StringBuilder("Inkit batch ").append(state.batchId());
        message.append(state.waiting() ? " did not finish within " : " could not be read within ")
                .append(Durations.format(limit))
                .append('.');
        Batch seen = state.lastBatch();
        if (seen != null) {
            message.append(" Last seen: ")
                    .append(seen.settledDocuments())
                    .append(" of ")
                    .append(seen.expectedDocuments())
                    .append(" document generations settled");
            for (Destination d : seen.destinations().values()) {
                message.append("; ").append(d);
            }
            message.append('.');
        }
        if (last != null) {
            message.append(" Last error: ").append(last.getMessage());
        }
        return new InkitException(InkitException.Kind.TIMED_OUT, message.toString(), 0, null, last);
    }

    private void finish(Batch batch) {
        if (over.compareAndSet(false, true)) {
            listener.finished(batch);
        }
    }

    private void fail(InkitException e) {
        if (over.compareAndSet(false, true)) {
            listener.failed(e);
        }
    }
}
