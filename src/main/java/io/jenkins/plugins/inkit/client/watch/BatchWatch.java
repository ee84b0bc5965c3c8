package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Drives one check or wait: asks the {@link PollingPolicy} when to look, has the scheduler wake it
 * then, does the request on the I/O executor (never on the scheduler's threads), retries transient
 * failures as the {@link RetryPolicy} decides, and tells the {@link Listener} what happened, exactly
 * once at the end, having named the failed documents first when there are any (see
 * {@link FailedDocumentsLookup}). All it remembers is in the {@link WatchState}; a new watch on the
 * same state continues where the old one stopped.
 */
public final class BatchWatch extends Operation {

    /**
     * Inkit may not show a batch the moment it was launched: while waiting, a 404 this soon after the
     * wait started means "not visible yet" and is looked at again. A single check fails on it at once.
     */
    public static final Duration NOT_VISIBLE_GRACE = Duration.ofSeconds(30);

    private final InkitClient client;
    private final TokenSource tokens;
    private final WatchState state;
    private final PollingPolicy policy;
    private final RetryPolicy retries;
    private final WatchListener listener;

    /** The transient failure being retried, for the message should the time run out. */
    private volatile InkitException lastFailure;
    /** The batch the watch ends with, once the failed documents are being looked up. */
    private volatile Batch ending;

    public BatchWatch(
            InkitClient client,
            TokenSource tokens,
            WatchState state,
            PollingPolicy policy,
            RetryPolicy retries,
            Scheduler scheduler,
            Executor io,
            Clock clock,
            WatchListener listener) {
        super(scheduler, io, clock);
        this.client = client;
        this.tokens = tokens;
        this.state = state;
        this.policy = policy;
        this.retries = retries;
        this.listener = listener;
    }

    public WatchState state() {
        return state;
    }

    /** Starts, or after a restart resumes, at the time the policy says. */
    public void start() {
        endNoLaterThan(state.deadline());
        guarded(this::next);
    }

    @Override
    String subject() {
        return "Inkit batch " + state.batchId();
    }

    private void next() {
        if (isOver()) {
            return;
        }
        Instant now = clock.instant();
        PollingPolicy.Decision decision = policy.decide(state, now);
        switch (decision.kind()) {
            case DONE -> finish(state.lastBatch());
            case DEADLINE_PASSED -> fail(state.timedOut(lastFailure, null, false));
            case LOOK -> lookAfter(Duration.between(now, decision.at()));
        }
    }

    private void lookAfter(Duration delay) {
        later(() -> onIo(this::look), delay);
    }

    private void look() {
        if (isOver()) {
            return;
        }
        Instant sent = clock.instant();
        Duration budget = Duration.between(sent, state.deadline());
        InkitClient.BatchAnswer answer;
        try {
            answer = client.readBatch(state.batchId(), tokens, budget, inFlight);
        } catch (InkitException e) {
            failedLook(e);
            return;
        }
        if (isOver()) {
            return;
        }
        lastFailure = null;
        Batch batch = answer.batch();
        Batch previous = state.lastBatch();
        Instant now = clock.instant();
        state.recordLook(batch, sent, now, answer.serverTime());
        FinishEstimate estimate = state.estimate();
        String line = BatchReport.changeLine(previous, batch, estimate == null ? null : estimate.left(now));
        if (line != null) {
            listener.progress(line);
        }
        // A look that saw nothing new changes only its time, which a resume can do without.
        if (previous == null || !batch.sameProgressAs(previous)) {
            listener.stateChanged();
        }
        listener.estimated(estimate);
        next();
    }

    private void failedLook(InkitException e) {
        if (isOver()) {
            return;
        }
        if (e.kind() == InkitException.Kind.TIMED_OUT) {
            fail(state.timedOut(lastFailure, queuedLong(), true));
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
        int limit = notVisibleYet ? Integer.MAX_VALUE : retryLimit(e);
        Duration left = Duration.between(clock.instant(), state.deadline());
        RetryPolicy.Decision decision =
                retries.decide(e, state.consecutiveFailures() + 1, limit, left, PollingPolicy.finalLookLead(state));
        switch (decision.kind()) {
            case TOO_MANY ->
                fail(new InkitException(
                        e.kind(),
                        e.getMessage() + " Gave up after " + decision.retry() + " attempts in a row.",
                        e.httpStatus(),
                        null,
                        e));
            case ASKED_TOO_LONG ->
                fail(new InkitException(
                        InkitException.Kind.TIMED_OUT,
                        decision.askedTooLong() + " before the time limit of "
                                + Durations.format(Duration.between(state.start(), state.deadline())) + ". Last error: "
                                + e.getMessage(),
                        e.httpStatus(),
                        null,
                        e));
            case NO_TIME -> fail(state.timedOut(e, queuedLong(), true));
            case RETRY -> retryAfter(e, decision, notVisibleYet, graceEnd);
        }
    }

    private void retryAfter(InkitException e, RetryPolicy.Decision decision, boolean notVisibleYet, Instant graceEnd) {
        Duration delay = decision.delay();
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
        } else {
            listener.progress(
                    e.getMessage() + " Trying again in " + Durations.format(delay) + " " + decision.counted() + ".");
        }
        lookAfter(delay);
    }

    /** A host name that does not resolve gets one more try; a wait retries until its deadline; a check a few times. */
    private int retryLimit(InkitException e) {
        if (e.kind() == InkitException.Kind.UNKNOWN_HOST) {
            return 1;
        }
        return state.waiting() ? Integer.MAX_VALUE : retries.maxRetries();
    }

    /**
     * The end with the batch; when it has failed documents, after looking up which, on the I/O
     * executor, within the same deadline. Cancelling during the look-up ends it without a word.
     */
    private void finish(Batch batch) {
        if (isOver()) {
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
        ending = batch;
        onIo(() -> lookUp(lookup, batch));
    }

    /** On the I/O executor: one step of the look-up, then the next one when it is due, or the end. */
    private void lookUp(FailedDocumentsLookup lookup, Batch batch) {
        if (isOver()) {
            return;
        }
        FailedDocumentsLookup.Step step = lookup.step();
        if (isOver()) {
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
            onIo(() -> lookUp(lookup, batch));
        } else {
            later(() -> onIo(() -> lookUp(lookup, batch)), step.delay());
        }
    }

    @Override
    void thrown(Throwable t) {
        String what = t.getClass().getName();
        endOrFail(
                "looking them up failed unexpectedly (" + what + "); the details were logged.",
                () -> new InkitException(
                        InkitException.Kind.UNEXPECTED,
                        "Reading Inkit batch " + state.batchId() + " failed unexpectedly (" + what
                                + "); the details were logged."));
    }

    @Override
    void refused() {
        endOrFail(
                "the look-up could not be queued: the executor is shut down.",
                () -> new InkitException(
                        InkitException.Kind.UNEXPECTED,
                        "The request for Inkit batch " + state.batchId()
                                + " could not be queued: the executor is shut down."));
    }

    @Override
    void deadlinePassed(Duration queued) {
        endOrFail(
                "the time limit passed while listing workflow runs.", () -> state.timedOut(lastFailure, queued, false));
    }

    /**
     * While the failed documents are looked up, the batch as read ends the watch, their list
     * incomplete for the reason given: the look-up never changes the verdict. Before, the watch fails.
     */
    private void endOrFail(String whyIncomplete, java.util.function.Supplier<InkitException> failure) {
        Batch batch = ending;
        if (batch != null) {
            end(batch, FailedDocuments.incomplete(List.of(), whyIncomplete));
        } else {
            fail(failure.get());
        }
    }

    private void end(Batch batch, FailedDocuments failed) {
        if (claimEnd()) {
            tell(() -> listener.finished(batch, failed));
        }
    }

    private void fail(InkitException e) {
        if (claimEnd()) {
            tell(() -> listener.failed(e));
        }
    }
}
