package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.watch.BatchWatch;
import io.jenkins.plugins.inkit.client.watch.FinishEstimate;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import io.jenkins.plugins.inkit.client.watch.WatchListener;
import io.jenkins.plugins.inkit.client.watch.WatchState;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/** One check or wait from the command line: the core's watch on {@link CoreThreads}, waited for. */
final class BatchCheck {

    record Settings(
            String apiUrl,
            String batchId,
            boolean waitUntilFinished,
            Duration timeout,
            Duration pollInterval,
            Duration maxPollInterval) {}

    /**
     * The batch and, when it has failed documents, which ones ({@code null} otherwise); or the
     * error that ended the check; and, for a batch that is not finished, when it should be ({@code null}
     * when nothing says).
     */
    record Outcome(Batch batch, FailedDocuments failed, InkitException error, FinishEstimate estimate) {
        Outcome(InkitException error) {
            this(null, null, error, null);
        }
    }

    private BatchCheck() {}

    /**
     * @param http {@link io.jenkins.plugins.inkit.cli.network.ConnectionOptions#HTTP}, or a client made from
     *     it with {@link OkHttpClient#newBuilder()}
     */
    static Outcome run(Settings settings, OkHttpClient http, TokenSource token, Consumer<String> progress) {
        Clock clock = Clock.systemUTC();
        try (CoreThreads threads = new CoreThreads()) {
            InkitClient client = new InkitClient(http, settings.apiUrl(), clock);
            PollingPolicy policy = PollingPolicy.of(settings.pollInterval(), settings.maxPollInterval());
            WatchState state = new WatchState(
                    settings.batchId(), settings.waitUntilFinished(), clock.instant(), settings.timeout());
            CompletableFuture<Outcome> end = new CompletableFuture<>();
            BatchWatch watch = new BatchWatch(
                    client,
                    token,
                    state,
                    policy,
                    RetryPolicy.DEFAULT,
                    threads.scheduler(),
                    threads.io(),
                    clock,
                    new WatchListener() {
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
                            end.complete(new Outcome(batch, failed, null, state.estimate()));
                        }

                        @Override
                        public void failed(InkitException error) {
                            end.complete(new Outcome(null, null, error, state.estimate()));
                        }
                    });
            watch.start();
            Outcome outcome = CoreThreads.await(end, settings.timeout());
            if (outcome == null) {
                watch.cancel();
                return new Outcome(new InkitException(
                        InkitException.Kind.TIMED_OUT,
                        "Inkit batch " + settings.batchId() + " was not done within "
                                + Durations.format(settings.timeout()) + "."));
            }
            return outcome;
        } catch (InkitException e) {
            return new Outcome(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(
                    new InkitException(InkitException.Kind.TIMED_OUT, "Interrupted while waiting for the batch."));
        }
    }

    /** Progress lines with the time of day in front, as a terminal or a CI log wants them. */
    static Consumer<String> printingTo(PrintWriter out) {
        return line -> {
            out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
            out.flush();
        };
    }
}
