package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.http.LaunchMessages;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * Drives one launch, as {@link BatchWatch} drives a look: the request runs on the I/O executor, a
 * retry waits on the scheduler, and the {@link Listener} hears progress and the end, exactly once.
 *
 * <p>Inkit has no idempotency key, so a launch is tried again only when it certainly did not reach
 * Inkit: Inkit answered 429 (honouring {@code Retry-After}), or the connection could not be made
 * ({@link InkitException#notSent()}). Backoff as {@link RetryPolicy} decides, at most
 * {@link RetryPolicy#maxRetries()} retries in a row (one for a host name that does not resolve),
 * never past the deadline. Anything else ends it: a 5xx, a timeout or a connection lost once the
 * request may have been sent is {@link InkitException.Kind#LAUNCH_UNCERTAIN}.
 */
public final class BatchLaunch extends Operation {

    /** A retry leaves its request at least this much time (or a quarter of a shorter limit) before the deadline. */
    static final Duration REQUEST_LEAD = Duration.ofSeconds(5);

    private final InkitClient client;
    private final TokenSource tokens;
    private final LaunchRequest request;
    private final Instant deadline;
    private final RetryPolicy retries;
    private final LaunchListener listener;
    private final Instant start;

    /** A request is with the HTTP layer: whether it may have been sent, {@link #inFlight} knows. */
    private volatile boolean attempting;
    /** An attempt ended without an answer that says what became of it, or Inkit launched the batch. */
    private volatile boolean uncertain;

    private int failures;
    private volatile InkitException lastFailure;

    public BatchLaunch(
            InkitClient client,
            TokenSource tokens,
            LaunchRequest request,
            Instant deadline,
            RetryPolicy retries,
            Scheduler scheduler,
            Executor io,
            Clock clock,
            LaunchListener listener) {
        super(scheduler, io, clock);
        this.client = client;
        this.tokens = tokens;
        this.request = request;
        this.deadline = deadline;
        this.retries = retries;
        this.listener = listener;
        this.start = clock.instant();
    }

    /** Makes the first attempt at once, on the I/O executor. */
    public void start() {
        endNoLaterThan(deadline);
        onIo(this::prepare);
    }

    /**
     * Whether a launch request may have reached Inkit (or did, and launched the batch): what a caller
     * that is interrupted (a stop, Ctrl-C) must say instead of "nothing was launched".
     */
    public boolean mayHaveSent() {
        return uncertain || (attempting && inFlight.mayHaveSent());
    }

    @Override
    String subject() {
        return "the launch of " + LaunchMessages.describe(request);
    }

    /** On the I/O executor: asks the listener to get ready, and sends once it is. */
    private void prepare() {
        if (isOver()) {
            return;
        }
        if (!isPositive(Duration.between(clock.instant(), deadline))) {
            fail(timedOut());
            return;
        }
        listener.beforeSending().whenComplete((ready, error) -> {
            if (error != null) {
                failBeforeSending(error);
            } else {
                onIo(this::attempt);
            }
        });
    }

    private void attempt() {
        if (isOver()) {
            return;
        }
        Duration budget = Duration.between(clock.instant(), deadline);
        if (!isPositive(budget)) {
            fail(timedOut());
            return;
        }
        LaunchedBatch batch;
        attempting = true;
        try {
            batch = client.launchBatch(request, tokens, budget, inFlight);
        } catch (InkitException e) {
            uncertain |= !e.notSent() && e.kind() == InkitException.Kind.LAUNCH_UNCERTAIN;
            attempting = false;
            failedAttempt(e);
            return;
        }
        uncertain = true; // launched: whoever asks now must not say that nothing was
        attempting = false;
        // Inkit launched it: that is told even when the launch was cancelled meanwhile, so that the
        // batch is never lost and launched again.
        claimEnd();
        tell(() -> listener.launched(batch));
    }

    private void failedAttempt(InkitException e) {
        if (isOver()) {
            return;
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
        int limit = e.kind() == InkitException.Kind.UNKNOWN_HOST ? 1 : retries.maxRetries();
        RetryPolicy.Decision decision =
                retries.decide(e, ++failures, limit, Duration.between(clock.instant(), deadline), lead());
        switch (decision.kind()) {
            case TOO_MANY ->
                fail(new InkitException(
                        e.kind(),
                        e.getMessage() + " Gave up after " + decision.retry()
                                + " attempts in a row; nothing was launched.",
                        e.httpStatus(),
                        null,
                        e,
                        true));
            case ASKED_TOO_LONG ->
                fail(new InkitException(
                        InkitException.Kind.TIMED_OUT,
                        decision.askedTooLong() + " before the time limit. Nothing was launched. Last error: "
                                + e.getMessage(),
                        e.httpStatus(),
                        null,
                        e,
                        true));
            case NO_TIME -> {
                lastFailure = e;
                fail(timedOut());
            }
            case RETRY -> {
                lastFailure = e;
                listener.notSending();
                listener.progress(e.getMessage() + " Nothing was launched; trying again in "
                        + Durations.format(decision.delay()) + " " + decision.counted() + ".");
                later(() -> onIo(this::prepare), decision.delay());
            }
        }
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private Duration lead() {
        return requestLead(Duration.between(start, deadline));
    }

    /**
     * The time a request is given before a limit: {@link #REQUEST_LEAD}, or a quarter of a shorter
     * limit. Less than this left, a launch is not sent, so that it cannot end undecided.
     */
    public static Duration requestLead(Duration limit) {
        Duration quarter = limit.dividedBy(4);
        return quarter.compareTo(REQUEST_LEAD) < 0 ? quarter : REQUEST_LEAD;
    }

    private InkitException timedOut() {
        InkitException last = lastFailure;
        return new InkitException(
                InkitException.Kind.TIMED_OUT,
                "The time limit of " + Durations.format(Duration.between(start, deadline)) + " passed before "
                        + LaunchMessages.describe(request) + " could be launched; nothing was launched."
                        + (last == null ? "" : " Last error: " + last.getMessage()),
                0,
                null,
                last,
                true);
    }

    /** The listener could not get ready (the state could not be saved): nothing is sent. */
    private void failBeforeSending(Throwable error) {
        fail(new InkitException(
                InkitException.Kind.UNEXPECTED,
                "Launching " + LaunchMessages.describe(request) + " was given up before anything was sent ("
                        + error.getClass().getName() + "); nothing was launched.",
                0,
                null,
                null,
                true));
    }

    @Override
    void thrown(Throwable t) {
        String what = "an unexpected " + t.getClass().getName() + "; the details were logged";
        fail(
                mayHaveSent()
                        ? LaunchMessages.uncertain(request, what, 0)
                        : new InkitException(
                                InkitException.Kind.UNEXPECTED,
                                "Launching " + LaunchMessages.describe(request) + " failed unexpectedly ("
                                        + t.getClass().getName()
                                        + ") before anything was sent; the details were logged.",
                                0,
                                null,
                                null,
                                true));
    }

    @Override
    void refused() {
        fail(new InkitException(
                InkitException.Kind.UNEXPECTED,
                "The launch of " + LaunchMessages.describe(request)
                        + " could not be queued: the executor is shut down. Nothing was launched.",
                0,
                null,
                null,
                true));
    }

    @Override
    void deadlinePassed(Duration queued) {
        fail(
                mayHaveSent()
                        ? LaunchMessages.uncertain(request, "the time limit passed before Inkit answered", 0)
                        : timedOut());
    }

    private void fail(InkitException e) {
        if (claimEnd()) {
            tell(() -> listener.failed(e));
        }
    }
}
