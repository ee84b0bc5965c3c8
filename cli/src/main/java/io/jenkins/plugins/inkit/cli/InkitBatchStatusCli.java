package io.jenkins.plugins.inkit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.inkit.cli.network.ConnectionOptions;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.report.BatchMaps;
import io.jenkins.plugins.inkit.client.report.BatchReport;
import io.jenkins.plugins.inkit.client.report.Verdict;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inkit-batch-status [options] BATCH_ID}: checks, or waits for, one Inkit batch. */
@Command(
        name = "inkit-batch-status",
        mixinStandardHelpOptions = true,
        versionProvider = InkitBatchStatusCli.Version.class,
        subcommands = {LaunchCommand.class, SimulateCommand.class, DemoCommand.class},
        description = {
            "Reads an Inkit document batch, optionally waits until it is finished, prints each destination's counts"
                    + " and exits non-zero when documents failed. The API token is read from an environment variable,"
                    + " never from an argument.",
            "",
            "To launch a batch first, see: inkit-batch-status launch --help",
            "",
            "Behind a proxy it follows curl: HTTPS_PROXY (or HTTP_PROXY for a plain http API URL; the lower-case"
                    + " names win) as http://host:port or http://user:password@host:port, percent-encoded, and"
                    + " NO_PROXY for the hosts to reach directly."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the batch was read (and finished, with --wait) with no failed document",
            "1:failed documents (unless --no-fail)",
            "2:bad usage or input: missing token, invalid batch ID, bad duration, URL, proxy URL or --ca-cert file",
            "3:the timeout passed first",
            "4:the API or the network failed: rejected token, unknown batch, retries exhausted, untrustworthy answer,"
                    + " unknown host, untrusted certificate, proxy refused"
        })
