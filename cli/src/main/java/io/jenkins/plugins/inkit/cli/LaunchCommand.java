package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.cli.network.ConnectionOptions;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.watch.BatchLaunch;
import io.jenkins.plugins.inkit.client.watch.BatchWatch;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import io.jenkins.plugins.inkit.client.watch.RetryPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inkit-batch-status launch --flows-file batch.json}: launches one Inkit batch, never twice,
 * prints its ID alone on standard output, and with {@code --wait} waits for it as the status command does.
 */
@Command(
        name = "launch",
        mixinStandardHelpOptions = true,
        description = {
            "Launches an Inkit batch (POST /v1/invoke/batch) from a flows file and prints the new batch ID alone on"
                    + " standard output, the report on standard error: BATCH_ID=$(java -jar inkit-batch-status.jar"
                    + " launch --flows-file batch.json --name NAME). With --wait it then waits for the batch and"
                    + " exits as the status command does.",
            "",
            "The flows file holds the flows in Inkit's own field names, [{\"flow_id\": \"...\","
                    + " \"name\": \"...\", \"merge_parameters\": [{...}, ...]}], one map of merge parameters"
                    + " per document; or a whole request, {\"name\": ..., \"description\": ..., \"flows\":"
                    + " [...]}. Merge parameters are never printed.",
            "",
            "Inkit has no idempotency key, so a launch is tried again only when it certainly did not reach Inkit (a"
                    + " connection refused or not made, or HTTP 429). After a 5xx, a timeout or a connection lost once"
                    + " the request was sent, the batch may or may not have been launched: the command says so and"
                    + " exits with 5; look for the batch in Inkit's batch list, by its name, before launching again."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:launched (and, with --wait, finished with no failed document)",
            "1:with --wait, failed documents (unless --no-fail)",
            "2:bad usage or input: missing token, a flows file that cannot be read or used, bad duration, URL, proxy"
                    + " URL or --ca-cert file",
            "3:with --wait, the timeout passed while waiting",
            "4:the API refused the launch (HTTP 400, 422, a rejected token) or could not be reached before"
                    + " sending; or, with --wait, the API failed while waiting",
            "5:the launch may or may not have happened: check Inkit's batch list before launching again"
        })
final class LaunchCommand implements Callable<Integer> {

    /** Larger flows files are refused unread: that would be millions of documents. */
    static final long MAX_FLOWS_FILE_BYTES = LaunchRequest.MAX_FLOWS_FILE_BYTES;

