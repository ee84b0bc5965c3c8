package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives one check or wait: asks the {@link PollingPolicy} when to look, has the scheduler wake it
 * then, does the request on the I/O executor (never on the scheduler's threads), retries transient
 * failures with the {@link RetryPolicy}, and tells the {@link Listener} what happened, exactly
 * once at the end, having named the failed documents first when there are any (see
 * {@link FailedDocumentsLookup}). All it remembers is in the {@link WatchState}; a new watch on the
 * same state continues where the old one stopped.
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

        /**
         * The check or wait is over and the batch is as given. Called only through
         * {@link #finished(Batch, FailedDocuments)}, whose default calls this.
         */
        void finished(Batch batch);

        /**
         * The check or wait is over and the batch is as given; this is what the watch calls.
         *
         * @param failed when the batch has failed documents, which ones, as far as Inkit's list of
         *     workflow runs told before the deadline (never {@code null} then, but perhaps
         *     incomplete); {@code null} when the batch has no failed document, so nothing was looked up
         */
        default void finished(Batch batch, FailedDocuments failed) {
            finished(batch);
        }

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

    private static final Logger LOGGER = Logger.getLogger(BatchWatch.class.getName());

    /**
     * Inkit may not show a batch the moment it was launched: while waiting, a 404 this soon after the
     * wait started means "not visible yet" and is looked at again. A single check fails on it at once.
     */
    public static final Duration NOT_VISIBLE_GRACE = Duration.ofSeconds(30);

    private final AtomicBoolean over = new AtomicBoolean();
    private final Cancellation inFlight = new Cancellation();
    private volatile Cancellable pending;
    /** The transient failure being retried, for the message should the time run out. */
    private volatile InkitException lastFailure;

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
        guarded(this::next);
    }

    /**
     * Ends the watch at once: nothing more is scheduled, the request in flight is cancelled, and
     * no listener method is called again.
     */
    public void cancel() {
        over.set(true);
        Cancellable p = pending;
        if (p != null) {
            p.cancel();
        }
        inFlight.cancel();
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
            case DEADLINE_PASSED -> fail(timedOut(lastFailure));
            case LOOK -> lookAfter(Duration.between(now, decision.at()));
        }
    }

    private void lookAfter(Duration delay) {
        pending = scheduler.schedule(() -> guarded(this::queueLook), delay);
    }

    /** On the scheduler's thread: hands the request to the I/O executor. */
    private void queueLook() {
        try {
            io.execute(() -> guarded(this::look));
        } catch (RejectedExecutionException e) {
            fail(new InkitException(
                    InkitException.Kind.UNEXPECTED,
                    "The request for Inkit batch " + state.batchId() + " could not be queued: the executor is shut"
                            + " down."));
        }
    }

    /**
     * Runs a part of the watch so that whatever it throws still ends the watch, once, with a
     * message that quotes nothing of the exception (its text may hold a header value); the
     * exception itself goes to the log.
     */
    private void guarded(Runnable part) {
        try {
            part.run();
        } catch (Throwable t) {
            LOGGER.log(Level.WARNING, "Watching Inkit batch " + state.batchId() + " failed unexpectedly", t);
            fail(new InkitException(
                    InkitException.Kind.UNEXPECTED,
                    "Reading Inkit batch " + state.batchId() + " failed unexpectedly ("
                            + t.getClass().getName() + "); the details were logged."));
        }
    }

    private void look() {
        if (over.get()) {
            return;
        }
        Duration budget = Duration.between(clock.instant(), state.deadline());
        Batch batch;
        try {
            batch = client.fetchBatch(state.batchId(), tokens, budget, inFlight);
        } catch (InkitException e) {
            failedLook(e);
            return;
        }
        if (over.get()) {
            return;
        }
        lastFailure = null;
        Batch previous = state.lastBatch();
        state.recordLook(batch, clock.instant());
        String line = BatchReport.changeLine(previous, batch);
        if (line != null) {
            listener.progress(line);
        }
        // A look that saw nothing new changes only its time, which a resume can do without.
        if (previous == null || !batch.sameProgressAs(previous)) {
            listener.stateChanged();
        }
        next();
    }

    private void failedLook(InkitException e) {
        if (over.get()) {
            return;
        }
        if (e.kind() == InkitException.Kind.TIMED_OUT) {
            fail(timedOut(lastFailure));
            return;
        }
        Instant graceEnd = state.start().plus(NOT_VISIBLE_GRACE);
        boolean notVisibleYet = e.kind() == InkitException.Kind.BATCH_NOT_FOUND
                && state.waiting()
                && clock.instant().isBefore(graceEnd);
        if (!e.isRetryable() && !notVisibleYet) {
            fail(e);
            return;
        }
        int retry = state.consecutiveFailures() + 1;
        int limit = notVisibleYet ? Integer.MAX_VALUE : retryLimit(e);
        if (retry > limit) {
            fail(new InkitException(
                    e.kind(),
                    e.getMessage() + " Gave up after " + retry + " attempts in a row.",
                    e.httpStatus(),
                    null,
                    e));
            return;
        }
        // The retry must still leave its request time to be answered before the deadline.
        Duration left = Duration.between(clock.instant(), state.deadline());
        Duration latest = left.minus(PollingPolicy.finalLookLead(state));
        Duration asked = e.retryAfter();
        if (asked != null && asked.compareTo(latest) > 0) {
            fail(new InkitException(
                    InkitException.Kind.TIMED_OUT,
                    "Inkit asked to wait " + Durations.format(asked) + " before trying again (Retry-After), longer"
                            + " than the " + Durations.format(left) + " left before the time limit of "
                            + Durations.format(Duration.between(state.start(), state.deadline())) + ". Last error: "
                            + e.getMessage(),
                    e.httpStatus(),
                    null,
                    e));
            return;
        }
        if (latest.isNegative() || latest.isZero()) {
            fail(timedOut(e));
            return;
        }
        Duration delay = retries.delayBefore(retry, asked);
        if (delay.compareTo(latest) > 0) {
            delay = latest;
        }
        lastFailure = e;
        state.recordFailure();
        if (notVisibleYet) {
            // Looking again at the end of the grace at the latest: a 404 then is the answer.
            Duration untilGraceEnds = Duration.between(clock.instant(), graceEnd);
            if (delay.compareTo(untilGraceEnds) > 0) {
                delay = untilGraceEnds;
            }
            listener.progress("Inkit does not show batch " + state.batchId() + " yet; looking again in "
                    + Durations.format(delay) + ".");
            lookAfter(delay);
            return;
        }
        listener.progress(e.getMessage() + " Trying again in " + Durations.format(delay) + " (retry " + retry
                + (limit == Integer.MAX_VALUE ? ", until the time limit" : " of " + limit) + ").");
        lookAfter(delay);
    }

    /** A host name that does not resolve gets one more try; a wait retries until its deadline; a check a few times. */
    private int retryLimit(InkitException e) {
        if (e.kind() == InkitException.Kind.UNKNOWN_HOST) {
            return 1;
        }
        return state.waiting() ? Integer.MAX_VALUE : retries.maxRetries();
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

    /**
     * The end with the batch; when it has failed documents, after looking up which, on the I/O
     * executor, within the same deadline. Cancelling during the look-up ends it without a word.
     */
    private void finish(Batch batch) {
        if (over.get()) {
            return;
        }
        if (batch.failedDocuments() == 0) {
            end(batch, null);
            return;
        }
        FailedDocumentsLookup lookup =
                new FailedDocumentsLookup(client, tokens, batch, state.deadline(), retries, clock, inFlight);
        if (!lookup.hasTime()) {
            end(batch, FailedDocuments.incomplete(List.of(), FailedDocumentsLookup.NO_TIME));
            return;
        }
        queueLookup(lookup, batch);
    }

    /** Hands the look-up's next step to the I/O executor. */
    private void queueLookup(FailedDocumentsLookup lookup, Batch batch) {
        try {
            io.execute(() -> guardedLookup(batch, () -> lookUp(lookup, batch)));
        } catch (RejectedExecutionException e) {
            end(
                    batch,
                    FailedDocuments.incomplete(
                            List.of(), "the look-up could not be queued: the executor is shut down."));
        }
    }

    /** On the I/O executor: one step of the look-up, then the next one when it is due, or the end. */
    private void lookUp(FailedDocumentsLookup lookup, Batch batch) {
        if (over.get()) {
            return;
        }
        FailedDocumentsLookup.Step step = lookup.step();
        if (over.get()) {
            return;
        }
        if (step.isDone()) {
            end(batch, step.result());
            return;
        }
        if (step.line() != null) {
            listener.progress(step.line());
        }
        if (step.delay().isZero()) {
            queueLookup(lookup, batch);
        } else {
            pending = scheduler.schedule(() -> guardedLookup(batch, () -> queueLookup(lookup, batch)), step.delay());
        }
    }

    /**
     * Runs a part of the look-up so that whatever it throws still ends the watch once, with the
     * batch as read and the failed documents not named: the look-up never changes the verdict.
     */
    private void guardedLookup(Batch batch, Runnable part) {
        try {
            part.run();
        } catch (Throwable t) {
            LOGGER.log(Level.WARNING, "Naming the failed documents of Inkit batch " + state.batchId() + " failed", t);
            end(
                    batch,
                    FailedDocuments.incomplete(
                            List.of(),
                            "looking them up failed unexpectedly ("
                                    + t.getClass().getName() + "); the details were logged."));
        }
    }

    private void end(Batch batch, FailedDocuments failed) {
        if (over.compareAndSet(false, true)) {
            tell(() -> listener.finished(batch, failed));
        }
    }

    private void fail(InkitException e) {
        if (over.compareAndSet(false, true)) {
            tell(() -> listener.failed(e));
        }
    }

    /** The end is told once; a listener that throws is logged, since nobody else is left to tell. */
    private void tell(Runnable end) {
        try {
            end.run();
        } catch (Throwable t) {
            LOGGER.log(
                    Level.SEVERE, "The end of the watch of Inkit batch " + state.batchId() + " was not delivered", t);
        }
    }
}
