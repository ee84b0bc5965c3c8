package io.jenkins.plugins.inkit.client;

import io.jenkins.plugins.inkit.client.watch.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scheduler for tests that records what it is given and runs nothing by itself: {@link #runNext()}
 * moves the clock to the earliest task still due and runs it, so that a test walks a watch or a
 * launch through time step by step.
 */
public final class ManualScheduler implements Scheduler {

    /** A task, when it is due, the delay it was given, and whether it was called off. */
    public record Scheduled(Runnable task, Instant due, Duration delay, boolean[] cancelled) {
        public boolean isCancelled() {
            return cancelled[0];
        }
    }

    private final MutableClock clock;
    private final List<Scheduled> tasks = new ArrayList<>();

    public ManualScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        tasks.add(new Scheduled(task, clock.instant().plus(delay), delay, cancelled));
        return () -> cancelled[0] = true;
    }

    /** The earliest task not called off, or {@code null}. */
    public synchronized Scheduled peek() {
        return tasks.stream()
                .filter(s -> !s.isCancelled())
                .min(Comparator.comparing(Scheduled::due))
                .orElse(null);
    }

    /** Whether no task is left that was not called off. */
    public boolean isEmpty() {
        return peek() == null;
    }

    public synchronized void clear() {
        tasks.clear();
    }

    /** Moves the clock to the earliest task (never back) and runs it; returns the delay it was given. */
    public Duration runNext() {
        Scheduled next;
        synchronized (this) {
            next = peek();
            if (next == null) {
                throw new AssertionError("nothing is scheduled");
            }
            tasks.remove(next);
        }
        if (next.due().isAfter(clock.instant())) {
            clock.set(next.due());
        }
        next.task().run();
        return next.delay();
    }
}
