package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import io.jenkins.plugins.inkit.client.watch.Scheduler;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * What both Inkit step executions share: the settings resolved against the global defaults and
 * checked before anything is sent, the build's log, the one claim to end the step, the handle that
 * lets Jenkins' shutdown release the work in progress, and the words for a time limit that passed.
 * Saved with the build's program: settings only, never the token.
 */
abstract class InkitStepExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(InkitStepExecution.class.getName());

    final String credentialsId;
    final String apiUrl;
    final int timeoutMinutes;
    /** Why the step may not fall back to the default credential, or {@code null}. */
    private final String misusedDefault;

    volatile boolean credentialTracked;

    /** Whether the step has ended; a step that ended is never resumed, so this need not be saved. */
    private transient boolean completed;
    /** What {@link InkitHttp} calls to let the work go when Jenkins shuts down. */
    private transient volatile Scheduler.Cancellable release;

    InkitStepExecution(InkitStep step, StepContext context) {
        super(context);
        // The step's own settings win, an explicit URL even when it is Inkit's own; the global defaults fill the rest.
        InkitGlobalConfiguration defaults = InkitGlobalConfiguration.get();
        this.credentialsId = step.getCredentialsId() != null ? step.getCredentialsId() : defaults.getCredentialsId();
        this.apiUrl = step.getApiUrl() != null ? step.getApiUrl() : defaults.getApiUrl();
        this.timeoutMinutes = step.getTimeout();
        this.misusedDefault =
                step.getCredentialsId() == null ? InkitForms.defaultCredentialProblem(step.getApiUrl()) : null;
    }

    /**
     * The settings' checks, made before anything is sent: a credential, a timeout within bounds, a
     * usable URL, and the default credential only for the default URL.
     */
    final InkitClient checkedClient() throws AbortException {
        if (credentialsId == null) {
            throw new AbortException(Messages.InkitBatchStatusStep_NoCredential());
        }
        if (timeoutMinutes < 1) {
            throw new AbortException(Messages.InkitBatchStatusStep_TimeoutTooShort(String.valueOf(timeoutMinutes)));
        }
        if (timeoutMinutes > InkitStep.MAX_TIMEOUT_MINUTES) {
            throw new AbortException(Messages.InkitStep_TimeoutTooLong(
                    String.valueOf(timeoutMinutes), String.valueOf(InkitStep.MAX_TIMEOUT_MINUTES)));
        }
        InkitClient client = client();
        if (misusedDefault != null) {
            throw new AbortException(misusedDefault);
        }
        return client;
    }

    /** The client for the step's URL. */
    final InkitClient client() throws AbortException {
        try {
            return new InkitClient(InkitHttp.client(), apiUrl);
        } catch (InkitException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** The token from the step's credential, looked up for the build at each request; its use tracked once. */
    final CredentialTokenSource tokens(Run<?, ?> run, InkitClient client) {
        return new CredentialTokenSource(run, credentialsId, client.baseUrl().toString(), credentialTracked, () -> {
            credentialTracked = true;
            BuildSaves.program(run, getContext());
        });
    }

    /** The message of a failure, with how to wait longer when the time limit passed. */
    final String describe(InkitException error) {
        String message = error.getMessage();
        if (error.kind() == InkitException.Kind.TIMED_OUT) {
            message += " "
                    + Messages.InkitBatchStatusStep_RaiseTimeout(Durations.format(Duration.ofMinutes(timeoutMinutes)));
        }
        return message;
    }

    /** Remembers the work in progress so that a shutdown can let it go; false when the step ended meanwhile. */
    final synchronized boolean register(Scheduler.Cancellable work) {
        if (completed) {
            return false;
        }
        release = work;
        InkitHttp.remember(work);
        return true;
    }

    /** The work in progress is over: nothing to let go at shutdown. */
    final void unregister() {
        InkitHttp.forget(release);
    }

    final synchronized boolean isCompleted() {
        return completed;
    }

    /** True for the one caller that may end the step: a finish, a failure, a stop or a failed resume. */
    final synchronized boolean claimCompletion() {
        if (completed) {
            return false;
        }
        completed = true;
        return true;
    }

    @CheckForNull
    final TaskListener listener() {
        try {
            return getContext().get(TaskListener.class);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOGGER.log(Level.FINE, "no build log to write to", SafeThrowables.of(e));
            return null;
        }
    }

    /** A line in the build's log; a log that cannot be written to ends nothing. */
    final void log(String text) {
        try {
            TaskListener listener = listener();
            if (listener != null) {
                listener.getLogger().println(text);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "could not write to the build log", SafeThrowables.of(e));
        }
    }

    /** Ends the step with a message and no stack trace. */
    final void failWith(String message) {
        getContext().onFailure(new AbortException(message));
    }

    /** "12 min", "40 sec": as plain as Jenkins' own status phrases. */
    static String timeLeft(Duration left) {
        long seconds = Math.max(0, left.toSeconds());
        return seconds >= 60 ? (seconds + 59) / 60 + " min" : seconds + " sec";
    }
}
