package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.cli.network.ConnectionOptions;
import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.json.PipelineFlows;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inkit-batch-status demo}: the whole product, end to end, against an in-process simulator. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Starts the simulator in-process, waits on its progressing batch showing the live report, checks"
                + " its batch with failed documents, naming them, then launches a batch and waits for it."
                + " Needs no Inkit account.")
final class DemoCommand implements Callable<Integer> {

    private static final TokenSource TOKEN = TokenSource.of("demo-token", "the demo token");

    @Option(
            names = "--progress-seconds",
            defaultValue = "30",
            description = "How long the demonstration batches take, in seconds (default: ${DEFAULT-VALUE}; at most"
                    + " 30 days).")
    int progressSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CommandOutput output = new CommandOutput(
                InkitBatchStatusCli.NAME + " demo", out, spec.commandLine().getErr(), out, false);
        if (progressSeconds < 0 || progressSeconds > DurationConverter.MAX_SECONDS) {
            return output.fail(new InkitException(
                    InkitException.Kind.INVALID_INPUT,
                    "--progress-seconds must be from 0 to " + DurationConverter.MAX_SECONDS + " (30 days)."));
        }
        return output.run(() -> demo(output, out));
    }

    private int demo(CommandOutput output, PrintWriter out) throws InkitException {
        try (InkitSimulator simulator = new InkitSimulator(0, progressSeconds, 2)) {
            out.println("Simulated Inkit at " + simulator.url() + "; waiting on " + InkitSimulator.PROGRESS
                    + ", which finishes in " + progressSeconds + " s:");
            out.flush();
            BatchCheck.Outcome outcome = BatchCheck.run(
                    settings(simulator, InkitSimulator.PROGRESS, true),
                    ConnectionOptions.http(),
                    TOKEN,
                    output.progress());
            if (outcome.error() != null) {
                return output.fail(outcome.error());
            }
            int code = output.conclude(outcome.batch(), outcome.failed(), true, Map.of());
            out.println();
            out.println("And a batch in which documents failed, " + InkitSimulator.FAILED
                    + ": the report names them, from Inkit's list of workflow runs.");
            out.flush();
            BatchCheck.Outcome failed = BatchCheck.run(
                    settings(simulator, InkitSimulator.FAILED, false),
                    ConnectionOptions.http(),
                    TOKEN,
                    output.progress());
            if (failed.error() != null) {
                return output.fail(failed.error());
            }
            // The demonstration of a failure is not one: the demo's own exit code stays the first batch's.
            output.conclude(failed.batch(), failed.failed(), true, Map.of());
            int launched = launchAndWait(simulator, output, out);
            if (launched != ExitCode.OK) {
                return launched;
            }
            out.println("Requests made: " + simulator.requestCount() + ". Now try it on your own batch:"
                    + " INKIT_API_TOKEN=... java -jar inkit-batch-status.jar --wait <batch id>, or launch one with"
                    + " INKIT_API_TOKEN=... java -jar inkit-batch-status.jar launch --flows-file batch.json --wait");
            out.flush();
            return code;
        } catch (IOException e) {
            throw new InkitException(
                    InkitException.Kind.UNEXPECTED,
                    "The simulator could not listen on a loopback port ("
                            + e.getClass().getSimpleName() + ").");
        }
    }

    private BatchCheck.Settings settings(InkitSimulator simulator, String batchId, boolean wait) {
        Duration timeout = wait ? Duration.ofSeconds(progressSeconds).plusMinutes(2) : Duration.ofMinutes(1);
        return new BatchCheck.Settings(
                simulator.url(), batchId, wait, timeout, Duration.ofSeconds(2), Duration.ofSeconds(15));
    }

    /** Launches a batch of two flows on the simulator and waits for it, as {@code launch --wait} does. */
    private int launchAndWait(InkitSimulator simulator, CommandOutput output, PrintWriter out) throws InkitException {
        out.println();
        out.println("And a launch: two flows whose merge parameters are made-up personal data, which is never"
                + " printed; then a wait for the new batch, which the simulator shows only after a second.");
        out.flush();
        Map<String, Object> welcome = new LinkedHashMap<>();
        welcome.put("flowId", "flow_welcome_letter");
        welcome.put("name", "Welcome letter");
        welcome.put("mergeParameters", customers(3));
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("flowId", "flow_statement");
        statement.put("mergeParameters", customers(2));
        LaunchRequest request = PipelineFlows.read(List.of(welcome, statement)).withName("Demo launch");
        LaunchInFlight.Outcome launch;
        try (LaunchInFlight inFlight = LaunchInFlight.start(
                simulator.url(),
                ConnectionOptions.http(),
                TOKEN,
                request,
                Duration.ofMinutes(1),
                output.progress(),
                output.command(),
                null)) {
            launch = inFlight.await();
        }
        if (launch.error() != null) {
            return output.fail(launch.error());
        }
        String id = launch.batch().id();
        out.println("Launched " + LaunchInFlight.describe(launch.batch().name(), id) + ": "
                + LaunchCommand.counts(request) + ".");
        out.flush();
        BatchCheck.Outcome waited =
                BatchCheck.run(settings(simulator, id, true), ConnectionOptions.http(), TOKEN, output.progress());
        if (waited.error() != null) {
            return output.fail(waited.error());
        }
        return output.conclude(waited.batch(), waited.failed(), true, Map.of());
    }

    /** Documents of made-up customers: the simulator's personal data, which must never show. */
    private static List<Map<String, Object>> customers(int n) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("customer_name", InkitSimulator.PERSONAL_DATA.get(0));
            d.put("email", InkitSimulator.PERSONAL_DATA.get(1));
            d.put("iban", InkitSimulator.PERSONAL_DATA.get(2));
            d.put("date_of_birth", InkitSimulator.PERSONAL_DATA.get(3));
            documents.add(d);
        }
        return documents;
    }
}
