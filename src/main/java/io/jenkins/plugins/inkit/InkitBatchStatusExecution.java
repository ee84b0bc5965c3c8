package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.console.HyperlinkNote;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.report.BatchMaps;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.report.Verdict;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.watch.BatchWatch;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import io.jenkins.plugins.inkit.client.watch.WatchState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs {@link InkitBatchStatusStep} the way {@code sleep} runs: {@link #start()} only validates and
 * schedules, Jenkins' timer wakes the core's {@link BatchWatch} when the polling policy says, and
 * the requests run on {@link InkitHttp}'s small pool. The serialised state is the core's
 * {@link WatchState} and the step's settings, never the token; {@link #onResume()} continues the
 * same wait toward the same deadline after a controller restart.
 */
final class InkitBatchStatusExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(InkitBatchStatusExecution.class.getName());

    private final String credentialsId;
    private final String apiUrl;
    private final boolean failOnFailedDocuments;
    private final int timeoutMinutes;
    private final int pollIntervalSeconds;
    private final int maxPollIntervalSeconds;
    private final String batchId;
    private final boolean waitUntilFinished;
    private volatile WatchState state;
    private volatile boolean credentialTracked;

    /** Whether the step has ended; a step that ended is never resumed, so this need not be saved. */
    private transient boolean completed;

    private transient volatile BatchWatch watch;
    /** What {@link InkitHttp} calls to let the wait go when Jenkins shuts down. */
    private transient volatile BatchWatch.Cancellable release;

    private transient volatile InkitBatchAction action;

    InkitBatchStatusExecution(InkitBatchStatusStep step, StepContext context) {
        super(context);
        this.batchId = step.getBatchId();
        // The step's own settings win, an explicit URL even when it is Inkit's own; the global defaults fill the rest.
        InkitGlobalConfiguration defaults = InkitGlobalConfiguration.get();
        this.credentialsId = step.getCredentialsId() != null ? step.getCredentialsId() : defaults.getCredentialsId();
        this.apiUrl = step.getApiUrl() != null ? step.getApiUrl() : defaults.getApiUrl();
        this.failOnFailedDocuments = step.isFailOnFailedDocuments();
        this.timeoutMinutes = step.getTimeout();
        this.pollIntervalSeconds = step.getPollIntervalSeconds();
        this.maxPollIntervalSeconds = step.getMaxPollIntervalSeconds();
        this.waitUntilFinished = step.isWait();
    }

    /** Runs on the Pipeline's thread: validates and schedules, nothing more. */
    @Override
    public boolean start() throws Exception {
        if (credentialsId == null) {
            throw new AbortException(Messages.InkitBatchStatusStep_NoCredential());
        }
        if (timeoutMinutes < 1) {
            throw new AbortException(Messages.InkitBatchStatusStep_TimeoutTooShort(timeoutMinutes));
        }
        InkitClient client;
        PollingPolicy policy;
        try {
            client = new InkitClient(InkitHttp.client(), apiUrl);
            policy = policy();
            state = new WatchState(
                    batchId, waitUntilFinished, Clock.systemUTC().instant(), Duration.ofMinutes(timeoutMinutes));
        } catch (InkitException e) {
            throw new AbortException(e.getMessage());
        }
        // The batch's ID in the console links to its table on the build page.
        Run<?, ?> run = getContext().get(Run.class);
        action = InkitBatchAction.forBatch(run, state.batchId());
        String link = HyperlinkNote.encodeTo("/" + run.getUrl() + action.getUrlName(), state.batchId());
        listener()
                .getLogger()
                .println(
                        waitUntilFinished
                                ? Messages.InkitBatchStatusStep_Waiting(link, client.baseUrl(), timeoutMinutes)
                                : Messages.InkitBatchStatusStep_Checking(link, client.baseUrl()));
        launch(client, policy, run);
        return false;
    }

    /**
     * After a restart: the same wait toward the same deadline (which may have passed while
     * Jenkins was down: then it ends at once, saying so). Whatever goes wrong here ends the step
     * and the build page's "waiting" with it.
     */
    @Override
    public void onResume() {
        if (state == null || isCompleted()) {
            return; // start() failed before there was anything to resume, or stop() came first
        }
        try {
            Run<?, ?> run = getContext().get(Run.class);
            action = InkitBatchAction.forBatch(run, state.batchId());
            listener().getLogger().println(Messages.InkitBatchStatusStep_Resumed(state.batchId()));
            launch(new InkitClient(InkitHttp.client(), apiUrl), policy(), run);
        } catch (InkitException e) {
            endAfterFailedResume(e.getMessage(), null);
        } catch (Exception | LinkageError e) {
            // Whatever it is, the step must still end: onResume() may not throw.
            endAfterFailedResume(
                    Messages.InkitBatchStatusStep_ResumeFailed(
                            state.batchId(), e.getClass().getName()),
                    e);
        }
    }

    private void endAfterFailedResume(String message, Throwable cause) {
        if (cause != null) {
            LOGGER.log(Level.WARNING, "Could not resume the wait for Inkit batch " + state.batchId(), cause);
        }
        if (!claimCompletion()) {
            return;
        }
        InkitBatchAction a = action;
        try {
            if (a != null) {
                a.update(null, false, message);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not mark Inkit batch " + state.batchId() + " as ended", e);
        }
        getContext().onFailure(new AbortException(message));
    }

    /**
     * Runs on the Pipeline's thread: cancels the wait and the request in flight, and ends the
     * step unless it has just ended by itself, whose outcome then stands. The build page's state
     * is recorded at once; saving it is I/O, so that happens on the request pool.
     */
    @Override
    public void stop(@NonNull Throwable cause) {
        BatchWatch w;
        boolean claimed;
        // Under the lock launch() takes, so that a resume in progress cannot start a watch nobody stops.
        synchronized (this) {
            w = watch;
            claimed = !completed;
            completed = true;
        }
        if (w != null) {
            w.cancel();
            InkitHttp.forget(release);
        }
        if (!claimed) {
            return;
        }
        InkitBatchAction a = action != null ? action : savedAction();
        if (a != null && a.record(null, false, Messages.InkitBatchAction_Stopped())) {
            InkitHttp.runInBackground(a::save);
        }
        getContext().onFailure(cause);
    }

    /**
     * For thread dumps and the Pipeline's "running steps" view: a short English phrase, as
     * {@code sleep} has, never localized.
     */
    @Override
    public String getStatus() {
        WatchState s = state;
        if (s == null) {
            return null;
        }
        Batch last = s.lastBatch();
        String seen =
                last == null ? "no answer yet" : last.settledDocuments() + "/" + last.expectedDocuments() + " settled";
        return (s.waiting() ? "waiting for" : "checking") + " Inkit batch " + s.batchId() + ": " + seen + ", "
                + timeLeft(Duration.between(Clock.systemUTC().instant(), s.deadline())) + " left";
    }

    /** "12 min", "40 sec": as plain as Jenkins' own status phrases. */
    static String timeLeft(Duration left) {
        long seconds = Math.max(0, left.toSeconds());
        return seconds >= 60 ? (seconds + 59) / 60 + " min" : seconds + " sec";
    }

    /** The build page's action, when stop() comes after a restart but before onResume(); or {@code null}. */
    private InkitBatchAction savedAction() {
        WatchState s = state;
        if (s == null) {
            return null;
        }
        try {
            Run<?, ?> run = getContext().get(Run.class);
            return run == null ? null : InkitBatchAction.forBatch(run, s.batchId());
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOGGER.log(Level.FINE, "no build to mark as stopped", e);
            return null;
        }
    }

    private synchronized boolean isCompleted() {
        return completed;
    }

    /** True for the one caller that may end the step: a finish, a failure, a stop or a failed resume. */
    private synchronized boolean claimCompletion() {
        if (completed) {
            return false;
        }
        completed = true;
        return true;
    }

    private void launch(InkitClient client, PollingPolicy policy, Run<?, ?> run) {
        CredentialTokenSource token =
                new CredentialTokenSource(run, credentialsId, client.baseUrl().toString(), credentialTracked, () -> {
                    credentialTracked = true;
                    getContext().saveState();
                });
        BatchWatch w = new BatchWatch(
                client,
                token,
                state,
                policy,
                RetryPolicy.DEFAULT,
                InkitHttp::scheduleOnTimer,
                InkitHttp.requests(),
                Clock.systemUTC(),
                new Listener());
        synchronized (this) {
            if (completed) {
                return; // stopped while resuming
            }
            watch = w;
            release = w::cancel;
            InkitHttp.remember(release);
        }
        w.start();
    }

    private PollingPolicy policy() throws InkitException {
        return PollingPolicy.of(Duration.ofSeconds(pollIntervalSeconds), Duration.ofSeconds(maxPollIntervalSeconds));
    }

    private TaskListener listener() throws IOException, InterruptedException {
        return getContext().get(TaskListener.class);
    }

    private void log(String text) {
        try {
            listener().getLogger().println(text);
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "could not write to the build log", e);
        }
    }

    /** What the watch reports, from Jenkins' timer or the request pool; each end is taken once. */
    private final class Listener implements BatchWatch.Listener {

        @Override
        public void progress(String line) {
            log(line);
        }

        /** The counts changed: the build page shows them, and a resume starts from them. */
        @Override
        public void stateChanged() {
            // Recorded under the lock that ends the step, so that a look in flight cannot mark a
            // stopped wait as waiting again; saved outside it, so that stop() never waits for I/O.
            boolean changed;
            synchronized (InkitBatchStatusExecution.this) {
                if (completed) {
                    return;
                }
                changed = action.record(state.lastBatch(), state.waiting(), null);
            }
            if (changed) {
                action.save();
            }
            getContext().saveState();
        }

        @Override
        public void finished(Batch batch) {
            finished(batch, null);
        }

        /** @param failed the failed documents named, or {@code null} when none failed */
        @Override
        public void finished(Batch batch, FailedDocuments failed) {
            if (!claimCompletion()) {
                return;
            }
            endSurely(() -> {
                InkitHttp.forget(release);
                Verdict verdict = Verdict.of(batch, failOnFailedDocuments);
                log(BatchReport.summary(batch, verdict, failed).stripTrailing());
                action.finished(batch, failed, verdict.describe());
                if (verdict.failsBuild()) {
                    getContext()
                            .onFailure(new AbortException(Messages.InkitBatchStatusStep_FailedDocuments(
                                    verdict.failedDocuments(), batch.id(), verdict.failedList())));
                } else {
                    getContext().onSuccess(BatchMaps.toMap(batch, failed));
                }
            });
        }

        @Override
        public void failed(InkitException error) {
            if (!claimCompletion()) {
                return;
            }
            endSurely(() -> {
                InkitHttp.forget(release);
                String message = error.getMessage();
                if (error.kind() == InkitException.Kind.TIMED_OUT) {
                    message += " "
                            + Messages.InkitBatchStatusStep_RaiseTimeout(
                                    Durations.format(Duration.ofMinutes(timeoutMinutes)));
                }
                action.update(null, false, message);
                getContext().onFailure(new AbortException(message));
            });
        }

        /**
         * Runs the end of the step, which this thread alone may now do; should anything in it
         * throw (saving the build, say), the step still ends, with a message that quotes nothing.
         */
        private void endSurely(Runnable end) {
            try {
                end.run();
            } catch (RuntimeException | Error e) {
                LOGGER.log(Level.WARNING, "Ending the wait for Inkit batch " + state.batchId() + " failed", e);
                getContext()
                        .onFailure(new AbortException(Messages.InkitBatchStatusStep_EndFailed(
                                state.batchId(), e.getClass().getName())));
            }
        }
    }
}
