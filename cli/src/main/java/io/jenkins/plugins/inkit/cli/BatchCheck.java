package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.watch.BatchWatch;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import io.jenkins.plugins.inkit.client.watch.WatchState;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/** One check or wait from the command line: the core's watch on a plain scheduler, waited for. */
final class BatchCheck {

    /** How long past its timeout the command waits for the watch to end before giving up on it. */
    static final Duration BACKSTOP = Duration.ofSeconds(30);

    record Settings(
            String apiUrl,
            String batchId,
            boolean waitUntilFinished,
            Duration timeout,
            Duration pollInterval,
            Duration maxPollInterval) {}

    /**
     * The batch and, when it has failed documents, which ones ({@code null} otherwise); or the
     * error that ended the check.
     */
    record Outcome(Batch batch, FailedDocuments failed, InkitException error) {
        Outcome(InkitException error) {
            this(null, null, error);
        }
    }

    private BatchCheck() {}

    /** @param http {@link io.jenkins.plugins.inkit.cli.network.ConnectionOptions#HTTP}, or a client made from it with {@link OkHttpClient#newBuilder()} */
    static Outcome run(Settings settings, OkHttpClient http, TokenSource token, Consumer<String> progress) {
        Clock clock = Clock.systemUTC();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("inkit-timer"));
        ExecutorService io = Executors.newSingleThreadExecutor(daemon("inkit-io"));
        try {
            InkitClient client = new InkitClient(http, settings.apiUrl(), clock);
            PollingPolicy policy = PollingPolicy.of(settings.pollInterval(), settings.maxPollInterval());
            WatchState state = new WatchState(
                    settings.batchId(), settings.waitUntilFinished(), clock.instant(), settings.timeout());
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            new BatchWatch(
                            client,
                            token,
                            state,
                            policy,
                            RetryPolicy.DEFAULT,
                            BatchWatch.Scheduler.of(timer),
                            io,
                            clock,
                            new BatchWatch.Listener() {
                                @Override
                                public void progress(String line) {
                                    progress.accept(line);
                                }

                                @Override
                                public void finished(Batch batch) {
                                    finished(batch, null);
                                }

                                @Override
                                public void finished(Batch batch, FailedDocuments failed) {
                                    outcome.complete(new Outcome(batch, failed, null));
                                }

                                @Override
                                public void failed(InkitException error) {
                                    outcome.complete(new Outcome(error));
                                }
                            })
                    .start();
            // The watch ends itself by the deadline; this bound only guards against a bug that would not.
            return outcome.get(settings.timeout().plus(BACKSTOP).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome(new InkitException(
                    InkitException.Kind.TIMED_OUT,
                    "Inkit batch " + settings.batchId() + " was not done within " + Durations.format(settings.timeout())
                            + "."));
        } catch (InkitException e) {
            return new Outcome(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(
                    new InkitException(InkitException.Kind.TIMED_OUT, "Interrupted while waiting for the batch."));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            timer.shutdownNow();
            io.shutdownNow();
        }
    }

    /** Progress lines with the time of day in front, as a terminal or a CI log wants them. */
    static Consumer<String> printingTo(java.io.PrintWriter out) {
        return line -> {
            out.println(java.time.LocalTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " " + line);
            out.flush();
        };
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
