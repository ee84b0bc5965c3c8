package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives one launch, as {@link BatchWatch} drives a look: the request runs on the I/O executor, a
 * retry waits on the scheduler, and the {@link Listener} hears progress and the end, exactly once.
 *
 * <p>Inkit has no idempotency key, so a launch is tried again only when it certainly did not reach
 * Inkit: Inkit answered 429 (honouring {@code Retry-After}), or the connection could not be made
 * ({@link InkitException#notSent()}). Backoff as {@link RetryPolicy} says, at most
 * {@link RetryPolicy#maxRetries()} retries in a row (one for a host name that does not resolve),
 * never past the deadline. Anything else ends it: a 5xx, a timeout or a connection lost once the
 * request may have been sent is {@link InkitException.Kind#LAUNCH_UNCERTAIN}.
 */
public final class BatchLaunch {

    /** What the launch reports. Called from the scheduler's or the executor's threads. */
    public interface Listener {
        /** A line for people: a retry is coming. Never a merge parameter. */
        default void progress(String line) {}

        /**
         * Called on the I/O executor right before the POST is written, each time: from here on the
         * batch may be launched. The Jenkins step saves that a POST may be in flight; it may block briefly.
         */
        default void sending() {}

        /**
         * Inkit launched the batch. Called once, even when {@link #cancel()} came while the request
         * was in flight: a batch that was launched must not be lost.
         */
        void launched(LaunchedBatch batch);

        /** The launch failed; {@link InkitException.Kind#LAUNCH_UNCERTAIN} when it may have happened. */
        void failed(InkitException error);
    }

    private static final Logger LOGGER = Logger.getLogger(BatchLaunch.class.getName());

    /** A retry leaves its request at least this much time (or a quarter of a shorter limit) before the deadline. */
    static final Duration REQUEST_LEAD = Duration.ofSeconds(5);

    private final InkitClient client;
    private final TokenSource tokens;
    private final LaunchRequest request;
    private final Instant deadline;
    private final RetryPolicy retries;
    private final BatchWatch.Scheduler scheduler;
    private final Executor io;
    private final Clock clock;
    private final Listener listener;
    private final Instant start;

    private final AtomicBoolean over = new AtomicBoolean();
    private final Cancellation inFlight = new Cancellation();
    private volatile BatchWatch.Cancellable pending;
    /** Set once {@link Listener#sending()} has been called: from then on, an unexpected failure is uncertain. */
    private volatile boolean mayHaveSent;

    private int failures;
    private volatile InkitException lastFailure;

    public BatchLaunch(
            InkitClient client,
            TokenSource tokens,
            LaunchRequest request,
            Instant deadline,
            RetryPolicy retries,
            BatchWatch.Scheduler scheduler,
            Executor io,
            Clock clock,
            Listener listener) {
        this.client = client;
        this.tokens = tokens;
        this.request = request;
        this.deadline = deadline;
        this.retries = retries;
        this.scheduler = scheduler;
        this.io = io;
        this.clock = clock;
        this.listener = listener;
        this.start = clock.instant();
    }

    /** Makes the first attempt at once, on the I/O executor. */
    public void start() {
        guarded(this::queueAttempt);
    }

    /**
     * Ends the launch at once: nothing more is scheduled, the request in flight is cancelled, and no
     * listener method is called again. A request already sent may still have launched the batch.
     */
    public void cancel() {
        over.set(true);
        BatchWatch.Cancellable p = pending;
        if (p != null) {
            p.cancel();
        }
        inFlight.cancel();
    }

    public boolean isOver() {
        return over.get();
    }

    /**
     * Whether a launch request may have reached Inkit: a request was handed to the network and did
     * not certainly fail before it was sent. What a caller that is interrupted (a stop, Ctrl-C) says.
     */
    public boolean mayHaveSent() {
        return mayHaveSent;
    }

    private void queueAttempt() {
        if (over.get()) {
            return;
        }
        try {
            io.execute(() -> guarded(this::attempt));
        } catch (RejectedExecutionException e) {
            fail(new InkitException(
                    InkitException.Kind.UNEXPECTED,
                    "The launch of " + InkitClient.describe(request)
                            + " could not be queued: the executor is shut down. Nothing was launched.",
                    0,
                    null,
                    null,
                    true));
        }
    }

    private void attempt() {
        if (over.get()) {
            return;
        }
        Duration budget = Duration.between(clock.instant(), deadline);
        if (budget.isNegative() || budget.isZero()) {
            fail(timedOut());
            return;
        }
        listener.sending();
        mayHaveSent = true;
        if (over.get()) {
            return;
        }
        LaunchedBatch batch;
        try {
            batch = client.launchBatch(request, tokens, budget, inFlight);
        } catch (InkitException e) {
            failedAttempt(e);
            return;
        }
        // Inkit launched it: that is told even when the launch was cancelled meanwhile, so that the
        // batch is never lost and launched again.
        over.set(true);
        tell(() -> listener.launched(batch));
    }

    private void failedAttempt(InkitException e) {
        if (over.get()) {
            return;
        }
        if (e.notSent()) {
            mayHaveSent = false;
        }
        boolean rateLimited = e.kind() == InkitException.Kind.TRANSIENT && e.httpStatus() == 429;
        boolean notSent = e.notSent()
                && (e.kind() == InkitException.Kind.TRANSIENT || e.kind() == InkitException.Kind.UNKNOWN_HOST);
        if (e.kind() == InkitException.Kind.TIMED_OUT && e.notSent()) {
            fail(timedOut());
            return;
        }
        if (!rateLimited && !notSent) {
            fail(e);
            return;
        }
        int retry = ++failures;
        int limit = e.kind() == InkitException.Kind.UNKNOWN_HOST ? 1 : retries.maxRetries();
        if (retry > limit) {
            fail(new InkitException(
                    e.kind(),
                    e.getMessage() + " Gave up after " + retry + " attempts in a row; nothing was launched.",
                    e.httpStatus(),
                    null,
                    e,
                    true));
            return;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        Duration latest = left.minus(lead());
        Duration asked = e.retryAfter();
        if (asked != null && asked.compareTo(latest) > 0) {
            fail(new InkitException(
                    InkitException.Kind.TIMED_OUT,
                    "Inkit asked to wait " + Durations.format(asked) + " before trying again (Retry-After), longer"
                            + " than the " + Durations.format(left) + " left before the time limit. Nothing was"
                            + " launched. Last error: " + e.getMessage(),
                    e.httpStatus(),
                    null,
                    e,
                    true));
            return;
        }
        if (latest.isNegative() || latest.isZero()) {
            lastFailure = e;
            fail(timedOut());
            return;
        }
        Duration delay = retries.delayBefore(retry, asked);
        if (delay.compareTo(latest) > 0) {
            delay = latest;
        }
        lastFailure = e;
        listener.progress(e.getMessage() + " Nothing was launched; trying again in " + Durations.format(delay)
                + " (retry " + retry + " of " + limit + ").");
        pending = scheduler.schedule(() -> guarded(this::queueAttempt), delay);
    }

    /** {@link #REQUEST_LEAD}, or a quarter of a shorter limit. */
    private Duration lead() {
        Duration quarter = Duration.between(start, deadline).dividedBy(4);
        return quarter.compareTo(REQUEST_LEAD) < 0 ? quarter : REQUEST_LEAD;
    }

    private InkitException timedOut() {
        InkitException last = lastFailure;
        return new InkitException(
                InkitException.Kind.TIMED_OUT,
                "The time limit of " + Durations.format(Duration.between(start, deadline)) + " passed before "
                        + InkitClient.describe(request) + " could be launched; nothing was launched."
                        + (last == null ? "" : " Last error: " + last.getMessage()),
                0,
                null,
                last,
                true);
    }

    /**
     * Runs a part of the launch so that whatever it throws still ends it, once, with a message that
     * quotes nothing of the exception; once the request may have been sent, that end is uncertain.
     */
    private void guarded(Runnable part) {
        try {
            part.run();
        } catch (Throwable t) {
            LOGGER.log(Level.WARNING, "Launching " + InkitClient.describe(request) + " failed unexpectedly", t);
            String what = "an unexpected " + t.getClass().getName() + "; the details were logged";
            fail(
                    mayHaveSent
                            ? InkitClient.uncertain(request, what, 0)
                            : new InkitException(
                                    InkitException.Kind.UNEXPECTED,
                                    "Launching " + InkitClient.describe(request) + " failed unexpectedly ("
                                            + t.getClass().getName()
                                            + ") before anything was sent; the details were logged.",
                                    0,
                                    null,
                                    null,
                                    true));
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
                    Level.SEVERE,
                    "The end of the launch of " + InkitClient.describe(request) + " was not delivered",
                    t);
        }
    }
}
