package io.jenkins.plugins.inkit.cli.files;

import io.jenkins.plugins.inkit.client.text.Durations;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a read of the file system on a thread of its own and waits for it at most so long. Java
 * cannot interrupt a thread blocked in opening a file (a FIFO with no writer, a hung mount), so
 * the reader is a daemon thread that is interrupted and left behind when the time is up: it ends
 * when the file system answers, and never keeps the command from exiting.
 */
final class Deadline {

    /** A read that may throw what {@link InputFile} says of a file. */
    interface Read<T> {
        T run() throws InputFile.Unusable;
    }

    private Deadline() {}

    static <T> T within(Duration within, Read<T> read) throws InputFile.Unusable {
        FutureTask<T> task = new FutureTask<>(read::run);
        Thread reader = new Thread(task, "inkit-file-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            return task.get(Math.max(0, within.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reader.interrupt();
            throw new InputFile.Unusable("could not be read within " + Durations.format(within)
                    + ": the file system did not give it (a network mount that hangs, or a pipe with no writer)");
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
            throw new InputFile.Unusable("was not read: the command was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InputFile.Unusable unusable) {
                throw unusable;
            }
            if (cause instanceof Error error) {
                // Out of memory above all: the caller says what to do about it.
                throw error;
            }
            throw new InputFile.Unusable("cannot be read (" + cause.getClass().getSimpleName() + ")");
        }
    }
}
