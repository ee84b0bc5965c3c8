package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.console.HyperlinkNote;
import hudson.model.Run;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import io.jenkins.plugins.inkit.client.watch.BatchWatch;
import io.jenkins.plugins.inkit.client.watch.FinishEstimate;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import io.jenkins.plugins.inkit.client.watch.WatchState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@link InkitBatchStatusStep} the way {@code sleep} runs: {@link #start()} only checks and schedules, Jenkins'
 * timer wakes the core's {@link BatchWatch} when the polling policy says, and the requests run on
 * {@link InkitHttp}'s pool. What is saved is the core's {@link WatchState} and the settings, never
 * the token; {@link #onResume()} goes on with the same wait toward the same deadline.
 */
final class InkitBatchStatusExecution extends InkitStepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(InkitBatchStatusExecution.class.getName());

    private final String batchId;
    private final boolean waitUntilFinished;
    private final boolean failOnFailedDocuments;
    private final int pollIntervalSeconds;
    private final Integer maxPollIntervalSeconds;
    private volatile WatchState state;

    private transient volatile BatchWatch watch;
    private transient volatile WatchReport report;

    InkitBatchStatusExecution(InkitBatchStatusStep step, StepContext context) {
        super(step, context);
        this.batchId = step.getBatchId();
        this.waitUntilFinished = step.isWait();
        this.failOnFailedDocuments = step.isFailOnFailedDocuments();
        this.pollIntervalSeconds = step.getPollIntervalSeconds();
        this.maxPollIntervalSeconds = step.getMaxPollIntervalSeconds();
    }

    /** Runs on the Pipeline's thread: checks and schedules, nothing more. */
    @Override
    public boolean start() throws Exception {
        InkitClient client = checkedClient();
        PollingPolicy policy;
        try {
            policy = policy();
            state = new WatchState(
                    batchId, waitUntilFinished, Clock.systemUTC().instant(), Duration.ofMinutes(timeoutMinutes));
        } catch (InkitException e) {
            throw new AbortException(e.getMessage());
        }
        Run<?, ?> run = getContext().get(Run.class);
        InkitBatchAction action = InkitBatchAction.forBatch(run, state.batchId());
        // The batch's ID in the console links to its table on the build page.
        String link = HyperlinkNote.encodeTo("/" + run.getUrl() + action.getUrlName(), state.batchId());
        log(
                waitUntilFinished
                        ? Messages.InkitBatchStatusStep_Waiting(link, client.baseUrl(), String.valueOf(timeoutMinutes))
                        : Messages.InkitBatchStatusStep_Checking(link, client.baseUrl()));
        try {
            watch(client, policy, run, action, InkitHttp.requests());
        } catch (RejectedExecutionException e) {
            throw new AbortException(Messages.InkitBatchStatusStep_ShuttingDown(batchId));
        }
        return false;
    }

    /**
     * After a restart: the same wait toward the same deadline (which may have passed while Jenkins
     * was down: then it ends at once, saying so). Whatever goes wrong here ends the step.
     */
    @Override
    public void onResume() {
        if (state == null || isCompleted()) {
            return; // start() failed before there was anything to resume, or stop() came first
        }
        try {
            ExecutorService pool = InkitHttp.requests();
            Run<?, ?> run = getContext().get(Run.class);
            InkitBatchAction action = InkitBatchAction.forBatch(run, state.batchId());
            log(Messages.InkitBatchStatusStep_Resumed(state.batchId()));
            watch(client(), policy(), run, action, pool);
        } catch (RejectedExecutionException e) {
            // Jenkins is shutting down again: the next start resumes the wait.
            LOGGER.log(Level.FINE, "Not resuming the wait for Inkit batch {0} during a shutdown", state.batchId());
        } catch (AbortException | InkitException e) {
            endAfterFailedResume(e.getMessage(), null);
        } catch (Exception | LinkageError e) {
            endAfterFailedResume(
                    Messages.InkitBatchStatusStep_ResumeFailed(
                            state.batchId(), e.getClass().getName()),
                    e);
        }
    }

    private void endAfterFailedResume(String message, Throwable cause) {
        if (cause != null) {
            LOGGER.log(
                    Level.WARNING,
                    "Could not resume the wait for Inkit batch " + state.batchId(),
                    SafeThrowables.of(cause));
        }
        if (claimCompletion()) {
            WatchReport r = report;
            if (r != null) {
                r.ended(message);
            }
            failWith(message);
        }
    }

    /**
     * Runs on the Pipeline's thread: cancels the wait and the request in flight, and ends the step
     * unless it has just ended by itself, whose outcome then stands. The build page's state is
     * recorded at once and saved on the save thread.
     */
    @Override
    public void stop(@NonNull Throwable cause) {
        BatchWatch w;
        boolean claimed;
        // Under the lock register() takes, so that a resume in progress cannot start a watch nobody stops.
        synchronized (this) {
            w = watch;
            claimed = claimCompletion();
        }
        if (w != null) {
            w.cancel();
            unregister();
        }
        if (!claimed) {
            return;
        }
        WatchReport r = report;
        if (r != null) {
            r.ended(Messages.InkitBatchAction_Stopped());
        } else {
            WatchReport.stoppedBeforeResume(getContext(), state);
        }
        getContext().onFailure(cause);
    }

    /** For thread dumps and the Pipeline's running steps: a short English phrase, as {@code sleep} has. */
    @Override
    public String getStatus() {
        WatchState s = state;
        if (s == null) {
            return null;
        }
        Batch last = s.lastBatch();
        Instant now = Clock.systemUTC().instant();
        String seen =
                last == null ? "no answer yet" : last.settledDocuments() + "/" + last.expectedDocuments() + " settled";
        FinishEstimate estimate = s.waiting() ? s.estimate() : null;
        String expected = estimate == null ? "" : ", finishing " + BatchReport.about(estimate.left(now));
        return (s.waiting() ? "waiting for" : "checking") + " Inkit batch " + s.batchId() + ": " + seen + expected
                + ", " + timeLeft(Duration.between(now, s.deadline())) + " left";
    }

    private void watch(
            InkitClient client, PollingPolicy policy, Run<?, ?> run, InkitBatchAction action, ExecutorService pool) {
        WatchReport r = new WatchReport(this, run, action, state, failOnFailedDocuments);
        report = r;
        BatchWatch w = new BatchWatch(
                client,
                tokens(run, client),
                state,
                policy,
                RetryPolicy.DEFAULT,
                InkitHttp::scheduleOnTimer,
                pool,
                Clock.systemUTC(),
                r);
        synchronized (this) {
            if (!register(w::cancel)) {
                return; // stopped while resuming
            }
            watch = w;
        }
        w.start();
    }

    /** An unset maximum follows the minimum up: 600 s alone means at most 600 s between looks. */
    private PollingPolicy policy() throws InkitException {
        return PollingPolicy.of(
                Duration.ofSeconds(pollIntervalSeconds),
                maxPollIntervalSeconds == null ? null : Duration.ofSeconds(maxPollIntervalSeconds));
    }
}
