package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.client.InkitException;

/** The command's exit codes, documented in README.md. */
final class ExitCode {

    /** The batch was read (and finished, with --wait) with no failed document. */
    static final int OK = 0;
    /** Failed documents, and --no-fail was not given. */
    static final int FAILED_DOCUMENTS = 1;
    /** Bad usage or bad input: missing token, invalid batch ID, bad duration, URL, proxy URL or --ca-cert file. */
    static final int USAGE = 2;
    /** The timeout passed first. */
    static final int TIMED_OUT = 3;
    /**
     * The API or the network failed: rejected token, unknown batch, retries exhausted, an untrustworthy
     * answer, a host name that does not resolve, a certificate that is not trusted, a proxy that refused.
     */
    static final int API_FAILURE = 4;
    /**
     * The launch may or may not have happened: its request may have reached Inkit, but no answer said
     * what came of it. Look for the batch in Inkit's batch list before launching again.
     */
    static final int LAUNCH_UNCERTAIN = 5;

    private ExitCode() {}

    static int of(InkitException e) {
        return switch (e.kind()) {
            case INVALID_INPUT -> USAGE;
            case TIMED_OUT -> TIMED_OUT;
            case LAUNCH_UNCERTAIN -> LAUNCH_UNCERTAIN;
            default -> API_FAILURE;
        };
    }
}
