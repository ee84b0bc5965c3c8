package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.client.TokenSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inkit-batch-status demo}: the whole product, end to end, against an in-process simulator. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Starts the simulator in-process, waits on its progressing batch showing the live report, then checks"
                        + " its batch with failed documents, naming them. Needs no Inkit account.")
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
                    BatchCheck.HTTP,
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
                    BatchCheck.HTTP,
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
            out.println("Requests made: " + simulator.requestCount() + ". Now try it on your own batch:"
                    + " INKIT_API_TOKEN=... java -jar inkit-batch-status.jar --wait <batch id>");
            out.flush();
            return code;
        }
    }
}
