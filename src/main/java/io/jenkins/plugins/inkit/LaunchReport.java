package io.jenkins.plugins.inkit;

import hudson.console.HyperlinkNote;
import hudson.model.Run;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import io.jenkins.plugins.inkit.client.watch.LaunchListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a launch tells, told to the build: retries to its log, the saved phase before each request
 * goes out, the launched batch to the build page and the end to the step. Called from Jenkins'
 * timer, the request pool or the thread that saved the program.
 */
final class LaunchReport implements LaunchListener {

    private static final Logger LOGGER = Logger.getLogger(LaunchReport.class.getName());

    private final InkitLaunchBatchExecution execution;
    private final Run<?, ?> run;
    private final LaunchRequest request;

    LaunchReport(InkitLaunchBatchExecution execution, Run<?, ?> run, LaunchRequest request) {
        this.execution = execution;
        this.run = run;
        this.request = request;
    }

    @Override
    public void progress(String line) {
        execution.log(line);
    }

    /**
     * From here on the batch may be launched, so that is saved before the request goes out: a
     * restart must never take a sent request for an unsent one. The save runs on the save thread and
     * the request follows it without holding a thread; a save that fails sends nothing.
     */
    @Override
    public CompletionStage<?> beforeSending() {
        execution.sending();
        if (InkitHttp.isClosing()) {
            // The program may be saved for the restart already: what is sent now could not be accounted for.
            execution.notSent();
            return CompletableFuture.failedFuture(new IllegalStateException("Jenkins is shutting down"));
        }
        CompletableFuture<Void> saved = new CompletableFuture<>();
        InkitHttp.saves().execute(() -> {
            try {
                var save = execution.getContext().saveState();
                save.addListener(
                        () -> {
                            try {
                                save.get();
                                saved.complete(null);
                            } catch (ExecutionException | InterruptedException | RuntimeException e) {
                                notSaved(saved, e);
                            }
                        },
                        Runnable::run);
            } catch (RuntimeException e) {
                notSaved(saved, e);
            }
        });
        return saved;
    }

    /** Inkit answered 429, or nothing left this machine: nothing is on its way until the next try. */
    @Override
    public void notSending() {
        execution.notSent();
        BuildSaves.program(run, execution.getContext());
    }

    private void notSaved(CompletableFuture<Void> saved, Exception e) {
        LOGGER.log(
                Level.WARNING,
                "Could not save that a request to launch an Inkit batch is about to be sent",
                SafeThrowables.of(e));
        execution.notSent();
        saved.completeExceptionally(e);
    }

    /** Recorded and logged even when the step was stopped meanwhile: a launched batch must not be lost. */
    @Override
    public void launched(LaunchedBatch batch) {
        try {
            // The batch is recorded with the build before the step ends, and the console links to it.
            InkitBatchAction action = InkitBatchAction.forBatch(run, batch.id());
            action.record(
                    null,
                    false,
                    Messages.InkitLaunchBatchStep_LaunchedOutcome(
                            String.valueOf(request.flowCount()), String.valueOf(request.documentCount())));
            BuildSaves.build(run);
            String link = HyperlinkNote.encodeTo("/" + run.getUrl() + action.getUrlName(), batch.id());
            execution.log(Messages.InkitLaunchBatchStep_Launched(
                    execution.label(),
                    link,
                    String.valueOf(request.flowCount()),
                    String.valueOf(request.documentCount())));
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not record launched Inkit batch " + batch.id(), SafeThrowables.of(e));
        }
        execution.end(batch, null);
    }

    @Override
    public void failed(InkitException error) {
        if (error.notSent() && InkitHttp.isClosing()) {
            // Jenkins is shutting down and nothing went out: the step is left to the resume, which
            // says that nothing was launched, rather than ended by the shutdown itself.
            execution.notSent();
            return;
        }
        execution.end(null, execution.describe(error));
    }
}
