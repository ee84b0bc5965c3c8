package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocument;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.model.RunPage;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Names the failed documents of a finished batch: pages through Inkit's list of workflow runs,
 * newest first, keeping the failed runs whose {@code flows_batch_id} is the batch's, since the list
 * cannot be filtered by batch. Bounded: {@value #PAGE_SIZE} runs a page, and it stops when a page's
 * runs are all older than the batch (with {@link #SLACK} to spare), when the runs found account for
 * every failed document generation the batch counts, when Inkit has no next page, or after
 * {@value #MAX_PAGES} pages; all before the deadline.
 *
 * <p>It is driven one {@link #step()} at a time, so that a retry's delay holds no thread: the
 * caller does the next step when the step says. Transient failures are retried as a single check
 * retries them: {@link RetryPolicy#maxRetries()} times in a row, {@code Retry-After} honoured,
 * never past the deadline, a host name that does not resolve once. A step never throws: whatever
 * goes wrong ends the look-up with what was found and why it is incomplete. Nothing here changes
 * the verdict on the batch.
 */
final class FailedDocumentsLookup {

    static final int PAGE_SIZE = 100;
    static final int MAX_PAGES = 10;
    /** Runs older than the batch's creation by more than this are not the batch's. */
    static final Duration SLACK = Duration.ofMinutes(1);
    /** With less time than this left, the look-up is not started and no retry is made. */
    static final Duration LEAST_TIME = Duration.ofSeconds(2);

    static final String NO_TIME = "no time was left to look them up.";

    /**
     * The look-up's own limit, within the step's: the verdict is known already, and a slow run
     * list must not keep a check (and its executor, inside {@code node}) for the rest of its timeout.
     */
    static final Duration BUDGET = Duration.ofMinutes(2);

    /** Retries in a row of one page: fewer than a check's, for the same reason. */
    static final int MAX_RETRIES = 2;

    /** At most this many failed documents are kept, shown and returned; the rest are counted. */
    static final int MAX_DOCUMENTS = 100;

    private static final Logger LOGGER = Logger.getLogger(FailedDocumentsLookup.class.getName());

    /**
     * What to do after a step: the look-up is over with {@link #result()}, or the next step is due
     * after {@link #delay()}, with a {@link #line()} for people (a retry) or {@code null}.
     */
    record Step(FailedDocuments result, Duration delay, String line) {
        static Step done(FailedDocuments result) {
            return new Step(result, null, null);
        }

        static Step after(Duration delay, String line) {
            return new Step(null, delay, line);
        }

        boolean isDone() {
            return result != null;
        }
    }

    private final InkitClient client;
    private final TokenSource tokens;
    private final Batch batch;
    private final Instant deadline;
    private final RetryPolicy retries;
    private final Clock clock;
    private final Cancellation cancellation;
    /** Runs created before this are not the batch's; {@code null} when the batch's creation time is unknown. */
    private final Instant oldest;

    private final List<FailedDocument> found = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private long foundGenerations;
    private int unreadable;
    private int beyondLimit;
    private int page = 1;
    private int failuresInRow;
    private InkitException lastFailure;

    FailedDocumentsLookup(
            InkitClient client,
            TokenSource tokens,
            Batch batch,
            Instant deadline,
            RetryPolicy retries,
            Clock clock,
            Cancellation cancellation) {
        this.client = client;
        this.tokens = tokens;
        this.batch = batch;
        Instant ownLimit = clock.instant().plus(BUDGET);
        this.deadline = ownLimit.isBefore(deadline) ? ownLimit : deadline;
        this.retries = retries;
        this.clock = clock;
        this.cancellation = cancellation;
        this.oldest = createdAt(batch);
    }

    /** Whether there is time enough left to start. */
    boolean hasTime() {
        return Duration.between(clock.instant(), deadline).compareTo(LEAST_TIME) >= 0;
    }

    /** Reads the next page, or gives up; never throws. */
    Step step() {
        try {
            return nextPage();
        } catch (Throwable t) {
            LOGGER.log(
                    Level.WARNING,
                    "Naming the failed documents of Inkit batch " + batch.id() + " failed",
                    SafeThrowables.of(t));
            return done(
                    "looking them up failed unexpectedly (" + t.getClass().getName() + "); the details were logged.");
        }
    }

    private Step nextPage() {
        if (cancellation.isCancelled()) {
            return done("the look-up was cancelled.");
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            return done(timeUp());
        }
        RunPage runs;
        try {
            runs = client.fetchRuns(page, PAGE_SIZE, tokens, left, cancellation);
        } catch (InkitException e) {
            return failedPage(e);
        }
        failuresInRow = 0;
        lastFailure = null;
        boolean allOlder = !runs.runs().isEmpty();
        for (RunPage.Run run : runs.runs()) {
            if (oldest == null || run.created() == null || !run.created().isBefore(oldest)) {
                allOlder = false;
            }
            take(run);
        }
        if (foundGenerations >= batch.failedDocuments()) {
            return Step.done(all());
        }
        if (allOlder || !runs.hasNext()) {
            return Step.done(endOfBatch());
        }
        if (page >= MAX_PAGES) {
            return done("the look-up stopped after " + MAX_PAGES + " pages of " + PAGE_SIZE
                    + " workflow runs, the most it reads, before reaching the batch's first run.");
        }
        page++;
        return Step.after(Duration.ZERO, null);
    }

    /** Keeps the run if it is a failed one of the batch; counts it if it cannot be read. */
    private void take(RunPage.Run run) {
        if (run.unreadable() != null) {
            if (run.batchId() == null || run.batchId().equals(batch.id())) {
                unreadable++;
                LOGGER.log(Level.FINE, "A workflow run in Inkit''s list could not be read: {0}", run.unreadable());
            }
            return;
        }
        if (!batch.id().equals(run.batchId()) || !run.failed() || !seen.add(run.id())) {
            return;
        }
        if (found.size() < MAX_DOCUMENTS) {
            found.add(run.toFailedDocument());
        } else {
            beyondLimit++;
        }
        foundGenerations += Math.max(1, run.failedDestinations().size());
    }

    /** Complete, or, past {@link #MAX_DOCUMENTS}, incomplete saying how many more there are. */
    private FailedDocuments all() {
        return beyondLimit == 0
                ? FailedDocuments.complete(found)
                : FailedDocuments.incomplete(
                        found,
                        "only the newest " + MAX_DOCUMENTS + " are listed; " + beyondLimit + " more failed in Inkit's"
                                + " list of workflow runs.");
    }

    /** The whole batch was read: complete, unless runs could not be read or fewer failures were found than counted. */
    private FailedDocuments endOfBatch() {
        if (unreadable > 0) {
            return FailedDocuments.incomplete(
                    found,
                    unreadable + " workflow run" + (unreadable == 1 ? "" : "s")
                            + " in Inkit's list could not be read (an unknown shape).");
        }
        if (foundGenerations < batch.failedDocuments()) {
            return FailedDocuments.incomplete(
                    found,
                    "Inkit's list of workflow runs shows " + foundGenerations + " of the " + batch.failedDocuments()
                            + " failed document generations the batch counts.");
        }
        return all();
    }

    private Step failedPage(InkitException e) {
        if (cancellation.isCancelled()) {
            return done("the look-up was cancelled.");
        }
        if (e.kind() == InkitException.Kind.TIMED_OUT) {
            return done(timeUp());
        }
        if (!e.isRetryable()) {
            return done(e.getMessage());
        }
        int limit = e.kind() == InkitException.Kind.UNKNOWN_HOST ? 1 : Math.min(MAX_RETRIES, retries.maxRetries());
        RetryPolicy.Decision decision =
                retries.decide(e, ++failuresInRow, limit, Duration.between(clock.instant(), deadline), LEAST_TIME);
        lastFailure = e;
        return switch (decision.kind()) {
            case TOO_MANY -> done(e.getMessage() + " Gave up after " + decision.retry() + " attempts in a row.");
            case ASKED_TOO_LONG -> done(decision.askedTooLong() + ". Last error: " + e.getMessage());
            case NO_TIME -> done(timeUp());
            case RETRY ->
                Step.after(
                        decision.delay(),
                        "Listing workflow runs to name the failed documents: " + e.getMessage() + " Trying again in "
                                + Durations.format(decision.delay()) + " " + decision.counted() + ".");
        };
    }

    private String timeUp() {
        return "the time limit passed while listing workflow runs."
                + (lastFailure == null ? "" : " Last error: " + lastFailure.getMessage());
    }

    private Step done(String why) {
        return Step.done(FailedDocuments.incomplete(found, why));
    }

    private static Instant createdAt(Batch batch) {
        if (batch.createdAt() == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(batch.createdAt().strip()).toInstant().minus(SLACK);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
