package io.jenkins.plugins.inkit;

import hudson.model.Run;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.report.BatchMaps;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.report.Verdict;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import io.jenkins.plugins.inkit.client.watch.FinishEstimate;
import io.jenkins.plugins.inkit.client.watch.WatchListener;
import io.jenkins.plugins.inkit.client.watch.WatchState;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What a watch tells, told to the build: progress to its log, the counts to the build page's table
 * (saved at most every few seconds, see {@link BuildSaves}), and the end to the step, once. Called
 * from Jenkins' timer or the request pool, never with I/O that could hold them long.
 */
final class WatchReport implements WatchListener {

    private static final Logger LOGGER = Logger.getLogger(WatchReport.class.getName());

    private final InkitStepExecution execution;
    private final Run<?, ?> run;
    private final InkitBatchAction action;
    private final WatchState state;
    private final boolean failOnFailedDocuments;

    WatchReport(
            InkitStepExecution execution,
            Run<?, ?> run,
            InkitBatchAction action,
            WatchState state,
            boolean failOnFailedDocuments) {
        this.execution = execution;
        this.run = run;
        this.action = action;
        this.state = state;
        this.failOnFailedDocuments = failOnFailedDocuments;
    }

    @Override
    public void progress(String line) {
        execution.log(line);
    }

    /** The counts changed: the build page shows them, and a resume starts from them. */
    @Override
    public void stateChanged() {
        if (show(state.estimate())) {
            BuildSaves.program(run, execution.getContext());
        }
    }

    /** The build page says when the batch should finish, as of the latest look. */
    @Override
    public void estimated(FinishEstimate estimate) {
        show(estimate);
    }

    /** Records the latest look on the build page; {@code false} once the step has ended. */
    private boolean show(FinishEstimate estimate) {
        // Recorded under the lock that ends the step, so that a look in flight cannot mark a stopped
        // wait as waiting again.
        boolean changed;
        synchronized (execution) {
            if (execution.isCompleted()) {
                return false;
            }
            changed = action.record(
                    state.lastBatch(), state.waiting(), null, estimate == null ? null : estimate.finish());
        }
        if (changed) {
            BuildSaves.build(run);
        }
        return true;
    }

    @Override
    public void finished(Batch batch) {
        finished(batch, null);
    }

    /** @param failed the failed documents named, or {@code null} when none failed */
    @Override
    public void finished(Batch batch, FailedDocuments failed) {
        if (!execution.claimCompletion()) {
            return;
        }
        endSurely(() -> {
            execution.unregister();
            Verdict verdict = Verdict.of(batch, failOnFailedDocuments);
            execution.log(BatchReport.summary(batch, verdict, failed).stripTrailing());
            action.finished(batch, failed, verdict.describe());
            BuildSaves.build(run);
            if (verdict.failsBuild()) {
                execution.failWith(Messages.InkitBatchStatusStep_FailedDocuments(
                        String.valueOf(verdict.failedDocuments()), batch.id(), verdict.failedList()));
            } else {
                execution.getContext().onSuccess(BatchMaps.toMap(batch, failed));
            }
        });
    }

    @Override
    public void failed(InkitException error) {
        if (!execution.claimCompletion()) {
            return;
        }
        endSurely(() -> {
            execution.unregister();
            String message = execution.describe(error);
            ended(message);
            execution.failWith(message);
        });
    }

    /** The step ended otherwise (a stop, a failed resume): the table stops saying it waits. */
    void ended(String outcome) {
        if (action.record(null, false, outcome)) {
            BuildSaves.build(run);
        }
    }

    /** A stop after a restart but before the resume: the table of the batch, if the build has it, says so. */
    static void stoppedBeforeResume(StepContext context, WatchState state) {
        if (state == null) {
            return;
        }
        try {
            Run<?, ?> run = context.get(Run.class);
            if (run != null
                    && InkitBatchAction.forBatch(run, state.batchId())
                            .record(null, false, Messages.InkitBatchAction_Stopped())) {
                BuildSaves.build(run);
            }
        } catch (Exception e) {
            LOGGER.log(Level.FINE, "no build to mark as stopped", SafeThrowables.of(e));
        }
    }

    /**
     * Runs the end of the step, which this thread alone may now do; should anything in it throw, the
     * step still ends, with a message that quotes nothing.
     */
    private void endSurely(Runnable end) {
        try {
            end.run();
        } catch (RuntimeException | Error e) {
            LOGGER.log(
                    Level.WARNING,
                    "Ending the wait for Inkit batch " + state.batchId() + " failed",
                    SafeThrowables.of(e));
            execution.failWith(Messages.InkitBatchStatusStep_EndFailed(
                    state.batchId(), e.getClass().getName()));
        }
    }
}