    @Option(
            names = "--flows-file",
            paramLabel = "FILE",
            required = true,
            description = "The flows to launch: a JSON list of flows in Inkit's field names, or a whole request body.")
    Path flowsFile;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The batch's name (instead of the file's); it is how to find the batch in Inkit's list.")
    String name;

    @Option(
            names = "--description",
            paramLabel = "TEXT",
            description = "The batch's description (instead of the file's).")
    String description;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "60m",
            converter = DurationConverter.class,
            description = "The limit for the whole command, the launch's retries and --wait included (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--json",
            description = "Print Inkit's answer as JSON on standard output instead of the batch ID ({id, name,"
                    + " description, documents}); with --wait, the status command's JSON with that answer under"
                    + " \"launch\".")
    boolean json;

    @Option(names = "--wait", description = "Then wait until the batch is finished, as the status command's --wait.")
    boolean waitUntilFinished;

    @CommandLine.ParentCommand
    InkitBatchStatusCli parent;

    @CommandLine.Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @CommandLine.Mixin
    WaitOptions waiting = new WaitOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What a launch ended with: the batch Inkit answered, or the error. */
    record Outcome(LaunchedBatch batch, InkitException error) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant start = Instant.now();
        LaunchRequest request;
        TokenSource tokens;
        ConnectionOptions.Connection reach;
        try {
            tokens = connection.token(parent.environment);
            request = LaunchRequest.fromJson(read(flowsFile), "the flows file '" + flowsFile + "'")
                    .withName(name)
                    .withDescription(description);
            if (waitUntilFinished) {
                PollingPolicy.of(waiting.pollInterval, waiting.maxPollInterval);
            }
            reach = connection.connect(parent.environment);
        } catch (InkitException e) {
            return fail(out, err, null, e);
        }
        Consumer<String> progress = BatchCheck.printingTo(err);
        progress.accept("Launching " + describe(request.name(), null) + ": " + counts(request) + ".");
        Outcome launch = launch(connection.apiUrl(), reach.http(), tokens, request, timeout, progress);
        if (launch.error() != null) {
            InkitException e = launch.error();
            return fail(out, err, null, withHint(e, reach));
        }
        LaunchedBatch batch = launch.batch();
        err.println("Launched " + describe(batch.name() != null ? batch.name() : request.name(), batch.id()) + ": "
                + counts(request) + ".");
        err.flush();
        if (!json) {
            out.println(batch.id());
            out.flush();
        }
        if (!waitUntilFinished) {
            if (json) {
                out.println(InkitBatchStatusCli.toJson(batch.toMap()));
                out.flush();
            }
            return ExitCode.OK;
        }
        Duration left = timeout.minus(Duration.between(start, Instant.now()));
        if (left.compareTo(Duration.ofSeconds(1)) < 0) {
            return fail(
                    out,
                    err,
                    batch,
                    new InkitException(
                            InkitException.Kind.TIMED_OUT,
                            "The timeout of " + Durations.format(timeout) + " passed once Inkit batch " + batch.id()
                                    + " was launched, before it could be waited for."));
        }
        BatchCheck.Outcome outcome = BatchCheck.run(
                new BatchCheck.Settings(
                        connection.apiUrl(), batch.id(), true, left, waiting.pollInterval, waiting.maxPollInterval),
                reach.http(),
                tokens,
                progress);
        if (outcome.error() != null) {
            return fail(out, err, batch, withHint(outcome.error(), reach));
        }
        return InkitBatchStatusCli.conclude(
                outcome.batch(), outcome.failed(), !waiting.noFail, json, out, err, Map.of("launch", batch.toMap()));
    }

    /**
     * One launch on a plain scheduler, waited for: the core's {@link BatchLaunch}, with the retries of
     * {@link RetryPolicy#DEFAULT}. Shared with the demo.
     */
    static Outcome launch(
            String apiUrl,
            OkHttpClient http,
            TokenSource tokens,
            LaunchRequest request,
            Duration timeout,
            Consumer<String> progress) {
        Clock clock = Clock.systemUTC();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(BatchCheck.daemon("inkit-timer"));
        ExecutorService io = Executors.newSingleThreadExecutor(BatchCheck.daemon("inkit-io"));
        try {
            InkitClient client = new InkitClient(http, apiUrl, clock);
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            new BatchLaunch(
                            client,
                            tokens,
                            request,
                            clock.instant().plus(timeout),
                            RetryPolicy.DEFAULT,
                            BatchWatch.Scheduler.of(timer),
                            io,
                            clock,
                            new BatchLaunch.Listener() {
                                @Override
                                public void progress(String line) {
                                    progress.accept(line);
                                }

                                @Override
                                public void launched(LaunchedBatch batch) {
                                    outcome.complete(new Outcome(batch, null));
                                }

                                @Override
                                public void failed(InkitException error) {
                                    outcome.complete(new Outcome(null, error));
                                }
                            })
                    .start();
            // The launch ends itself by the deadline; this bound only guards against a bug that would not.
            return outcome.get(timeout.plus(BatchCheck.BACKSTOP).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome(
                    null,
                    new InkitException(
                            InkitException.Kind.LAUNCH_UNCERTAIN,
                            "The launch did not end within " + Durations.format(timeout) + "; "
                                    + describe(request.name(), null) + " may or may not have been launched. Do not"
                                    + " simply run this again: look for it in Inkit's batch list first."));
        } catch (InkitException e) {
            return new Outcome(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(
                    null,
                    new InkitException(
                            InkitException.Kind.LAUNCH_UNCERTAIN,
                            "Interrupted while launching; " + describe(request.name(), null) + " may or may not have"
                                    + " been launched. Look for it in Inkit's batch list before running this again."));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            timer.shutdownNow();
            io.shutdownNow();
        }
    }

    /** "Inkit batch 'Name' (fb_1)", "Inkit batch fb_1", "Inkit batch 'Name'", "an Inkit batch without a name". */
    static String describe(String name, String id) {
        if (name == null) {
            return id == null ? "an Inkit batch without a name" : "Inkit batch " + id;
        }
        return "Inkit batch '" + name + "'" + (id == null ? "" : " (" + id + ")");
    }

    static String counts(LaunchRequest request) {
        return request.flowCount() + " flow(s), " + request.documentCount() + " document(s)";
    }

    /** The flows file's bytes; what is wrong with it as an exit-2 error that names it. */
    private static byte[] read(Path file) throws InkitException {
        String what = "The flows file '" + file + "'";
        try {
            if (Files.isDirectory(file)) {
                throw usage(what + " is a directory; give the JSON file of the flows.");
            }
            long size = Files.size(file);
            if (size > MAX_FLOWS_FILE_BYTES) {
                throw usage(
                        what + " is " + size + " bytes, more than the " + MAX_FLOWS_FILE_BYTES + " a launch may send.");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw usage(what + " does not exist.");
        } catch (AccessDeniedException e) {
            throw usage(what + " cannot be read: permission denied.");
        } catch (IOException e) {
            throw usage(what + " cannot be read (" + e.getClass().getSimpleName() + ").");
        }
    }

    private static InkitException usage(String message) {
        return new InkitException(InkitException.Kind.INVALID_INPUT, message);
    }

    private InkitException withHint(InkitException e, ConnectionOptions.Connection reach) {
        String hint = reach.hintFor(e);
        if (e.kind() == InkitException.Kind.TIMED_OUT) {
            hint += " Raise --timeout to wait longer.";
        }
        return hint.isEmpty()
                ? e
                : new InkitException(
                        e.kind(), e.getMessage() + hint, e.httpStatus(), e.retryAfter(), null, e.notSent());
    }

    /**
     * One line on standard error and, with --json, the error on standard output (with the launch's
     * answer when the batch was launched). Before a launch, every failure is exit 2, 4 or 5; a timeout
     * is 3 only once the batch was launched and waited for.
     */
    private int fail(PrintWriter out, PrintWriter err, LaunchedBatch launched, InkitException e) {
        String message = InkitBatchStatusCli.withoutUserInfo(e.getMessage());
        err.println("inkit-batch-status launch: " + message);
        err.flush();
        if (json) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("kind", e.kind().name());
            error.put("httpStatus", e.httpStatus() == 0 ? null : e.httpStatus());
            error.put("message", message);
            Map<String, Object> all = new LinkedHashMap<>();
            if (launched != null) {
                all.put("launch", launched.toMap());
            }
            all.put("error", error);
            out.println(InkitBatchStatusCli.toJson(all));
            out.flush();
        }
        if (launched == null && e.kind() == InkitException.Kind.TIMED_OUT) {
            return ExitCode.API_FAILURE;
        }
        return ExitCode.of(e);
    }
}
