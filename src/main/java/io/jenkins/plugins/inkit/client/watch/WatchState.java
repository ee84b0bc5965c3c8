package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.BatchIds;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Everything a wait on one batch has to remember, small and free of secrets so that Jenkins can
 * save it with the build's program and a restarted controller can go on toward the same
 * deadline. Times are wall-clock milliseconds for that reason.
 */
public final class WatchState implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The longest a check or wait may last: longer is a typing mistake, and would overflow time arithmetic. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(30);

    private final String batchId;
    private final boolean waiting;
    private final long startMillis;
    private final long deadlineMillis;

    private Batch lastBatch;
    private long lastLookMillis = -1;
    private long previousLookMillis = -1;
    private boolean progressedAtLastLook;
    /** The observation the progress rate is measured from. */
    private long rateFromMillis = -1;

    private long rateFromSettled;
    private long rateFromExpected;
    private int looks;
    private int consecutiveFailures;
    // The fields below came later: a state saved before them reads 0, which means "unknown".
    /** The look before the last, and what had settled then, for the recent pace; 0: none. */
    private long recentFromMillis;

    private long recentFromSettled;
    /**
     * When the batch was created, on this machine's clock (the later end, corrected by the answer's
     * Date), and how much earlier it may have been; 0: unknown.
     */
    private long createdMillis;

    private long createdSpreadMillis;
    /** How far from the last look Inkit may have counted, either way: half its exchange; 0 in older states. */
    private long lastDatingMillis;

    /**
     * @param waiting {@code false} for a single check (with retries), {@code true} to wait until finished
     * @param timeout the limit for everything, retries and waiting included
     */
    public WatchState(String batchId, boolean waiting, Instant start, Duration timeout) throws InkitException {
        this.batchId = BatchIds.requireValid(batchId);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InkitException(InkitException.Kind.INVALID_INPUT, "The timeout must be longer than zero.");
        }
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new InkitException(
                    InkitException.Kind.INVALID_INPUT,
                    "The timeout is " + Durations.format(timeout) + "; a wait may last at most "
                            + Durations.format(MAX_TIMEOUT) + " (30 days).");
        }
        this.waiting = waiting;
        this.startMillis = start.toEpochMilli();
        this.deadlineMillis = start.plus(timeout).toEpochMilli();
    }

    public String batchId() {
        return batchId;
    }

    public boolean waiting() {
        return waiting;
    }

    public Instant start() {
        return Instant.ofEpochMilli(startMillis);
    }

    public Instant deadline() {
        return Instant.ofEpochMilli(deadlineMillis);
    }

    public synchronized Batch lastBatch() {
        return lastBatch;
    }

    public synchronized int looks() {
        return looks;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** When the batch was last read, or {@code null} before the first answer. */
    public synchronized Instant lastLook() {
        return lastLookMillis < 0 ? null : Instant.ofEpochMilli(lastLookMillis);
    }

    /** The time between the last two reads, or {@code null} before the second. */
    synchronized Duration lastInterval() {
        return previousLookMillis < 0 ? null : Duration.ofMillis(lastLookMillis - previousLookMillis);
    }

    synchronized boolean progressedAtLastLook() {
        return progressedAtLastLook;
    }

    /**
     * Settled documents per millisecond since the rate's reference observation, or 0 when
     * nothing can be said yet.
     */
    synchronized double settleRatePerMilli() {
        if (lastBatch == null || rateFromMillis < 0 || lastLookMillis <= rateFromMillis) {
            return 0;
        }
        long gained = lastBatch.settledDocuments() - rateFromSettled;
        return gained <= 0 ? 0 : (double) gained / (lastLookMillis - rateFromMillis);
    }

    /**
     * When the batch should finish at the pace seen so far, or {@code null} while nothing has
     * settled (and once it is finished). For people and for the {@link PollingPolicy}.
     */
    public synchronized FinishEstimate estimate() {
        return FinishEstimate.of(
                lastBatch,
                lastLookMillis,
                rateFromMillis,
                rateFromSettled,
                recentFromMillis,
                recentFromSettled,
                createdMillis,
                createdSpreadMillis,
                lastDatingMillis);
    }

    /** Records an answer from Inkit whose time on the server's clock is unknown. */
    public synchronized void recordLook(Batch batch, Instant at) {
        recordLook(batch, at, null);
    }

    /** Records an answer from Inkit that took no time to come, as far as this clock can tell. */
    public synchronized void recordLook(Batch batch, Instant at, Instant serverTime) {
        recordLook(batch, at, at, serverTime);
    }

    /**
     * Records an answer from Inkit. Inkit counted somewhere between the request and the answer, so
     * the look is dated at the middle of the exchange: an answer that takes seconds must not push
     * the next look later by all of them.
     *
     * @param sent when the request left, on this machine's clock
     * @param arrived when the answer arrived, on this machine's clock
     * @param serverTime the time its {@code Date} header gave, or {@code null}: with the batch's
     *     creation time, it dates the batch on this machine's clock, so that the first look already
     *     gives an estimate
     */
    public synchronized void recordLook(Batch batch, Instant sent, Instant arrived, Instant serverTime) {
        // A clock set back during the exchange leaves its length unknown: the look is dated at the
        // answer, and the exchange says nothing of when Inkit counted.
        boolean timed = !arrived.isBefore(sent);
        Duration exchange = timed ? Duration.between(sent, arrived) : Duration.ZERO;
        Instant at = timed ? sent.plus(exchange.dividedBy(2)) : arrived;
        long now = at.toEpochMilli();
        lastDatingMillis = (exchange.toMillis() + 1) / 2;
        long settled = batch.settledDocuments();
        long expected = batch.expectedDocuments();
        progressedAtLastLook = lastBatch != null && settled > lastBatch.settledDocuments();
        if (createdMillis <= 0) {
            long[] created = FinishEstimate.creation(batch.createdAt(), at, timed ? sent : null, arrived, serverTime);
            if (created != null) {
                createdMillis = created[0];
                createdSpreadMillis = created[1];
            }
        }
        if (lastBatch != null) {
            recentFromMillis = lastLookMillis;
            recentFromSettled = lastBatch.settledDocuments();
        }
        // The rate is measured from the first answer, and measured afresh whenever the batch's
        // size changes or its counts go back: a rate across such a change means nothing.
        if (rateFromMillis < 0 || expected != rateFromExpected || settled < rateFromSettled) {
            rateFromMillis = now;
            rateFromSettled = settled;
            rateFromExpected = expected;
        }
        previousLookMillis = lastLookMillis;
        lastLookMillis = now;
        lastBatch = batch;
        looks++;
        consecutiveFailures = 0;
    }

    /** Records a failed attempt that will be retried; returns how many failed in a row. */
    public synchronized int recordFailure() {
        return ++consecutiveFailures;
    }

    /**
     * Why the time ran out, for people: how long, what was seen last, the failure that used up the
     * time, and, when the backstop ended the wait, that the last look never left this machine.
     *
     * @param queued how long the last look had waited for a request thread, or {@code null}
     * @param started whether that look had left the queue, late, or was still in it
     */
    public InkitException timedOut(InkitException last, Duration queued, boolean started) {
        StringBuilder message = new StringBuilder("Inkit batch ").append(batchId);
        message.append(waiting ? " did not finish within " : " could not be read within ")
                .append(Durations.format(Duration.between(start(), deadline())))
                .append('.');
        Batch seen = lastBatch();
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
        if (queued != null) {
            message.append(" The last look had waited ")
                    .append(Durations.format(queued))
                    .append(" for a free request thread here")
                    .append(started ? ", which left it too little time" : " and was never sent")
                    .append(": more requests to Inkit were under way than there are threads for them, so this is"
                            + " not Inkit's delay.");
        }
        if (last != null) {
            message.append(" Last error: ").append(last.getMessage());
        }
        return new InkitException(InkitException.Kind.TIMED_OUT, message.toString(), 0, null, last);
    }

    private synchronized void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
    }
}
