package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.client.watch.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two threads a core operation (a watch or a launch) runs on, and the wait for its end: what the
 * check and the launch share. Daemon threads, so that they never keep the process alive.
 */
final class CoreThreads implements AutoCloseable {

    /** How long past its timeout the command waits for the operation to end before giving up on it. */
    static final Duration BACKSTOP = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("inkit-timer"));
    private final ExecutorService io = Executors.newSingleThreadExecutor(daemon("inkit-io"));

    Scheduler scheduler() {
        return Scheduler.of(timer);
    }

    ExecutorService io() {
        return io;
    }

    /**
     * The operation's end, or {@code null} when it did not come within its timeout and the backstop:
     * the core ends itself by its deadline, so this bound only guards against a bug that would not.
     */
    static <T> T await(CompletableFuture<T> end, Duration timeout) throws InterruptedException {
        try {
            return end.get(timeout.plus(BACKSTOP).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            // Only ever completed normally, by the operation's listener.
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        io.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
