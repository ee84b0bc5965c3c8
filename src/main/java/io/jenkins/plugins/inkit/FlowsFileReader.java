package io.jenkins.plugins.inkit;

import hudson.FilePath;
import hudson.model.Computer;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.json.FlowsFile;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a launch's flows file from the workspace on Jenkins' pool for remote calls, within the
 * step's time: an agent that hangs then holds neither the Pipeline's thread nor a request thread.
 * Read bounded, since it is read into the controller's memory.
 */
final class FlowsFileReader {

    private static final Logger LOGGER = Logger.getLogger(FlowsFileReader.class.getName());

    /**
     * The largest flows file read: less than the command line allows, since it is held in the
     * controller's memory. A larger batch is launched in parts, or with the command line.
     */
    static final long MAX_FLOWS_FILE_BYTES = 32L * 1024 * 1024;

    private final FilePath file;
    private final String flowsFile;
    private final String name;
    private final String description;

    /** Guards the read in progress, so that an abandoned read is let go without touching a later task. */
    private final Object lock = new Object();

    private volatile boolean abandoned;
    private Thread reading;
    private InputStream open;

    /** @param flowsFile the path as the step gave it, for messages */
    FlowsFileReader(FilePath workspace, String flowsFile, String name, String description) {
        this.file = workspace.child(flowsFile);
        this.flowsFile = flowsFile;
        this.name = name;
        this.description = description;
    }

    /** The request, or a failure whose {@link #whyNot} says what to fix; times out after {@code millis}. */
    CompletableFuture<LaunchRequest> read(long millis) {
        CompletableFuture<LaunchRequest> read = CompletableFuture.supplyAsync(
                        this::readOrFail, Computer.threadPoolForRemoting)
                .orTimeout(Math.max(1, millis), TimeUnit.MILLISECONDS);
        read.whenComplete((request, error) -> {
            if (error != null) {
                abandon();
            }
        });
        return read;
    }

    /**
     * Timed out or cancelled: the agent may still be sending, so the stream is closed and the
     * thread interrupted. That frees the thread from a remote call or a read; a thread blocked in
     * opening the file itself (a FIFO, a hung network mount) is freed only when the open returns,
     * and then reads nothing. The step has ended on time either way.
     */
    private void abandon() {
        InputStream stream;
        synchronized (lock) {
            abandoned = true;
            if (reading != null) {
                reading.interrupt(); // under the lock: the thread is still on this read
            }
            stream = open;
        }
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException | RuntimeException e) {
                LOGGER.log(Level.FINE, "Closing an abandoned flows file failed", SafeThrowables.of(e));
            }
        }
    }

    /** Why the flows file {@code flowsFile} (as the step gave it) could not be used, for the build's log. */
    static String whyNot(String flowsFile, Throwable error, int timeoutMinutes) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof InkitException bad) {
            return bad.getMessage();
        }
        if (e instanceof TimeoutException) {
            return Messages.InkitLaunchBatchStep_FlowsFileTimedOut(flowsFile, String.valueOf(timeoutMinutes));
        }
        if (e instanceof IOException || e instanceof InterruptedException) {
            return Messages.InkitLaunchBatchStep_FlowsFileUnreadable(
                    flowsFile, e.getClass().getName());
        }
        LOGGER.log(Level.WARNING, "Reading the flows file of an Inkit launch failed", SafeThrowables.of(e));
        return Messages.InkitLaunchBatchStep_Unexpected(e.getClass().getName());
    }

    private LaunchRequest readOrFail() {
        synchronized (lock) {
            if (abandoned) {
                throw new CompletionException(new InterruptedException("abandoned before it began"));
            }
            reading = Thread.currentThread();
        }
        try {
            return readChecked();
        } catch (IOException | InkitException e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } finally {
            synchronized (lock) {
                reading = null;
                open = null;
                if (abandoned) {
                    Thread.interrupted(); // the interrupt was for this read, not the pool's next task
                }
            }
        }
    }

    private LaunchRequest readChecked() throws IOException, InterruptedException, InkitException {
        if (!file.exists()) {
            throw invalid(Messages.InkitLaunchBatchStep_NoFlowsFile(flowsFile, file.getParent()));
        }
        long size = file.length();
        if (size > MAX_FLOWS_FILE_BYTES) {
            throw invalid(Messages.InkitLaunchBatchStep_FlowsFileTooLarge(
                    flowsFile, String.valueOf(size), String.valueOf(MAX_FLOWS_FILE_BYTES)));
        }
        // Parsed as it arrives, never held whole: the file may grow while it is read, so the limit holds too.
        try (InputStream in = new Limited(opened(file.read()))) {
            return FlowsFile.read(in, "the flows file '" + flowsFile + "'")
                    .withName(name)
                    .withDescription(description);
        } catch (TooLarge e) {
            throw invalid(Messages.InkitLaunchBatchStep_FlowsFileGrewTooLarge(
                    flowsFile, String.valueOf(MAX_FLOWS_FILE_BYTES)));
        }
    }

    /** Registers the stream so that {@link #abandon()} can close it; one abandoned meanwhile is closed at once. */
    private InputStream opened(InputStream stream) throws IOException {
        synchronized (lock) {
            if (!abandoned) {
                open = stream;
                return stream;
            }
        }
        stream.close();
        throw new IOException("the read was abandoned");
    }

    /**
     * A stream that refuses to give more than {@link #MAX_FLOWS_FILE_BYTES}, and stops at once
     * when the read is abandoned.
     */
    private final class Limited extends FilterInputStream {
        private long left = MAX_FLOWS_FILE_BYTES;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            stopIfAbandoned();
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new TooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            stopIfAbandoned();
            int n = super.read(buffer, offset, length);
            if (n > 0 && (left -= n) < 0) {
                throw new TooLarge();
            }
            return n;
        }

        private void stopIfAbandoned() throws IOException {
            if (abandoned) {
                throw new IOException("the read was abandoned");
            }
        }
    }

    /** The file grew past the limit while it was read. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static InkitException invalid(String message) {
        return new InkitException(InkitException.Kind.INVALID_INPUT, message);
    }
}
