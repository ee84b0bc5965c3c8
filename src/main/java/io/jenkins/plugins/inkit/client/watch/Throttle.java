package io.jenkins.plugins.inkit.client.watch;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Runs each key's task at most once per interval, on the executor given, the last request always
 * honoured: a request while a run is pending joins it (the latest task is the one run), a request
 * soon after a run waits out the interval. The Jenkins steps save a build this way, so that a
 * {@code parallel} over hundreds of batches does not rewrite the same files at every change.
 */
public final class Throttle {

    private final Scheduler scheduler;
    private final Executor executor;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final Map<Object, Entry> entries = new HashMap<>();

    /** A run pending longer than the interval and this was dropped by its scheduler: it is not waited for. */
    static final Duration STALE = Duration.ofSeconds(30);

    private static final class Entry {
        Runnable task;
        boolean pending;
        /** {@link #nanoTime} when the pending run was asked for. */
        long pendingSince;
        /** {@link #nanoTime} of the last run's start, or {@code null} before the first. */
        Long lastRun;
    }

    public Throttle(Scheduler scheduler, Executor executor, Duration interval) {
        this(scheduler, executor, interval, System::nanoTime);
    }

    Throttle(Scheduler scheduler, Executor executor, Duration interval, LongSupplier nanoTime) {
        this.scheduler = scheduler;
        this.executor = executor;
        this.interval = interval;
        this.nanoTime = nanoTime;
    }

    /** Runs {@code task} for {@code key} as soon as the interval allows, unless a run is pending: then that run runs it. */
    public void request(Object key, Runnable task) {
        Duration delay;
        synchronized (this) {
            Entry e = entries.computeIfAbsent(key, k -> new Entry());
            e.task = task;
            long now = nanoTime.getAsLong();
            if (e.pending && now - e.pendingSince < interval.plus(STALE).toNanos()) {
                return;
            }
            e.pending = true;
            e.pendingSince = now;
            long waited = e.lastRun == null ? interval.toNanos() : nanoTime.getAsLong() - e.lastRun;
            delay = waited >= interval.toNanos() ? Duration.ZERO : interval.minusNanos(waited);
        }
        try {
            if (delay.isZero()) {
                executor.execute(() -> run(key));
            } else {
                scheduler.schedule(() -> executor.execute(() -> run(key)), delay);
            }
        } catch (RuntimeException e) {
            // Not scheduled (a scheduler shutting down): the next request must not wait for this one.
            synchronized (this) {
                entries.get(key).pending = false;
            }
            throw e;
        }
    }

    /**
     * Forgets every key, pending ones included: for when the scheduler stops (Jenkins shuts down and its
     * timer drops what was scheduled), so that no key waits for a run that will never come.
     */
    public synchronized void reset() {
        entries.clear();
    }

    /** How many keys are remembered: pending, or run within the last interval. */
    synchronized int size() {
        return entries.size();
    }

    private void run(Object key) {
        Runnable task;
        synchronized (this) {
            Entry e = entries.get(key);
            if (e == null || !e.pending) {
                return;
            }
            e.pending = false;
            e.lastRun = nanoTime.getAsLong();
            task = e.task;
        }
        try {
            task.run();
        } finally {
            // Forgotten once the interval is over with nothing pending, so that old keys do not pile up.
            scheduler.schedule(() -> forget(key), interval);
        }
    }

    private synchronized void forget(Object key) {
        Entry e = entries.get(key);
        if (e != null && !e.pending && nanoTime.getAsLong() - e.lastRun >= interval.toNanos()) {
            entries.remove(key);
        }
    }
}
