package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import io.jenkins.plugins.inkit.client.model.FailedDocument;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jenkins.model.RunAction2;

/**
 * One batch a build checked, shown on the build's page as a table of its destinations and kept
 * with the build. It holds what Inkit said about the batch and whether the step is still waiting:
 * never a secret.
 */
public final class InkitBatchAction implements RunAction2 {

    private final String batchId;
    private Batch batch;
    private boolean waiting;
    private String outcome;
    /** The page says "in about 5 s" at its most precise: a smaller move of the estimate changes nothing shown. */
    static final long ESTIMATE_PRECISION_MILLIS = 5_000;

    /** When the batch should finish, in epoch milliseconds, while the step waits; 0 for no estimate. */
    private long estimatedFinishMillis;
    /** The failed documents Inkit's run list named, or {@code null}: never their merge parameters. */
    private FailedDocuments failedDocuments;

    private transient Run<?, ?> run;

    InkitBatchAction(String batchId) {
        this.batchId = batchId;
    }

    /** The action for {@code batchId} on {@code run}, added if the build has none yet. */
    static synchronized InkitBatchAction forBatch(Run<?, ?> run, String batchId) {
        for (InkitBatchAction action : run.getActions(InkitBatchAction.class)) {
            if (action.batchId.equals(batchId)) {
                return action;
            }
        }
        InkitBatchAction action = new InkitBatchAction(batchId);
        run.addAction(action);
        return action;
    }

    /** Records how a finished batch ended, with the failed documents named (or {@code null}); no I/O. */
    synchronized void finished(Batch finished, @CheckForNull FailedDocuments failed, String outcomeText) {
        record(finished, false, outcomeText);
        failedDocuments = failed;
    }

    /**
     * Records the latest answer without any I/O (see {@link BuildSaves} for saving it); true when
     * something a person would see changed.
     */
    synchronized boolean record(@CheckForNull Batch latest, boolean stillWaiting, @CheckForNull String outcomeText) {
        return record(latest, stillWaiting, outcomeText, null);
    }

    /** {@link #record(Batch, boolean, String)}, with when the batch should finish while the step waits. */
    synchronized boolean record(
            @CheckForNull Batch latest,
            boolean stillWaiting,
            @CheckForNull String outcomeText,
            @CheckForNull Instant estimatedFinish) {
        long estimate = stillWaiting && estimatedFinish != null ? estimatedFinish.toEpochMilli() : 0;
        // An estimate that moved by less than the page shows is not worth saving the build for.
        boolean sameEstimate = estimatedFinishMillis == estimate
                || (estimate != 0
                        && estimatedFinishMillis != 0
                        && Math.abs(estimate - estimatedFinishMillis) < ESTIMATE_PRECISION_MILLIS);
        boolean same = (latest == null || latest.sameProgressAs(batch))
                && waiting == stillWaiting
                && Objects.equals(outcome, outcomeText)
                && sameEstimate;
        if (same) {
            return false;
        }
        estimatedFinishMillis = estimate;
        if (latest != null) {
            batch = latest;
        }
        waiting = stillWaiting;
        outcome = outcomeText;
        // Names from an earlier check of the same batch in this build no longer go with what is shown.
        failedDocuments = null;
        return true;
    }

    public String getBatchId() {
        return batchId;
    }

    /** The last answer from Inkit, or {@code null} before the first. */
    @CheckForNull
    public synchronized Batch getBatch() {
        return batch;
    }

    /**
     * Whether the step is still waiting for the batch: never once the build is over, even if it ended
     * without the step saying so (a crash that the build could not resume from).
     */
    public synchronized boolean isWaiting() {
        Run<?, ?> r = run;
        return waiting && r != null && r.isBuilding();
    }

    /**
     * When the batch should finish, for the page: "in about 3 min", "any moment now"; {@code null}
     * when there is no estimate or the step no longer waits.
     */
    @CheckForNull
    public synchronized String getExpectedFinish() {
        if (!isWaiting() || estimatedFinishMillis == 0) {
            return null;
        }
        Duration left = Duration.between(Instant.now(), Instant.ofEpochMilli(estimatedFinishMillis));
        return left.compareTo(Duration.ofSeconds(5)) < 0
                ? Messages.InkitBatchAction_FinishingNow()
                : Messages.InkitBatchAction_FinishingIn(BatchReport.about(left));
    }

    /** How the step ended (the verdict or the error), or {@code null} while it runs. */
    @CheckForNull
    public synchronized String getOutcome() {
        return outcome;
    }

    /** The failed documents named, newest first, for the second table; empty when none were named. */
    public synchronized List<FailedDocument> getFailedDocuments() {
        return failedDocuments == null ? List.of() : failedDocuments.documents();
    }

    /** Why not every failed document could be named, or {@code null} when they were (or none failed). */
    @CheckForNull
    public synchronized String getFailedDocumentsGap() {
        return failedDocuments == null || failedDocuments.complete() ? null : failedDocuments.why();
    }

    /** The destinations in Inkit's order, for the table. */
    public synchronized List<Destination> getDestinations() {
        return batch == null ? List.of() : new ArrayList<>(batch.destinations().values());
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    @Override
    public String getIconFileName() {
        return null; // shown in the build's summary, not the side panel
    }

    @Override
    public String getDisplayName() {
        return Messages.InkitBatchAction_DisplayName(batchId);
    }

    @Override
    public String getUrlName() {
        return "inkit-batch-" + batchId;
    }
}
