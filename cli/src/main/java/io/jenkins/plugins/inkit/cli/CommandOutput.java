package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.cli.network.ConnectionOptions;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.json.Json;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.report.BatchMaps;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.report.Verdict;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How every command ends, the check and the launch alike: the report and the verdict, or one line
 * saying what failed (with --json, the same as JSON on standard output), and the exit code.
 */
final class CommandOutput {

    private static final String LOGGED = "; the details were logged";

    private final String command;
    private final PrintWriter out;
    private final PrintWriter err;
    private final PrintWriter report;
    private final boolean json;

    /**
     * @param command the name in front of every error line, "inkit-batch-status launch"
     * @param report where progress, the table and the verdict go: standard output, or standard error when
     *     standard output is for the JSON or the launched batch's ID
     */
    CommandOutput(String command, PrintWriter out, PrintWriter err, PrintWriter report, boolean json) {
        this.command = command;
        this.out = out;
        this.err = err;
        this.report = report;
        this.json = json;
    }

    PrintWriter err() {
        return err;
    }

    String command() {
        return command;
    }

    /** Progress lines on the report's side, with the time of day. */
    Consumer<String> progress() {
        return BatchCheck.printingTo(report);
    }

    /**
     * Checks or waits for the batch and reports it: where both commands end.
     *
     * @param extra more keys for the JSON, such as the launch's answer
     */
    int check(
            BatchCheck.Settings settings,
            ConnectionOptions.Connection reach,
            TokenSource token,
            boolean failOnFailedDocuments,
            Map<String, Object> extra) {
        BatchCheck.Outcome outcome = BatchCheck.run(settings, reach.http(), token, progress());
        Map<String, Object> keys = extra;
        if (outcome.estimate() != null) {
            keys = new LinkedHashMap<>(extra);
            keys.put("estimate", outcome.estimate().toMap(Instant.now()));
        }
        if (outcome.error() != null) {
            return fail(outcome.error(), reach.hintFor(outcome.error()), keys, ExitCode.of(outcome.error()));
        }
        return conclude(outcome.batch(), outcome.failed(), failOnFailedDocuments, keys);
    }

    /**
     * Prints the table, the failed documents and the verdict (and the JSON), and gives the exit code,
     * which the failed documents found never change.
     */
    int conclude(Batch batch, FailedDocuments failed, boolean failOnFailedDocuments, Map<String, Object> extra) {
        Verdict verdict = Verdict.of(batch, failOnFailedDocuments);
        report.print(BatchReport.summary(batch, verdict, failed));
        report.flush();
        if (json) {
            Map<String, Object> map = BatchMaps.toMap(batch, failed);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("finished", verdict.finished());
            v.put("failedDocuments", verdict.failedDocuments());
            v.put("failedByDestination", verdict.failedByDestination());
            v.put("failsBuild", verdict.failsBuild());
            map.put("verdict", v);
            map.putAll(extra);
            printJson(map);
        }
        return verdict.failsBuild() ? ExitCode.FAILED_DOCUMENTS : ExitCode.OK;
    }

    /** What a command does, ending in its exit code; any failure it throws is reported here. */
    interface Body {
        int run() throws InkitException;
    }

    /** Runs the command's body, so that every way it can fail ends the same: one line and a documented code. */
    int run(Body body) {
        try {
            return body.run();
        } catch (InkitException e) {
            return fail(e);
        } catch (Throwable t) {
            return unexpected(t);
        }
    }

    int fail(InkitException e) {
        return fail(e, "", Map.of(), ExitCode.of(e));
    }

    /**
     * One line on standard error and, with --json, the error on standard output, beside the extra keys.
     *
     * @param hint words to add: what to do about the proxy or the certificate that caused it
     */
    int fail(InkitException e, String hint, Map<String, Object> extra, int exitCode) {
        String message = e.getMessage() + hint;
        if (message.contains(LOGGED)) {
            // The core says so of what it logged, but the command line keeps the core's log off, since it
            // may quote a secret: the class in the message is all there is.
            message = message.replace(LOGGED, "") + " Please report it.";
        }
        if (e.kind() == InkitException.Kind.TIMED_OUT) {
            message += " Raise --timeout to wait longer.";
        }
        // A mistyped argument can be a proxy URL with its password: never echo that part.
        message = InkitBatchStatusCli.withoutUserInfo(message);
        err.println(command + ": " + message);
        err.flush();
        if (json) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("kind", e.kind().name());
            error.put("httpStatus", e.httpStatus() == 0 ? null : e.httpStatus());
            error.put("message", message);
            Map<String, Object> all = new LinkedHashMap<>(extra);
            all.put("error", error);
            printJson(all);
        }
        return exitCode;
    }

    /** Any throwable, Errors included, as one line (never its text, which may quote a secret), and exit 4. */
    int unexpected(Throwable t) {
        return fail(new InkitException(InkitException.Kind.UNEXPECTED, capitalised(whatFailed(t)) + ". " + advice(t)));
    }

    /** The line for a throwable, with the command's name in front. */
    static String unexpected(String command, Throwable t) {
        return command + ": " + capitalised(whatFailed(t)) + ". " + advice(t);
    }

    /** What failed and where in this tool, for a bug report: the class and our own frame, no text. */
    static String whatFailed(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory, with a heap of at most "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
        }
        String where = Arrays.stream(t.getStackTrace())
                .filter(f -> f.getClassName().startsWith("io.jenkins.plugins.inkit."))
                .findFirst()
                .map(f -> " at " + f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
                .orElse("");
        return "unexpected error (" + t.getClass().getName() + where + ")";
    }

    static String advice(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "The input is too large for the JVM's heap: give the JVM more with -Xmx, such as"
                    + " java -Xmx2g -jar inkit-batch-status.jar ..., or use a smaller file.";
        }
        return "Please report it; its message is not shown, as it may quote a secret.";
    }

    private void printJson(Map<String, Object> map) {
        out.println(toJson(map));
        out.flush();
    }

    static String toJson(Object value) {
        return Json.pretty(value);
    }

    static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
