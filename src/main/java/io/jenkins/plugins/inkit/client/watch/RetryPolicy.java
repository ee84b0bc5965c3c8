package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.text.Durations;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying again after a transient failure: capped exponential backoff with
 * "equal jitter" (half fixed, half random, so that many waits failing together spread out), or
 * what Inkit asked for with {@code Retry-After} when that is longer. How many tries there are is
 * the caller's to decide: a single check gives up after {@link #maxRetries()} failures in a row, a
 * wait goes on until its deadline.
 */
public final class RetryPolicy {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 6, Math::random);

    private final Duration base;
    private final Duration cap;
    private final int maxRetries;
    private final DoubleSupplier random;

    /** @param random values in [0, 1), injected so that tests are deterministic */
    public RetryPolicy(Duration base, Duration cap, int maxRetries, DoubleSupplier random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || maxRetries < 0) {
            throw new IllegalArgumentException("base > 0, cap >= base, maxRetries >= 0");
        }
        this.base = base;
        this.cap = cap;
        this.maxRetries = maxRetries;
        this.random = random;
    }

    /** Retries in a row for a single check; a wait is bounded by its deadline instead. */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * The delay before retry number {@code retry} (1 for the first): the backoff, or
     * {@code retryAfter} when that is longer. Never more than the caller's deadline allows: that
     * is the caller's to cap.
     */
    public Duration delayBefore(int retry, Duration retryAfter) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry " + retry + " < 1");
        }
        long ceiling = Math.min(base.toMillis() << Math.min(retry - 1, 20), cap.toMillis());
        long half = ceiling / 2;
        Duration backoff = Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    /**
     * Whether to try again after a retryable failure, and when: the one decision a watch, a launch and
     * the failed-documents look-up share.
     *
     * @param retry the number of this retry, 1 for the first
     * @param limit the most retries in a row this caller allows
     * @param left the time left before the caller's deadline
     * @param lead the time the retry's own request needs before that deadline
     */
    public Decision decide(InkitException failure, int retry, int limit, Duration left, Duration lead) {
        if (retry > limit) {
            return new Decision(Decision.Kind.TOO_MANY, null, retry, limit, left);
        }
        Duration latest = left.minus(lead);
        Duration asked = failure.retryAfter();
        if (asked != null && asked.compareTo(latest) > 0) {
            return new Decision(Decision.Kind.ASKED_TOO_LONG, asked, retry, limit, left);
        }
        if (latest.isNegative() || latest.isZero()) {
            return new Decision(Decision.Kind.NO_TIME, null, retry, limit, left);
        }
        Duration delay = delayBefore(retry, asked);
        return new Decision(Decision.Kind.RETRY, delay.compareTo(latest) > 0 ? latest : delay, retry, limit, left);
    }

    /**
     * What {@link #decide} decided.
     *
     * @param delay for {@link Kind#RETRY}, how long to wait; for {@link Kind#ASKED_TOO_LONG}, what Inkit asked
     */
    public record Decision(Kind kind, Duration delay, int retry, int limit, Duration left) {

        public enum Kind {
            /** Try again after {@link #delay()}. */
            RETRY,
            /** The retries in a row are used up. */
            TOO_MANY,
            /** Inkit's {@code Retry-After} asks for longer than the time left. */
            ASKED_TOO_LONG,
            /** No time is left for another request. */
            NO_TIME
        }

        /** "Inkit asked to wait 2h before trying again (Retry-After), longer than the 5m left" */
        public String askedTooLong() {
            return "Inkit asked to wait " + Durations.format(delay)
                    + " before trying again (Retry-After), longer than the "
                    + Durations.format(left) + " left";
        }

        /** "(retry 2 of 6)", or "(retry 2, until the time limit)" for a caller without a limit. */
        public String counted() {
            return "(retry " + retry + (limit == Integer.MAX_VALUE ? ", until the time limit)" : " of " + limit + ")");
        }
    }
}
