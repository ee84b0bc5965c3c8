package io.jenkins.plugins.inkit.client.watch;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Wakes a watch or a launch later. The plugin passes Jenkins' timer, the command line a plain one. */
@FunctionalInterface
public interface Scheduler {

    /** Runs {@code task} after {@code delay}, on the scheduler's thread: it must hand any I/O elsewhere. */
    Cancellable schedule(Runnable task, Duration delay);

    static Scheduler of(ScheduledExecutorService executor) {
        return (task, delay) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        };
    }

    /** What was scheduled, or anything else that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
