package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import io.jenkins.plugins.inkit.client.watch.BatchLaunch;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@link InkitLaunchBatchStep}: {@link #start()} checks the settings; a flows file is read on Jenkins' pool for
 * remote calls; the core's {@link BatchLaunch} sends the request from {@link InkitHttp}'s pool once
 * the program has saved that a request may be in flight. What is saved is the settings, how far the
 * launch got and how it ended, never the flows (personal data) nor the token, so a restart never
 * sends anything again.
 */
final class InkitLaunchBatchExecution extends InkitStepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(InkitLaunchBatchExecution.class.getName());

    /** How far the launch got: what a restart must know, and all it may know. */
    enum Phase {
        /** Nothing has been sent. */
        PREPARING,
        /** A request may have reached Inkit: saved before one goes out. */
        SENDING,
        /** The step ended. */
        DONE
    }

    private volatile Phase phase = Phase.PREPARING;
    private volatile long deadlineMillis;
    /** The batch's name, the step's or the flows file's: how an uncertain launch is found. */
    private volatile String batchName;
    /** How the step ended, kept so that a restart between the end and its delivery still ends it the same way. */
    private volatile LaunchedBatch launchedBatch;

    private volatile String failure;
    /** Ended by stop(): a resume before that end was delivered ends it as stopped, not failed. */
    private volatile boolean stopped;
    /** Why, when it said (the user, a {@code timeout} step): a resume hands the same cause on. */
    private volatile FlowInterruptedException stoppedBy;

    /** The flows, until the launch starts; never saved, as they hold the customers' data. */
    @SuppressFBWarnings(
            value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "Read only by start(), before anything is saved; a resumed launch never starts again.")
    private final transient LaunchFlows flows;

    private transient volatile BatchLaunch launch;
    /** The flows being prepared (a file being read), until the launch starts. */
    private transient volatile CompletableFuture<LaunchRequest> preparing;

    InkitLaunchBatchExecution(InkitLaunchBatchStep step, StepContext context) {
        super(step, context);
        this.batchName = step.getName();
        this.flows = new LaunchFlows(step);
    }

    /** Runs on the Pipeline's thread: checks the settings and hands the launch to the pool, nothing more. */
    @Override
    public boolean start() throws Exception {
        InkitClient client = checkedClient();
        FilePath workspace = flows.workspace(getContext());
        deadlineMillis = Clock.systemUTC()
                .instant()
                .plus(Duration.ofMinutes(timeoutMinutes))
                .toEpochMilli();
        Run<?, ?> run = getContext().get(Run.class);
        Executor pool;
        try {
            pool = InkitHttp.requests();
        } catch (RejectedExecutionException e) {
            throw new AbortException(Messages.InkitLaunchBatchStep_ShuttingDown());
        }
        CompletableFuture<LaunchRequest> request = flows.read(workspace, deadlineMillis - System.currentTimeMillis());
        preparing = request;
        request.whenCompleteAsync(
                (prepared, error) -> {
                    if (error == null) {
                        launch(client, run, prepared);
                    } else if (!(error instanceof CancellationException)) {
                        end(null, flows.whyNot(error, timeoutMinutes)); // a cancel was stop(), which ended it
                    }
                },
                pool);
        return false;
    }

    /** On the request pool, once the flows are at hand: says what is launched, and starts the launch. */
    private void launch(InkitClient client, Run<?, ?> run, LaunchRequest request) {
        try {
            batchName = request.name();
            log(Messages.InkitLaunchBatchStep_Launching(
                    label(),
                    client.baseUrl(),
                    String.valueOf(request.flowCount()),
                    String.valueOf(request.documentCount())));
            BatchLaunch l = new BatchLaunch(
                    client,
                    tokens(run, client),
                    request,
                    Instant.ofEpochMilli(deadlineMillis),
                    RetryPolicy.DEFAULT,
                    InkitHttp::scheduleOnTimer,
                    InkitHttp.requests(),
                    Clock.systemUTC(),
                    new LaunchReport(this, run, request));
            synchronized (this) {
                if (!register(l::cancel)) {
                    return; // stopped while the flows were prepared
                }
                launch = l;
            }
            l.start();
        } catch (RejectedExecutionException e) {
            // Jenkins is shutting down: nothing was sent, and the resume says so.
            LOGGER.log(Level.FINE, "Not launching an Inkit batch during a shutdown");
        } catch (RuntimeException | Error e) {
            LOGGER.log(Level.WARNING, "Starting the launch of an Inkit batch failed", SafeThrowables.of(e));
            end(null, Messages.InkitLaunchBatchStep_Unexpected(e.getClass().getName()));
        }
    }

    /**
     * After a restart. The flows were not saved, so nothing is ever sent again. A step that had
     * ended ends the same way; one whose request may have gone out says so; one that had not yet
     * saved that a request was going out had sent none.
     */
    @Override
    public void onResume() {
        if (isCompleted()) {
            return;
        }
        LaunchedBatch done = launchedBatch;
        if (stopped) {
            // Stopped before the restart: it ends as stopped, having said what it said then.
            if (claimCompletion()) {
                log(failure);
                FlowInterruptedException cause = stoppedBy;
                getContext().onFailure(cause != null ? cause : new FlowInterruptedException(Result.ABORTED));
            }
        } else if (done != null || failure != null) {
            end(done, failure);
        } else {
            end(
                    null,
                    phase == Phase.PREPARING
                            ? Messages.InkitLaunchBatchStep_NotSentBeforeRestart(label())
                            : Messages.InkitLaunchBatchStep_UncertainAfterRestart(label()));
        }
    }

    /** On the Pipeline's thread: cancels the launch and ends the step, saying whether the batch may have been launched. */
    @Override
    public void stop(@NonNull Throwable cause) {
        BatchLaunch l;
        CompletableFuture<?> p;
        synchronized (this) {
            if (!claimCompletion()) {
                return;
            }
            l = launch;
            p = preparing;
        }
        if (p != null) {
            p.cancel(false); // a flows file still being read is not launched
        }
        if (l != null) {
            l.cancel();
            unregister();
        }
        // Kept as how the step ended, so that a restart before the stop is delivered says the same.
        failure = stopMessage(l);
        log(failure);
        stoppedBy = cause instanceof FlowInterruptedException interrupted ? interrupted : null;
        stopped = true;
        phase = Phase.DONE;
        getContext().onFailure(cause);
    }

    /**
     * What a stop says. After a restart, before {@link #onResume()}, there is no launch in this JVM:
     * the saved phase and end say whether a request may have gone out, and a step that had ended says
     * so again, so that nobody launches twice on a stop's word.
     */
    private String stopMessage(@CheckForNull BatchLaunch l) {
        if (l != null) {
            return l.mayHaveSent()
                    ? Messages.InkitLaunchBatchStep_UncertainAfterStop(label())
                    : Messages.InkitLaunchBatchStep_NothingSentAfterStop(label());
        }
        LaunchedBatch done = launchedBatch;
        if (done != null) {
            return Messages.InkitLaunchBatchStep_LaunchedBeforeStop(label(), done.id());
        }
        if (failure != null) {
            return failure;
        }
        return phase == Phase.SENDING
                ? Messages.InkitLaunchBatchStep_UncertainAfterStop(label())
                : Messages.InkitLaunchBatchStep_NothingSentAfterStop(label());
    }

    /** A safe restart waits while a request may be on its way: it then need not leave the launch uncertain. */
    @Override
    public boolean blocksRestart() {
        return phase == Phase.SENDING;
    }

    @Override
    public String getStatus() {
        Duration left = Duration.between(Clock.systemUTC().instant(), Instant.ofEpochMilli(deadlineMillis));
        return (phase == Phase.SENDING ? "launching" : "preparing to launch") + " an Inkit batch, " + timeLeft(left)
                + " left";
    }

    /** "'Statements 42'", or "(without a name)": never more, since the flows hold personal data. */
    String label() {
        String n = batchName;
        return n == null ? Messages.InkitLaunchBatchStep_Unnamed() : "'" + n + "'";
    }

    /** A request is about to go out: from the moment this is saved, a restart says it may have. */
    void sending() {
        phase = Phase.SENDING;
    }

    /** The request did not go out after all (Jenkins is shutting down, or the save failed). */
    void notSent() {
        phase = Phase.PREPARING;
    }

    /**
     * Ends the step once: with Inkit's answer as the returned map, or with a failure whose message
     * says what happened. Whatever throws here still ends it.
     */
    void end(@CheckForNull LaunchedBatch launched, @CheckForNull String failureText) {
        if (!claimCompletion()) {
            return;
        }
        unregister();
        launchedBatch = launched;
        failure = failureText;
        phase = Phase.DONE;
        try {
            if (launched != null) {
                getContext().onSuccess(launched.toMap());
            } else {
                failWith(failureText);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Ending the launch of an Inkit batch failed", SafeThrowables.of(e));
            failWith(Messages.InkitLaunchBatchStep_Unexpected(e.getClass().getName()));
        }
    }
}
