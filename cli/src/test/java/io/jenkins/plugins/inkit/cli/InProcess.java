package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** The command line run in the test's JVM with an environment of the test's making. */
final class InProcess {

    static final String TOKEN = "inproc-SECRET-token";

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private InProcess() {}

    /** Runs with {@link #TOKEN} in INKIT_API_TOKEN unless {@code env} says otherwise; asserts it is never printed. */
    static Run run(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("INKIT_API_TOKEN", TOKEN);
        InkitBatchStatusCli cli = new InkitBatchStatusCli();
        cli.environment = all::get;
        CommandLine cmd = InkitBatchStatusCli.commandLine(cli);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        Run run = new Run(cmd.execute(args), out.toString(), err.toString());
        assertFalse(run.all().contains(TOKEN), "the token was printed: " + run);
        assertFalse(run.err().contains("\tat "), "a stack trace: " + run);
        return run;
    }
}
