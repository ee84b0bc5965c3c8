package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.cli.network.ConnectionOptions;
import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
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

    @Option(
            names = "--progress-seconds",
            defaultValue = "30",
            description = "How long the demonstration batch takes (default: ${DEFAULT-VALUE}).")
    int progressSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (InkitSimulator simulator = new InkitSimulator(0, progressSeconds, 2)) {
            out.println("Simulated Inkit at " + simulator.url() + "; waiting on " + InkitSimulator.PROGRESS
                    + ", which finishes in " + progressSeconds + " s:");
            out.flush();
            BatchCheck.Settings settings = new BatchCheck.Settings(
                    simulator.url(),
                    InkitSimulator.PROGRESS,
                    true,
                    Duration.ofSeconds(progressSeconds).plusMinutes(2),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(15));
            BatchCheck.Outcome outcome = BatchCheck.run(
                    settings,
                    ConnectionOptions.HTTP,
                    TokenSource.of("demo-token", "the demo token"),
                    BatchCheck.printingTo(out));
            if (outcome.error() != null) {
                spec.commandLine()
                        .getErr()
                        .println("inkit-batch-status demo: " + outcome.error().getMessage());
                return ExitCode.of(outcome.error());
            }
            int code = InkitBatchStatusCli.conclude(outcome.batch(), outcome.failed(), true, false, out, out);
            out.println();
            out.println("And a batch in which documents failed, " + InkitSimulator.FAILED
                    + ": the report names them, from Inkit's list of workflow runs.");
            out.flush();
            BatchCheck.Outcome failed = BatchCheck.run(
                    new BatchCheck.Settings(
                            simulator.url(),
                            InkitSimulator.FAILED,
                            false,
                            Duration.ofMinutes(1),
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(15)),
                    ConnectionOptions.HTTP,
                    TokenSource.of("demo-token", "the demo token"),
                    BatchCheck.printingTo(out));
            if (failed.error() != null) {
                spec.commandLine()
                        .getErr()
                        .println("inkit-batch-status demo: " + failed.error().getMessage());
                return ExitCode.of(failed.error());
            }
            // The demonstration of a failure is not one: the demo's own exit code stays the first batch's.
            InkitBatchStatusCli.conclude(failed.batch(), failed.failed(), true, false, out, out);
            int launched = launchAndWait(simulator, out);
            if (launched != ExitCode.OK) {
                return launched;
            }
            out.println("Requests made: " + simulator.requestCount() + ". Now try it on your own batch:"
                    + " INKIT_API_TOKEN=... java -jar inkit-batch-status.jar --wait <batch id>, or launch one with"
                    + " INKIT_API_TOKEN=... java -jar inkit-batch-status.jar launch --flows-file batch.json --wait");
            out.flush();
            return code;
        }
    }

    /** Launches a batch of two flows on the simulator and waits for it, as {@code launch --wait} does. */
    private int launchAndWait(InkitSimulator simulator, PrintWriter out) throws InkitException {
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
        LaunchRequest request =
                LaunchRequest.fromFlows(List.of(welcome, statement)).withName("Demo launch");
        TokenSource token = TokenSource.of("demo-token", "the demo token");
        LaunchCommand.Outcome launch = LaunchCommand.launch(
                simulator.url(),
                ConnectionOptions.HTTP,
                token,
                request,
                Duration.ofMinutes(1),
                BatchCheck.printingTo(out));
        if (launch.error() != null) {
            spec.commandLine()
                    .getErr()
                    .println("inkit-batch-status demo: " + launch.error().getMessage());
            return ExitCode.of(launch.error());
        }
        String id = launch.batch().id();
        out.println("Launched " + LaunchCommand.describe(launch.batch().name(), id) + ": "
                + LaunchCommand.counts(request) + ".");
        out.flush();
        BatchCheck.Outcome waited = BatchCheck.run(
                new BatchCheck.Settings(
                        simulator.url(),
                        id,
                        true,
                        Duration.ofSeconds(progressSeconds).plusMinutes(2),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(15)),
                ConnectionOptions.HTTP,
                token,
                BatchCheck.printingTo(out));
        if (waited.error() != null) {
            spec.commandLine()
                    .getErr()
                    .println("inkit-batch-status demo: " + waited.error().getMessage());
            return ExitCode.of(waited.error());
        }
        return InkitBatchStatusCli.conclude(waited.batch(), waited.failed(), true, false, out, out);
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
