package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What a {@link BatchLaunch} reports. Called from the scheduler's, the executor's or the preparation's threads. */
public interface LaunchListener {
    /** A line for people: a retry is coming. Never a merge parameter. */
    default void progress(String line) {}

    /**
     * Called on the I/O executor before each POST, which waits, holding no thread, for the stage
     * returned: the Jenkins step saves there that a request may be in flight, so that a restart
     * never takes a sent request for an unsent one. A stage that fails means nothing is sent; one
     * still pending at the deadline ends the launch, nothing sent either.
     */
    default CompletionStage<?> beforeSending() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The request did not launch the batch (Inkit answered 429, or it never left this machine) and is
     * tried again later: until the next {@link #beforeSending()}, nothing is on its way to Inkit.
     */
    default void notSending() {}

    /**
     * Inkit launched the batch. Called even when {@link BatchLaunch#cancel()} came while the request was in
     * flight: a batch that was launched must not be lost.
     */
    void launched(LaunchedBatch batch);

    /** The launch failed; {@link InkitException.Kind#LAUNCH_UNCERTAIN} when it may have happened. */
    void failed(InkitException error);
}
