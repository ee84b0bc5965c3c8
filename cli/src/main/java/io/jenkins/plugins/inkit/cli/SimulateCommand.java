package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inkit-batch-status simulate}: serves demonstration batches on 127.0.0.1 until stopped. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Serves the Inkit batch endpoints on 127.0.0.1 with demonstration batches, and accepts launches,"
                + " until stopped with Ctrl-C.")
final class SimulateCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "8089",
            description = "The port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--progress-seconds",
            defaultValue = "60",
            description = "How long " + InkitSimulator.PROGRESS + " and launched batches take, in seconds"
                    + " (default: ${DEFAULT-VALUE}; at most 30 days).")
    int progressSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65535) {
            spec.commandLine().getErr().println("inkit-batch-status simulate: --port must be between 0 and 65535.");
            return ExitCode.USAGE;
        }
        if (progressSeconds < 0 || progressSeconds > DurationConverter.MAX_SECONDS) {
            spec.commandLine()
                    .getErr()
                    .println("inkit-batch-status simulate: --progress-seconds must be from 0 to "
                            + DurationConverter.MAX_SECONDS + " (30 days).");
            return ExitCode.USAGE;
        }
        InkitSimulator started;
        try {
            started = new InkitSimulator(port, progressSeconds, 4);
        } catch (BindException e) {
            spec.commandLine()
                    .getErr()
                    .println("inkit-batch-status simulate: port " + port + " on 127.0.0.1 is in use (another"
                            + " simulator?): stop what uses it, or choose another port with --port (0 for any free"
                            + " one).");
            return ExitCode.USAGE;
        }
        try (InkitSimulator simulator = started) {
            out.println("Inkit simulator at " + simulator.url() + " (any non-empty token is accepted). Batches:");
            out.println("  " + InkitSimulator.COMPLETED + "     finished, every document completed");
            out.println("  " + InkitSimulator.FAILED + "        finished, 2 documents failed on salesforce");
            out.println("  " + InkitSimulator.PROGRESS + "      finishes " + progressSeconds
                    + " s after its first request");
            out.println("  " + InkitSimulator.STUCK + "         never finishes");
            out.println("  " + InkitSimulator.RATE_LIMITED + "  answers 429 twice, then completed");
            out.println("  " + InkitSimulator.UNAVAILABLE + "   answers 503 twice, then completed");
            out.println("  fb_progress_<N>s_<any>  finishes N seconds after its first request");
            out.println("And POST /v1/invoke/batch launches fb_sim_<n>, not shown for 1 s, then finishing in "
                    + progressSeconds + " s. Flow IDs " + InkitSimulator.FLOW_FAIL_503 + " (503), "
                    + InkitSimulator.FLOW_DROP + " (connection dropped), " + InkitSimulator.FLOW_RATE_LIMITED
                    + " (429 the first time) and " + InkitSimulator.FLOW_MISSING_PREFIX + "* (422) play failures.");
            out.println("Try: INKIT_API_TOKEN=demo java -jar inkit-batch-status.jar --api-url " + simulator.url()
                    + " --wait " + InkitSimulator.PROGRESS);
            out.flush();
            new CountDownLatch(1).await();
        }
        return ExitCode.OK;
    }
}
