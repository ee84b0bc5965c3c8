package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.BatchIds;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
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

    /**
     * @param waiting {@code false} for a single check (with retries), {@code true} to wait until finished
     * @param timeout the limit for everything, retries and waiting included
     */
    public WatchState(String batchId, boolean waiting, Instant start, Duration timeout) throws InkitException {
        this.batchId = BatchIds.requireValid(batchId);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InkitException(InkitException.Kind.INVALID_INPUT, "The timeout must be longer than zero.");
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

    /** Records an answer from Inkit. */
    public synchronized void recordLook(Batch batch, Instant at) {
        long now = at.toEpochMilli();
        long settled = batch.settledDocuments();
        long expected = batch.expectedDocuments();
        progressedAtLastLook = lastBatch != null && settled > lastBatch.settledDocuments();
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

    private synchronized void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
    }
}
