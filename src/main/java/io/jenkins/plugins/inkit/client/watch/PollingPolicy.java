package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * When to look at a batch next. Pure: it reads a {@link WatchState} and the time and performs no
 * I/O, so the plugin can drive it from Jenkins' timer, the command line from a plain scheduler,
 * and the benchmark from a simulated clock.
 *
 * <ul>
 *   <li>The first look is at once. The second is at the end of the first look's {@link
 *       FinishEstimate} when that can be trusted (see {@link #trusts}), so that a steady short
 *       batch costs two requests; otherwise after {@link #minInterval()}.
 *   <li>While documents settle, the rate so far gives the time the batch should finish; the
 *       next look is a little after it (2 % and 2 s), but no later than the latest finish that the
 *       pace since the first look and the pace since creation allow, whole counts considered.
 *       A batch whose last interval was clearly slower keeps the 2 % and 2 s: it is slowing down.
 *       When the range of possible finishes is {@link #WIDE}, the next look is at its start.
 *   <li>While nothing moves, the interval doubles up to {@link #maxInterval()}.
 *   <li>No look is ever more than {@link #maxInterval()} after the previous one, nor later than
 *       the deadline: the last one is {@link #FINAL_LOOK_LEAD} before it (a quarter of a shorter
 *       timeout), so that its request can still be answered.
 * </ul>
 */
public final class PollingPolicy {

    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofMinutes(5);
    public static final Duration FINAL_LOOK_LEAD = Duration.ofSeconds(5);
    /** Looking this much later than the estimate absorbs small changes of pace. */
    static final double ESTIMATE_SLACK = 1.02;

    static final Duration ESTIMATE_MARGIN = Duration.ofSeconds(2);
    /**
     * An estimate's range wider than this does not aim a look inside it: the look goes to its start
     * instead (when that is a poll interval away or more). Measured at 3 to 60 s: from 20 s up, the
     * 5-minute stall and slow tail are no later than today, at 2 % more requests (docs/performance.md).
     */
    static final Duration WIDE = Duration.ofSeconds(30);
    /** Past the latest possible finish: the look's own request then surely sees it. */
    static final Duration LATEST_MARGIN = Duration.ofMillis(500);
    /**
     * A batch older than this at the first look may have waited in a queue before it was
     * processed, which makes its pace since creation look slower than it is: the second look does
     * not trust it. A wait that starts with the launch sees the batch a second or two old.
     */
    static final Duration YOUNG = Duration.ofSeconds(2);
    /**
     * The first look's range must be at most this wide to be trusted: a narrower range also
     * bounds how far a short queue or a clock that is a little off can push the look past the finish.
     */
    static final Duration PRECISE = Duration.ofSeconds(2);

    public static final PollingPolicy DEFAULT = new PollingPolicy(DEFAULT_MIN_INTERVAL, DEFAULT_MAX_INTERVAL);

    private final Duration minInterval;
    private final Duration maxInterval;

    public PollingPolicy(Duration minInterval, Duration maxInterval) {
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
    }

    /** A policy from user settings, {@code null} meaning the default, with a clear message for bad ones. */
    public static PollingPolicy of(Duration minInterval, Duration maxInterval) throws InkitException {
        Duration min = minInterval == null ? DEFAULT_MIN_INTERVAL : minInterval;
        Duration max = maxInterval == null
                ? (min.compareTo(DEFAULT_MAX_INTERVAL) > 0 ? min : DEFAULT_MAX_INTERVAL)
                : maxInterval;
        if (min.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InkitException(
                    InkitException.Kind.INVALID_INPUT,
                    "The poll interval is " + Durations.format(min) + "; it must be at least 1 second.");
        }
        if (max.compareTo(min) < 0) {
            throw new InkitException(
                    InkitException.Kind.INVALID_INPUT,
                    "The maximum poll interval (" + Durations.format(max) + ") is shorter than the poll interval ("
                            + Durations.format(min) + "); make it at least as long.");
        }
        return new PollingPolicy(min, max);
    }

    public Duration minInterval() {
        return minInterval;
    }

    public Duration maxInterval() {
        return maxInterval;
    }

    /** What to do next. */
    public Decision decide(WatchState state, Instant now) {
        Instant deadline = state.deadline();
        Instant lastLook = state.lastLook();
        if (lastLook == null) {
            return now.isBefore(deadline) ? Decision.lookAt(now) : Decision.deadlinePassed();
        }
        if (!state.waiting() || state.lastBatch().isFinished()) {
            return Decision.done();
        }
        if (!now.isBefore(deadline)) {
            return Decision.deadlinePassed();
        }
        Instant at = lastLook.plus(interval(state));
        Instant finalLook = deadline.minus(finalLookLead(state));
        if (at.isAfter(finalLook)) {
            if (!lastLook.isBefore(finalLook)) {
                return Decision.deadlinePassed();
            }
            at = finalLook;
        }
        return Decision.lookAt(at.isBefore(now) ? now : at);
    }

    /** {@link #FINAL_LOOK_LEAD}, or a quarter of a shorter timeout. */
    static Duration finalLookLead(WatchState state) {
        Duration quarter = Duration.between(state.start(), state.deadline()).dividedBy(4);
        return quarter.compareTo(FINAL_LOOK_LEAD) < 0 ? quarter : FINAL_LOOK_LEAD;
    }

    /** The time from the last look to the next. */
    Duration interval(WatchState state) {
        double rate = state.settleRatePerMilli();
        FinishEstimate estimate = state.estimate();
        Duration toLatest = estimate == null || estimate.latest() == null
                ? null
                : Duration.between(state.lastLook(), estimate.latest()).plus(LATEST_MARGIN);
        Duration interval;
        if (state.looks() == 1 && trusts(estimate)) {
            interval = toLatest;
        } else if (state.progressedAtLastLook() && rate > 0) {
            Batch batch = state.lastBatch();
            long remaining = Math.max(0, batch.expectedDocuments() - batch.settledDocuments());
            double guess = remaining / rate * ESTIMATE_SLACK;
            interval = Duration.ofMillis((long) Math.min(guess, maxInterval.toMillis()))
                    .plus(ESTIMATE_MARGIN);
            if (toLatest != null && toLatest.compareTo(interval) < 0) {
                interval = toLatest;
            }
            // A wide range: a look aimed inside it may miss the end by much of it, while one at
            // its start costs a request and lets the next aim narrowly.
            if (estimate != null && isWide(estimate)) {
                Duration toEarliest = Duration.between(state.lastLook(), estimate.earliest());
                if (toEarliest.compareTo(minInterval) >= 0 && toEarliest.compareTo(interval) < 0) {
                    interval = toEarliest;
                }
            }
        } else {
            Duration last = state.lastInterval();
            interval = last == null ? minInterval : last.multipliedBy(2);
        }
        if (interval.compareTo(minInterval) < 0) {
            return minInterval;
        }
        return interval.compareTo(maxInterval) > 0 ? maxInterval : interval;
    }

    /** A range wider than {@link #WIDE}, or with no latest end (a batch slowing down). */
    static boolean isWide(FinishEstimate estimate) {
        return estimate.latest() == null
                || Duration.between(estimate.earliest(), estimate.latest()).compareTo(WIDE) > 0;
    }

    /**
     * Whether the first look's estimate may set the second look: made from the batch's creation
     * (dated by the server's clock), on a batch that was young then, and precise.
     */
    static boolean trusts(FinishEstimate estimate) {
        return estimate != null
                && estimate.basis() == FinishEstimate.Basis.CREATION
                && estimate.latest() != null
                && estimate.age() != null
                && estimate.age().compareTo(YOUNG) <= 0
                && Duration.between(estimate.earliest(), estimate.latest()).compareTo(PRECISE) <= 0;
    }

    /** The policy's answer: look at a time, or stop. */
    public static final class Decision {

        public enum Kind {
            LOOK,
            /** The batch is finished, or this was a single check. */
            DONE,
            DEADLINE_PASSED
        }

        private final Kind kind;
        private final Instant at;

        private Decision(Kind kind, Instant at) {
            this.kind = kind;
            this.at = at;
        }

        static Decision lookAt(Instant at) {
            return new Decision(Kind.LOOK, at);
        }

        static Decision done() {
            return new Decision(Kind.DONE, null);
        }

        static Decision deadlinePassed() {
            return new Decision(Kind.DEADLINE_PASSED, null);
        }

        public Kind kind() {
            return kind;
        }

        /** When to look, for {@link Kind#LOOK}. */
        public Instant at() {
            return at;
        }

        @Override
        public String toString() {
            return kind == Kind.LOOK ? "look at " + at : kind.toString();
        }
    }
}
