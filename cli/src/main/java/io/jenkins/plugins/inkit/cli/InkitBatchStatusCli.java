package io.jenkins.plugins.inkit.cli;

import io.jenkins.plugins.inkit.cli.network.ConnectionOptions;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.TokenSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
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
        name = InkitBatchStatusCli.NAME,
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
                    + " NO_PROXY for the hosts to reach directly. An API on this machine (localhost, 127.0.0.0/8, ::1)"
                    + " is always reached directly."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the batch was read (and finished, with --wait) with no failed document",
            "1:failed documents (unless --no-fail)",
            "2:bad usage or input: missing token, invalid batch ID, bad duration, URL, proxy URL or --ca-cert file",
            "3:the timeout passed first",
            "4:the API or the network failed: rejected token, unknown batch, retries exhausted, untrustworthy answer,"
                    + " unknown host, untrusted certificate, proxy refused; or the command failed unexpectedly"
        })
public final class InkitBatchStatusCli implements Callable<Integer> {

    static final String NAME = "inkit-batch-status";

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
            description = "The limit for the whole command, retries, waiting and reading --ca-cert included (default:"
                    + " ${DEFAULT-VALUE}; at most 720h).")
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

    /** A URL's user info ({@code scheme://anything@}), or {@code user:password@} typed without a scheme. */
    private static final Pattern USER_INFO =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^\\s'\"]*@|(^|[\\s'\"=])[^\\s'\"=/@:]+:[^\\s'\"@/]*@");

    public static void main(String[] args) {
        quietLogging();
        int code;
        try {
            code = commandLine().execute(args);
        } catch (Throwable t) {
            // Whatever escaped picocli (an Error while parsing, say) still ends in one line and a documented code.
            System.err.println(CommandOutput.unexpected(NAME, t));
            code = ExitCode.API_FAILURE;
        }
        System.exit(code);
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
        // Each command maps what it throws itself; these are the last resort, for Exceptions (picocli wraps
        // them) and Errors (it does not): one line, never the text, which can quote a secret.
        cmd.setExecutionExceptionHandler((e, c, parseResult) -> {
            c.getErr().println(CommandOutput.unexpected(c.getCommandSpec().qualifiedName(), e));
            return ExitCode.API_FAILURE;
        });
        cmd.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (Error e) {
                List<CommandLine> commands = parseResult.asCommandLineList();
                CommandLine c = commands.get(commands.size() - 1);
                c.getErr().println(CommandOutput.unexpected(c.getCommandSpec().qualifiedName(), e));
                c.getErr().flush();
                return ExitCode.API_FAILURE;
            }
        });
        return cmd;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CommandOutput output = new CommandOutput(NAME, out, err, json ? err : out, json);
        return output.run(() -> {
            if (batchId == null) {
                err.println(
                        NAME + ": give the batch ID to check, such as: " + NAME + " --wait fb_4AO6oyjh5yc9jvRKJplghb");
                err.println("Try --help for the options, or the 'demo' command to see it work against a local"
                        + " simulator.");
                return ExitCode.USAGE;
            }
            TimeLeft time = new TimeLeft(timeout);
            TokenSource token = connection.token(environment);
            ConnectionOptions.Connection reach = connection.connect(environment, timeout);
            // Reading --ca-cert counts: the check has what is left (the same, unless the file was slow).
            Duration left = time.forRequests("reading --ca-cert", "the batch was not looked at");
            BatchCheck.Settings settings = new BatchCheck.Settings(
                    connection.apiUrl(),
                    batchId,
                    waitUntilFinished,
                    left,
                    waiting.pollInterval,
                    waiting.maxPollInterval);
            return output.check(settings, reach, token, !waiting.noFail, Map.of());
        });
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {InkitClient.USER_AGENT};
        }
    }
}
