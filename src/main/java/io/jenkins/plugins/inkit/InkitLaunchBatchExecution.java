package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.console.HyperlinkNote;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.watch.BatchLaunch;
import io.jenkins.plugins.inkit.client.watch.BatchWatch;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs {@link InkitLaunchBatchStep}: {@link #start()} checks the settings; a flows file is read on
 * Jenkins' pool for remote calls, within the step's time; the core's {@link BatchLaunch} sends the
 * request from {@link InkitHttp}'s pool. What is saved with the build's program is the settings,
 * how far the launch got and how it ended, never the flows (personal data) nor the token. Since
 * the flows are not saved, a restart never sends anything again: a launch that had not ended
 * fails saying the batch may or may not have been launched.
 */
final class InkitLaunchBatchExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(InkitLaunchBatchExecution.class.getName());

    /**
     * The largest flows file read: it is read whole into the controller's memory, so less than the
     * command line allows. A larger batch is launched in parts, or with the command line.
     */
    static final long MAX_FLOWS_FILE_BYTES = 32L * 1024 * 1024;

    /** How long the pool thread waits for "a request may be in flight" to be saved before sending it. */
    static final Duration SAVE_BEFORE_SENDING = Duration.ofSeconds(30);

    /** How far the launch got: what a restart must know, and all it may know. */
    enum Phase {
        /** Nothing has been sent. */
        PREPARING,
        /** A request may have reached Inkit. */
        SENDING,
        /** The step ended. */
        DONE
    }

    private final String credentialsId;
    private final String apiUrl;
    private final String name;
    private final String description;
    private final String flowsFile;
    private final int timeoutMinutes;
    private volatile Phase phase = Phase.PREPARING;
    private volatile long deadlineMillis;
    private volatile int flowCount;
    private volatile long documentCount;
    private volatile boolean credentialTracked;
    /** The batch's name, the step's or the flows file's: how an uncertain launch is found. */
    private volatile String batchName;
    /** How the step ended, kept so that a restart between the end and its delivery still ends it the same way. */
    private volatile LaunchedBatch launchedBatch;

    private volatile String failure;

    /** The request from the Pipeline's flows; never saved, as it holds the customers' data. */
    private final transient LaunchRequest inlineRequest;

    private transient InkitException inlineProblem;
    private transient boolean completed;
    private transient volatile BatchLaunch launch;
    /** The flows being prepared (a file being read), until the launch starts. */
    private transient volatile CompletableFuture<LaunchRequest> preparing;

    private transient volatile BatchWatch.Cancellable release;

    InkitLaunchBatchExecution(InkitLaunchBatchStep step, StepContext context) {
        super(context);
        InkitGlobalConfiguration defaults = InkitGlobalConfiguration.get();
        this.credentialsId = step.getCredentialsId() != null ? step.getCredentialsId() : defaults.getCredentialsId();
        this.apiUrl = step.getApiUrl() != null ? step.getApiUrl() : defaults.getApiUrl();
        this.name = step.getName();
        this.description = step.getDescription();
        this.flowsFile = step.getFlowsFile();
        this.timeoutMinutes = step.getTimeout();
        this.batchName = step.getName();
        LaunchRequest request = null;
        if (step.getFlows() != null) {
            try {
                request =
                        LaunchRequest.fromFlows(step.getFlows()).withName(name).withDescription(description);
            } catch (InkitException e) {
                inlineProblem = e;
            }
        }
        this.inlineRequest = request;
    }

    /** Runs on the Pipeline's thread: checks the settings and hands the launch to the pool, nothing more. */
    @Override
    public boolean start() throws Exception {
        if (credentialsId == null) {
            throw new AbortException(Messages.InkitBatchStatusStep_NoCredential());
        }
        if (timeoutMinutes < 1) {
            throw new AbortException(Messages.InkitBatchStatusStep_TimeoutTooShort(timeoutMinutes));
        }
        if (inlineProblem != null) {
            throw new AbortException(inlineProblem.getMessage());
        }
        if ((inlineRequest == null) == (flowsFile == null)) {
            throw new AbortException(
                    flowsFile == null
                            ? Messages.InkitLaunchBatchStep_NoFlows()
                            : Messages.InkitLaunchBatchStep_BothFlows());
        }
        FilePath workspace = null;
        if (flowsFile != null) {
            workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                throw new AbortException(Messages.InkitLaunchBatchStep_FlowsFileNeedsNode(flowsFile));
            }
        }
        InkitClient client;
        try {
            client = new InkitClient(InkitHttp.client(), apiUrl);
        } catch (InkitException e) {
            throw new AbortException(e.getMessage());
        }
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
        // A flows file is read on Jenkins' pool for remote calls, within the step's time: an agent
        // that hangs then holds neither the Pipeline's thread nor one of the request threads.
        CompletableFuture<LaunchRequest> request;
        if (workspace == null) {
            request = CompletableFuture.completedFuture(inlineRequest);
        } else {
            FilePath file = workspace.child(flowsFile);
            request = CompletableFuture.supplyAsync(() -> readFlowsFile(file), Computer.threadPoolForRemoting)
                    .orTimeout(Math.max(1, deadlineMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        }
        preparing = request;
        request.whenCompleteAsync(
                (prepared, error) -> {
                    if (error == null) {
                        launch(client, run, prepared);
                    } else if (!(error instanceof CancellationException)) {
                        end(null, whyNotRead(error)); // a cancelled read was stop(), which ended the step
                    }
                },
                pool);
        return false;
    }

    /** Why the flows file could not be used, for the build's log. */
    private String whyNotRead(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof InkitException bad) {
            return bad.getMessage();
        }
        if (e instanceof TimeoutException) {
            return Messages.InkitLaunchBatchStep_FlowsFileTimedOut(flowsFile, timeoutMinutes);
        }
        if (e instanceof IOException || e instanceof InterruptedException) {
            return Messages.InkitLaunchBatchStep_FlowsFileUnreadable(
                    flowsFile, e.getClass().getName());
        }
        LOGGER.log(Level.WARNING, "Reading the flows file of an Inkit launch failed", e);
        return Messages.InkitLaunchBatchStep_Unexpected(e.getClass().getName());
    }

    /** On the request pool, once the flows are at hand: says what is launched, and starts the launch. */
    private void launch(InkitClient client, Run<?, ?> run, LaunchRequest request) {
        try {
            flowCount = request.flowCount();
            documentCount = request.documentCount();
            batchName = request.name();
            log(Messages.InkitLaunchBatchStep_Launching(label(), client.baseUrl(), flowCount, documentCount));
            CredentialTokenSource token = new CredentialTokenSource(
                    run, credentialsId, client.baseUrl().toString(), credentialTracked, () -> {
                        credentialTracked = true;
                    });
            BatchLaunch l = new BatchLaunch(
                    client,
                    token,
                    request,
                    Instant.ofEpochMilli(deadlineMillis),
                    RetryPolicy.DEFAULT,
                    InkitHttp::scheduleOnTimer,
                    InkitHttp.requests(),
                    Clock.systemUTC(),
                    new Listener(run));
            synchronized (this) {
                if (completed) {
                    return; // stopped while the flows were prepared
                }
                launch = l;
                release = l::cancel;
                InkitHttp.remember(release);
            }
            l.start();
        } catch (RuntimeException | Error e) {
            LOGGER.log(Level.WARNING, "Starting the launch of an Inkit batch failed", e);
            end(null, Messages.InkitLaunchBatchStep_Unexpected(e.getClass().getName()));
        }
    }

    /** On Jenkins' pool for remote calls: the flows file, read whole; a failure as the future's cause. */
    private LaunchRequest readFlowsFile(FilePath file) {
        try {
            return readFlowsFileOrThrow(file);
        } catch (IOException | InkitException e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private LaunchRequest readFlowsFileOrThrow(FilePath file) throws IOException, InterruptedException, InkitException {
        if (!file.exists()) {
            throw new AbortingInput(Messages.InkitLaunchBatchStep_NoFlowsFile(flowsFile, file.getParent()));
        }
        long size = file.length();
        if (size > MAX_FLOWS_FILE_BYTES) {
            throw new AbortingInput(
                    Messages.InkitLaunchBatchStep_FlowsFileTooLarge(flowsFile, size, MAX_FLOWS_FILE_BYTES));
        }
        byte[] json;
        try (InputStream in = file.read()) {
            json = in.readNBytes((int) MAX_FLOWS_FILE_BYTES + 1);
        }
        if (json.length > MAX_FLOWS_FILE_BYTES) {
            throw new AbortingInput(
                    Messages.InkitLaunchBatchStep_FlowsFileTooLarge(flowsFile, json.length, MAX_FLOWS_FILE_BYTES));
        }
        return LaunchRequest.fromJson(json, "the flows file '" + flowsFile + "'")
                .withName(name)
                .withDescription(description);
    }

    /** Bad input found while reading the flows file: its message says what to fix. */
    private static final class AbortingInput extends InkitException {
        private static final long serialVersionUID = 1L;

        AbortingInput(String message) {
            super(Kind.INVALID_INPUT, message);
        }
    }

    /**
     * After a restart. The flows were not saved, so nothing is ever sent again. A step that had
     * ended ends the same way; any other may have sent its request (the state saved before sending
     * is not always written: it depends on the Pipeline's durability setting), so it says so.
     */
    @Override
    public void onResume() {
        if (isCompleted()) {
            return;
        }
        LaunchedBatch done = launchedBatch;
        end(
                done,
                done != null
                        ? null
                        : failure != null ? failure : Messages.InkitLaunchBatchStep_UncertainAfterRestart(label()));
    }

    /** On the Pipeline's thread: cancels the launch and ends the step, saying whether the batch may have been launched. */
    @Override
    public void stop(@NonNull Throwable cause) {
        BatchLaunch l;
        CompletableFuture<?> p;
        synchronized (this) {
            if (completed) {
                return;
            }
            completed = true;
            l = launch;
            p = preparing;
        }
        if (p != null) {
            p.cancel(false); // a flows file still being read is not launched
        }
        if (l != null) {
            l.cancel();
            InkitHttp.forget(release);
        }
        if (phase == Phase.SENDING) {
            log(Messages.InkitLaunchBatchStep_UncertainAfterStop(label()));
        }
        phase = Phase.DONE;
        getContext().onFailure(cause);
    }

    @Override
    public String getStatus() {
        Duration left = Duration.between(Clock.systemUTC().instant(), Instant.ofEpochMilli(deadlineMillis));
        return (phase == Phase.SENDING ? "launching" : "preparing to launch") + " an Inkit batch, "
                + InkitBatchStatusExecution.timeLeft(left) + " left";
    }

    /** "'Statements 42'", or "(without a name)": never more, since the flows hold personal data. */
    private String label() {
        String n = batchName;
        return n == null ? Messages.InkitLaunchBatchStep_Unnamed() : "'" + n + "'";
    }

    private synchronized boolean isCompleted() {
        return completed;
    }

    /** True for the one caller that may end the step. */
    private synchronized boolean claimCompletion() {
        if (completed) {
            return false;
        }
        completed = true;
        return true;
    }

    /**
     * Ends the step once: with Inkit's answer as the returned map, or with a failure whose message
     * says what happened. Whatever throws here still ends it.
     */
    private void end(@CheckForNull LaunchedBatch launched, @CheckForNull String failureText) {
        if (!claimCompletion()) {
            return;
        }
        InkitHttp.forget(release);
        launchedBatch = launched;
        failure = failureText;
        phase = Phase.DONE;
        try {
            if (launched != null) {
                getContext().onSuccess(launched.toMap());
            } else {
                getContext().onFailure(new AbortException(failureText));
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Ending the launch of an Inkit batch failed", e);
            getContext()
                    .onFailure(new AbortException(Messages.InkitLaunchBatchStep_Unexpected(
                            e.getClass().getName())));
        }
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

    /** What the launch reports, from Jenkins' timer or the request pool. */
    private final class Listener implements BatchLaunch.Listener {

        private final Run<?, ?> run;

        Listener(Run<?, ?> run) {
            this.run = run;
        }

        @Override
        public void progress(String line) {
            log(line);
        }

        /**
         * From here on the batch may be launched, so that is saved before the request goes out: a
         * restart must never take an unsent request for a sent one. If it cannot be saved, the
         * request is not sent.
         */
        @Override
        public void sending() {
            if (InkitHttp.isClosing()) {
                // The build's state may be saved already: what is sent now could not be accounted for.
                throw new IllegalStateException("Jenkins is shutting down");
            }
            if (phase == Phase.SENDING) {
                return;
            }
            phase = Phase.SENDING;
            try {
                getContext().saveState().get(SAVE_BEFORE_SENDING.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                phase = Phase.PREPARING;
                throw new IllegalStateException("could not save that a launch request is about to be sent", e);
            }
        }

        /** Recorded and logged even when the step was stopped meanwhile: a launched batch must not be lost. */
        @Override
        public void launched(LaunchedBatch batch) {
            try {
                // The batch is recorded with the build before the step ends, and the console links to it.
                InkitBatchAction action = InkitBatchAction.forBatch(run, batch.id());
                action.update(null, false, Messages.InkitLaunchBatchStep_LaunchedOutcome(flowCount, documentCount));
                String link = HyperlinkNote.encodeTo("/" + run.getUrl() + action.getUrlName(), batch.id());
                log(Messages.InkitLaunchBatchStep_Launched(label(), link, flowCount, documentCount));
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Could not record launched Inkit batch " + batch.id(), e);
            }
            end(batch, null);
        }

        @Override
        public void failed(InkitException error) {
            String message = error.getMessage();
            if (error.kind() == InkitException.Kind.TIMED_OUT) {
                message += " "
                        + Messages.InkitBatchStatusStep_RaiseTimeout(
                                Durations.format(Duration.ofMinutes(timeoutMinutes)));
            }
            end(null, message);
        }
    }
}
