package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.watch.BatchLaunch;
import java.time.Duration;

/**
 * What is left of a command's {@code --timeout}, which counts from the command's start and covers
 * reading its files. Measured on the monotonic clock: a wall clock set back or forward while a file
 * is read changes nothing.
 */
final class TimeLeft {

    private final Duration timeout;
    private final long startNanos = System.nanoTime();

    TimeLeft(Duration timeout) {
        this.timeout = timeout;
    }

    Duration left() {
        return timeout.minusNanos(System.nanoTime() - startNanos);
    }

    /**
     * What is left for a request and what follows it; bad input when less than a request's lead
     * ({@link BatchLaunch#requestLead}) is left after reading the files, so that a launch is never
     * sent with too little time to learn its outcome.
     *
     * @param what what used the time: "reading the flows file"
     * @param outcome what that means: "nothing was launched"
     */
    Duration forRequests(String what, String outcome) throws InkitException {
        Duration left = left();
        if (left.compareTo(BatchLaunch.requestLead(timeout)) < 0) {
            throw new InkitException(
                    InkitException.Kind.INVALID_INPUT,
                    "The timeout of " + Durations.format(timeout) + " was used up " + what
                            + ", leaving too little for Inkit: " + outcome + ". Raise --timeout, or give the"
                            + " files from a faster file system.");
        }
        return left;
    }
}
