package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.cli.files.InputFile;
import io.jenkins.plugins.inkit.cli.network.ConnectionOptions;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.json.FlowsFile;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.model.LaunchedBatch;
import io.jenkins.plugins.inkit.client.text.Durations;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
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

    static final String NAME = InkitBatchStatusCli.NAME + " launch";

    /** Larger flows files are refused unread: that would be millions of documents. */
    static final long MAX_FLOWS_FILE_BYTES = LaunchRequest.MAX_FLOWS_FILE_BYTES;

    private static final long MIB = 1024 * 1024;

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
            description = "The limit for the whole command, reading the files, the launch's retries and --wait"
                    + " included (default: ${DEFAULT-VALUE}; at most 720h).")
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CommandOutput output = new CommandOutput(NAME, out, err, err, json);
        return output.run(() -> launch(output, out, err));
    }

    private int launch(CommandOutput output, PrintWriter out, PrintWriter err) throws InkitException {
        TimeLeft time = new TimeLeft(timeout);
        TokenSource tokens = connection.token(parent.environment);
        LaunchRequest request = readFlows(timeout);
        if (waitUntilFinished) {
            PollingPolicy.of(waiting.pollInterval, waiting.maxPollInterval);
        }
        ConnectionOptions.Connection reach = connection.connect(
                parent.environment, time.forRequests("reading the flows file", "nothing was launched"));
        Duration forLaunch = time.forRequests("reading the files", "nothing was launched");
        output.progress()
                .accept("Launching " + LaunchInFlight.describe(request.name(), null) + ": " + counts(request) + ".");
        LaunchedBatch batch;
        try (LaunchInFlight inFlight = LaunchInFlight.start(
                connection.apiUrl(), reach.http(), tokens, request, forLaunch, output.progress(), NAME, err)) {
            try {
                LaunchInFlight.Outcome launch = inFlight.await();
                if (launch.error() != null) {
                    InkitException e = launch.error();
                    // Before the batch is launched, a timeout is no wait that ran out: nothing was launched.
                    int code = e.kind() == InkitException.Kind.TIMED_OUT ? ExitCode.API_FAILURE : ExitCode.of(e);
                    return output.fail(e, reach.hintFor(e), Map.of(), code);
                }
                batch = launch.batch();
                err.println("Launched "
                        + LaunchInFlight.describe(batch.name() != null ? batch.name() : request.name(), batch.id())
                        + ": " + counts(request) + ".");
                err.flush();
                if (!json) {
                    out.println(batch.id());
                    out.flush();
                }
            } catch (Throwable t) {
                InkitException e = inFlight.failure(t);
                return output.fail(e, "", Map.of(), ExitCode.of(e));
            }
        }
        Map<String, Object> launched = Map.of("launch", batch.toMap());
        if (!waitUntilFinished) {
            if (json) {
                out.println(CommandOutput.toJson(batch.toMap()));
                out.flush();
            }
            return ExitCode.OK;
        }
        Duration left = time.left();
        if (left.compareTo(Duration.ofSeconds(1)) < 0) {
            InkitException late = new InkitException(
                    InkitException.Kind.TIMED_OUT,
                    "The timeout of " + Durations.format(timeout) + " passed once Inkit batch " + batch.id()
                            + " was launched, before it could be waited for.");
            return output.fail(late, "", launched, ExitCode.TIMED_OUT);
        }
        BatchCheck.Settings settings = new BatchCheck.Settings(
                connection.apiUrl(), batch.id(), true, left, waiting.pollInterval, waiting.maxPollInterval);
        return output.check(settings, reach, tokens, !waiting.noFail, launched);
    }

    static String counts(LaunchRequest request) {
        return request.flowCount() + " flow(s), " + request.documentCount() + " document(s)";
    }

    /**
     * The request in the flows file: what is wrong with the file is an exit-2 error that names it, a file
     * too large for the JVM's heap is exit 4 saying so.
     */
    private LaunchRequest readFlows(Duration within) throws InkitException {
        String what = "The flows file '" + flowsFile + "'";
        try {
            byte[] json = InputFile.read(
                    flowsFile,
                    MAX_FLOWS_FILE_BYTES,
                    "is larger than " + MAX_FLOWS_FILE_BYTES / MIB + " MiB, the most a launch may send",
                    within);
            return FlowsFile.read(json, "the flows file '" + flowsFile + "'")
                    .withName(name)
                    .withDescription(description);
        } catch (InputFile.Unusable e) {
            throw usage(what + " " + e.getMessage() + "." + (e.notAFile() ? " Give the JSON file of the flows." : ""));
        } catch (OutOfMemoryError e) {
            // What was read is unreachable by now: there is memory again to say so.
            throw new InkitException(
                    InkitException.Kind.UNEXPECTED,
                    what + " is too large for the JVM's heap of at most "
                            + Runtime.getRuntime().maxMemory() / MIB
                            + " MiB: give the JVM more with -Xmx, such as java -Xmx2g -jar inkit-batch-status.jar"
                            + " launch ..., or launch a smaller file.");
        }
    }

    private static InkitException usage(String message) {
        return new InkitException(InkitException.Kind.INVALID_INPUT, message);
    }
}
