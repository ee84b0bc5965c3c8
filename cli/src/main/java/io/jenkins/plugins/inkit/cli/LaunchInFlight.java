package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.http.LaunchMessages;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.watch.BatchLaunch;
import io.jenkins.plugins.inkit.client.watch.LaunchListener;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * One launch, from its start until the command has reported how it ended: the core's
 * {@link BatchLaunch} on {@link CoreThreads}, and a JVM shutdown hook that says on standard error
 * what a Ctrl-C or a CI system's SIGTERM leaves behind. Whatever this says about whether the batch may
 * have been launched comes from {@link BatchLaunch#mayHaveSent()} or from how the launch ended, never
 * from where the command happened to stop.
 */
final class LaunchInFlight implements AutoCloseable {

    /** What a launch ended with: the batch Inkit answered, or the error. */
    record Outcome(LaunchedBatch batch, InkitException error) {}

    private final LaunchRequest request;
    private final Duration timeout;
    private final CoreThreads threads = new CoreThreads();
    private final CompletableFuture<Outcome> end = new CompletableFuture<>();
    private final BatchLaunch launch;
    private final Thread hook;

    private LaunchInFlight(
            InkitClient client,
            Clock clock,
            TokenSource tokens,
            LaunchRequest request,
            Duration timeout,
            Consumer<String> progress,
            String command,
            PrintWriter err) {
        this.request = request;
        this.timeout = timeout;
        this.launch = new BatchLaunch(
                client,
                tokens,
                request,
                clock.instant().plus(timeout),
                RetryPolicy.DEFAULT,
                threads.scheduler(),
                threads.io(),
                clock,
                new LaunchListener() {
                    @Override
                    public void progress(String line) {
                        progress.accept(line);
                    }

                    @Override
                    public void launched(LaunchedBatch batch) {
                        end.complete(new Outcome(batch, null));
                    }

                    @Override
                    public void failed(InkitException error) {
                        end.complete(new Outcome(null, error));
                    }
                });
        this.hook = err == null
                ? null
                : new Thread(() -> {
                    err.println(command + ": " + stopMessage());
                    err.flush();
                });
    }

    /**
     * Starts a launch with the retries of {@link RetryPolicy#DEFAULT}, bounded by {@code timeout}.
     *
     * @param err where the shutdown hook speaks, or {@code null} for no hook (the demo)
     */
    static LaunchInFlight start(
            String apiUrl,
            OkHttpClient http,
            TokenSource tokens,
            LaunchRequest request,
            Duration timeout,
            Consumer<String> progress,
            String command,
            PrintWriter err)
            throws InkitException {
        Clock clock = Clock.systemUTC();
        // Made first: a URL it refuses leaves no threads behind.
        InkitClient client = new InkitClient(http, apiUrl, clock);
        LaunchInFlight inFlight = new LaunchInFlight(client, clock, tokens, request, timeout, progress, command, err);
        try {
            if (inFlight.hook != null) {
                Runtime.getRuntime().addShutdownHook(inFlight.hook);
            }
        } catch (IllegalStateException shuttingDown) {
            inFlight.threads.close();
            throw new InkitException(
                    InkitException.Kind.UNEXPECTED,
                    "The JVM is shutting down; nothing was launched.",
                    0,
                    null,
                    null,
                    true);
        }
        inFlight.launch.start();
        return inFlight;
    }

    /** How the launch ended; the launch is cancelled when the wait for it ends otherwise. */
    Outcome await() {
        try {
            Outcome outcome = CoreThreads.await(end, timeout);
            if (outcome != null) {
                return outcome;
            }
            launch.cancel();
            return new Outcome(
                    null,
                    stopped(
                            "the launch did not end within " + Durations.format(timeout),
                            InkitException.Kind.TIMED_OUT,
                            ""));
        } catch (InterruptedException e) {
            launch.cancel();
            Thread.currentThread().interrupt();
            return new Outcome(
                    null, stopped("the command was interrupted while launching", InkitException.Kind.UNEXPECTED, ""));
        }
    }

    /**
     * What to report when the command itself failed with {@code t} while this launch was in flight or
     * being reported: exit 5 when the batch may have been launched, 4 otherwise.
     */
    InkitException failure(Throwable t) {
        launch.cancel();
        String what = CommandOutput.whatFailed(t);
        String advice = CommandOutput.advice(t);
        Outcome known = end.getNow(null);
        if (known != null && known.batch() != null) {
            return new InkitException(
                    InkitException.Kind.UNEXPECTED,
                    describe(known.batch().name(), known.batch().id()) + " was launched, but then the command failed: "
                            + what + ". " + advice);
        }
        return stopped("the command failed: " + what, InkitException.Kind.UNEXPECTED, " " + advice);
    }

    /** What the shutdown hook says: the batch launched, may have been launched, or that nothing was. */
    String stopMessage() {
        Outcome known = end.getNow(null);
        if (known != null && known.batch() != null) {
            return "stopped; " + describe(known.batch().name(), known.batch().id()) + " was launched.";
        }
        return "stopped. "
                + stopped("the command was stopped while launching", InkitException.Kind.UNEXPECTED, "")
                        .getMessage();
    }

    /** Whether the batch may have been launched: as the launch ended, or else as far as it got. */
    boolean uncertain() {
        Outcome known = end.getNow(null);
        if (known == null) {
            return launch.mayHaveSent();
        }
        return known.batch() == null && known.error().kind() == InkitException.Kind.LAUNCH_UNCERTAIN;
    }

    /** The launch ended by the command, not by itself: "may or may not" exactly when a request may have been sent. */
    private InkitException stopped(String what, InkitException.Kind kindIfNotSent, String more) {
        if (uncertain()) {
            InkitException e = LaunchMessages.uncertain(request, what, 0);
            return new InkitException(e.kind(), e.getMessage() + more);
        }
        return new InkitException(
                kindIfNotSent,
                capitalised(what) + "; nothing was launched: no request to launch " + LaunchMessages.describe(request)
                        + " reached Inkit." + more,
                0,
                null,
                null,
                true);
    }

    /** Removes the shutdown hook: the command has reported how the launch ended. */
    @Override
    public void close() {
        launch.cancel();
        threads.close();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs, or has run: it says what is left behind.
            }
        }
    }

    /** "Inkit batch 'Name' (fb_1)", "Inkit batch fb_1", "Inkit batch 'Name'", "an Inkit batch without a name". */
    static String describe(String name, String id) {
        if (name == null) {
            return id == null ? "an Inkit batch without a name" : "Inkit batch " + id;
        }
        return "Inkit batch '" + name + "'" + (id == null ? "" : " (" + id + ")");
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