public final class InkitBatchStatusCli implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "BATCH_ID",
            arity = "0..1",
            description = "The batch ID, such as fb_4AO6oyjh5yc9jvRKJplghb.")
    String batchId;

    @Option(names = "--wait", description = "Wait until the batch is finished.")
    boolean waitUntilFinished;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "60m",
            converter = DurationConverter.class,
            description = "The limit for the whole command, retries and waiting included (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--json",
            description =
                    "Print the batch, the failed documents and the verdict as JSON on standard output, the report on"
                            + " standard error.")
    boolean json;

    @CommandLine.Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @CommandLine.Mixin
    WaitOptions waiting = new WaitOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment, replaceable in tests. */
    Function<String, String> environment = System::getenv;

    /** Held, since java.util.logging keeps loggers only weakly and would forget their levels. */
    private static final Logger CORE_LOGGER = Logger.getLogger("io.jenkins.plugins.inkit");

    private static final Logger OKHTTP_LOGGER = Logger.getLogger("okhttp3");

    /** A URL's scheme and user information, up to the last '@' before a blank or a quote. */
    /** A URL's user info ({@code scheme://anything@}), or {@code user:password@} typed without a scheme. */
    private static final Pattern USER_INFO =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^\\s'\"]*@|(^|[\\s'\"=])[^\\s'\"=/@:]+:[^\\s'\"@/]*@");

    public static void main(String[] args) {
        quietLogging();
        System.exit(commandLine().execute(args));
    }

    /**
     * Keeps what the core and OkHttp log off standard error: a library's exception text can quote what
     * it was given (a header value, say), and every failure already ends in one clear message. A logging
     * configuration given with -Djava.util.logging.config.file (or .class) is left as it is.
     */
    static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        CORE_LOGGER.setLevel(Level.OFF);
        OKHTTP_LOGGER.setLevel(Level.OFF);
    }

    static CommandLine commandLine() {
        return commandLine(new InkitBatchStatusCli());
    }

    /** The command line around a given instance, whose {@link #environment} a test may have replaced. */
    static CommandLine commandLine(InkitBatchStatusCli command) {
        CommandLine cmd = new CommandLine(command);
        // picocli quotes the arguments it cannot use ("Unknown option: '--proxy-url=http://user:pw@...'"):
        // its message is printed with any user and password in a URL cut out, then the usual usage help.
        cmd.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println(withoutUserInfo(e.getMessage()));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr())) {
                c.usage(c.getErr());
            }
            return ExitCode.USAGE;
        });
        // Anything unexpected still ends with one line and a documented code, not a stack trace; and
        // never with the exception's text, which can quote what it was given (a header, a secret).
        cmd.setExecutionExceptionHandler((e, c, parseResult) -> {
            c.getErr().println(unexpected(e));
            return ExitCode.API_FAILURE;
        });
        return cmd;
    }

    /** What failed and where in this tool, for a bug report: the class and our own frame, no text. */
    static String unexpected(Throwable e) {
        String where = java.util.Arrays.stream(e.getStackTrace())
                .filter(f -> f.getClassName().startsWith("io.jenkins.plugins.inkit."))
                .findFirst()
                .map(f -> " at " + f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
                .orElse("");
        return "inkit-batch-status: unexpected error (" + e.getClass().getName() + where
                + "). Please report it; its message is not shown, as it may quote a secret.";
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter report = json ? err : out;
        if (batchId == null) {
            err.println(
                    "inkit-batch-status: give the batch ID to check, such as: inkit-batch-status --wait fb_4AO6oyjh5yc9jvRKJplghb");
            err.println("Try --help for the options, or the 'demo' command to see it work against a local simulator.");
            return ExitCode.USAGE;
        }
        TokenSource token;
        ConnectionOptions.Connection reach;
        try {
            token = connection.token(environment);
            reach = connection.connect(environment);
        } catch (InkitException e) {
            return fail(out, err, e);
        }
        BatchCheck.Settings settings = new BatchCheck.Settings(
                connection.apiUrl(),
                batchId,
                waitUntilFinished,
                timeout,
                waiting.pollInterval,
                waiting.maxPollInterval);
        BatchCheck.Outcome outcome = BatchCheck.run(settings, reach.http(), token, BatchCheck.printingTo(report));
        if (outcome.error() != null) {
            InkitException e = outcome.error();
            return fail(out, err, e, reach.hintFor(e));
        }
        return conclude(outcome.batch(), outcome.failed(), !waiting.noFail, json, out, report);
    }

    /** The text with the {@code user:password@} of any URL in it replaced, for messages that quote arguments. */
    static String withoutUserInfo(String text) {
        if (text == null) {
            return null;
        }
        return USER_INFO
                .matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(
                        (m.group(1) != null ? m.group(1) : m.group(2)) + "(user and password)@"));
    }

    /**
     * Prints the table, the failed documents and the verdict (and the JSON), and gives the exit code,
     * which the failed documents found never change. Shared with the demo.
     */
    static int conclude(
            Batch batch,
            FailedDocuments failed,
            boolean failOnFailedDocuments,
            boolean json,
            PrintWriter out,
            PrintWriter report) {
        return conclude(batch, failed, failOnFailedDocuments, json, out, report, Map.of());
    }

    /** {@link #conclude(Batch, FailedDocuments, boolean, boolean, PrintWriter, PrintWriter)}, with more keys in the JSON. */
    static int conclude(
            Batch batch,
            FailedDocuments failed,
            boolean failOnFailedDocuments,
            boolean json,
            PrintWriter out,
            PrintWriter report,
            Map<String, Object> extra) {
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
            out.println(toJson(map));
            out.flush();
        }
        return verdict.failsBuild() ? ExitCode.FAILED_DOCUMENTS : ExitCode.OK;
    }

    private int fail(PrintWriter out, PrintWriter err, InkitException e) {
        return fail(out, err, e, "");
    }

    private int fail(PrintWriter out, PrintWriter err, InkitException e, String hint) {
        String message = e.getMessage() + hint;
        if (e.kind() == InkitException.Kind.TIMED_OUT) {
            message += " Raise --timeout to wait longer.";
        }
        // A mistyped argument can be a proxy URL with its password: never echo that part.
        message = withoutUserInfo(message);
        err.println("inkit-batch-status: " + message);
        err.flush();
        if (json) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("kind", e.kind().name());
            error.put("httpStatus", e.httpStatus() == 0 ? null : e.httpStatus());
            error.put("message", message);
            out.println(toJson(Map.of("error", error)));
            out.flush();
        }
        return ExitCode.of(e);
    }

    static String toJson(Object value) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {io.jenkins.plugins.inkit.client.InkitClient.USER_AGENT};
        }
    }
}
