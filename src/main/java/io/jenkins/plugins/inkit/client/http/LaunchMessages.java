package io.jenkins.plugins.inkit.client.http;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import io.jenkins.plugins.inkit.client.text.Excerpts;

/** The words a launch's outcome is told in: never a merge parameter, only the batch's name. */
public final class LaunchMessages {

    private LaunchMessages() {}

    /** "Inkit batch 'Name'", or "an Inkit batch without a name". */
    public static String describe(LaunchRequest request) {
        return request.name() == null
                ? "an Inkit batch without a name"
                : "Inkit batch '" + Excerpts.printable(request.name(), 100) + "'";
    }

    /** The launch may have happened: what to do before trying again. */
    public static InkitException uncertain(LaunchRequest request, String what, int code) {
        String name = request.name();
        String message = (name == null
                        ? "The Inkit batch (launched without a name)"
                        : "Inkit batch '" + Excerpts.printable(name, 100) + "'")
                + " may or may not have been launched (" + what + "). Do not simply run this again: look for it in"
                + " Inkit's batch list ("
                + (name == null ? "among the newest batches, as it has no name" : "by its name")
                + ") first.";
        return new InkitException(InkitException.Kind.LAUNCH_UNCERTAIN, message, code, null, null);
    }

    /** The time ran out before anything was sent: certainly not launched. */
    static InkitException timedOutBeforeSending(LaunchRequest request, Object base) {
        return new InkitException(
                InkitException.Kind.TIMED_OUT,
                "The time limit passed before the launch of " + describe(request) + " could be sent to " + base
                        + "; nothing was launched.",
                0,
                null,
                null,
                true);
    }
}
