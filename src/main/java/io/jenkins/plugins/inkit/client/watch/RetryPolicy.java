package io.jenkins.plugins.inkit.client.watch;

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
}
