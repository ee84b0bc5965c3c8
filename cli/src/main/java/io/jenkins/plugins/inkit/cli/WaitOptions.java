package io.jenkins.plugins.inkit.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How to wait for a batch and what its failed documents mean, for every command that waits. */
final class WaitOptions {

    @Option(
            names = "--poll-interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "The shortest time between two looks while waiting (default: 5s; at most 720h).")
    Duration pollInterval;

    @Option(
            names = "--max-poll-interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "The longest time between two looks while waiting (default: 5m; at most 720h).")
    Duration maxPollInterval;

    @Option(names = "--no-fail", description = "Report failed documents without failing (exit 0).")
    boolean noFail;
}
