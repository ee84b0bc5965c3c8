package io.jenkins.plugins.inkit.client.watch;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;

/** What a {@link BatchWatch} reports. Called from the scheduler's or the executor's threads. */
public interface WatchListener {
    /** A line for people: the batch changed, or a retry is coming. */
    default void progress(String line) {}

    /** The state changed and is worth saving. */
    default void stateChanged() {}

    /**
     * After every look: when the batch should finish, as far as the looks so far tell, or {@code null}
     * when nothing says (nothing settled yet, or finished). It moves at every look, the counts or not.
     */
    default void estimated(FinishEstimate estimate) {}

    /**
     * The check or wait is over and the batch is as given. Called only through
     * {@link #finished(Batch, FailedDocuments)}, whose default calls this.
     */
    void finished(Batch batch);

    /**
     * The check or wait is over and the batch is as given; this is what the watch calls.
     *
     * @param failed when the batch has failed documents, which ones, as far as Inkit's list of
     *     workflow runs told before the deadline (never {@code null} then, but perhaps
     *     incomplete); {@code null} when the batch has no failed document, so nothing was looked up
     */
    default void finished(Batch batch, FailedDocuments failed) {
        finished(batch);
    }

    /** The check or wait failed; the message says why and never contains the token. */
    void failed(InkitException error);
}
