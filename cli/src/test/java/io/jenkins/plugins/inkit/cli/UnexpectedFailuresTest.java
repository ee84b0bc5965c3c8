package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every throwable, Errors included, ends in one line on standard error and exit 4: never a stack trace. */
class UnexpectedFailuresTest {

    static final String SECRET = "thrown-SECRET-text";

    record Run(int exit, String out, String err) {}

    static Run run(Function<String, String> environment, String... args) {
        InkitBatchStatusCli cli = new InkitBatchStatusCli();
        cli.environment = environment;
        CommandLine cmd = InkitBatchStatusCli.commandLine(cli);
        cmd.addSubcommand("error", new ThrowsError());
        cmd.addSubcommand("exception", new ThrowsException());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        Run run = new Run(cmd.execute(args), out.toString(), err.toString());
        assertFalse((run.out() + run.err()).contains(SECRET), "the throwable's text was printed: " + run);
        assertFalse(run.err().contains("\tat "), "a stack trace: " + run);
        return run;
    }

    static <T extends Throwable> T withoutFrames(T t) {
        t.setStackTrace(new StackTraceElement[0]);
        return t;
    }

    @Test
    void outOfMemoryHasItsOwnWords() {
        Run r = run(
                name -> {
                    throw withoutFrames(new OutOfMemoryError(SECRET));
                },
                "--api-url",
                "http://127.0.0.1:9",
                "fb_1");
        assertEquals(ExitCode.API_FAILURE, r.exit(), r.toString());
        String heap = Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
        assertEquals(
                "inkit-batch-status: Out of memory, with a heap of at most " + heap + ". The input is too large for"
                        + " the JVM's heap: give the JVM more with -Xmx, such as java -Xmx2g -jar"
                        + " inkit-batch-status.jar ..., or use a smaller file.\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void anyOtherErrorNamesItsClassAndIsExit4WithJsonToo() throws Exception {
        Run r = run(
                name -> {
                    throw withoutFrames(new StackOverflowError(SECRET));
                },
                "launch",
                "--json",
                "--flows-file",
                "nowhere.json");
        assertEquals(ExitCode.API_FAILURE, r.exit(), r.toString());
        assertEquals(
                "inkit-batch-status launch: Unexpected error (java.lang.StackOverflowError). Please report it; its"
                        + " message is not shown, as it may quote a secret.\n",
                r.err());
        JsonNode error = new ObjectMapper().readTree(r.out()).get("error");
        assertEquals("UNEXPECTED", error.get("kind").asText());
        assertTrue(error.get("message").asText().startsWith("Unexpected error (java.lang.StackOverflowError)"));
    }

    @Test
    void anErrorOnTheCoresThreadsIsOneLineThatClaimsNoLog() throws Exception {
        try (MockWebServer inkit = new MockWebServer()) {
            // A 503 makes the core announce a retry: writing that line fails, on the core's own thread.
            inkit.enqueue(new MockResponse.Builder().code(503).build());
            inkit.start(InetAddress.getByName("127.0.0.1"), 0);
            InkitBatchStatusCli cli = new InkitBatchStatusCli();
            cli.environment = Map.of("INKIT_API_TOKEN", "t")::get;
            CommandLine cmd = InkitBatchStatusCli.commandLine(cli);
            StringWriter err = new StringWriter();
            cmd.setOut(new PrintWriter(new Writer() {
                @Override
                public void write(char[] buffer, int offset, int length) {
                    throw withoutFrames(new LinkageError(SECRET));
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            }));
            cmd.setErr(new PrintWriter(err, true));
            int exit = cmd.execute("--api-url", "http://127.0.0.1:" + inkit.getPort(), "fb_1");
            assertEquals(ExitCode.API_FAILURE, exit, err.toString());
            assertEquals(
                    "inkit-batch-status: Reading Inkit batch fb_1 failed unexpectedly (java.lang.LinkageError). Please"
                            + " report it.\n",
                    err.toString());
        }
    }

    @Test
    void whatEscapesACommandIsCaughtByTheCommandLineItself() {
        Run error = run(name -> null, "error");
        assertEquals(ExitCode.API_FAILURE, error.exit(), error.toString());
        assertTrue(
                error.err()
                        .startsWith("inkit-batch-status error: Unexpected error (java.lang.LinkageError at"
                                + " io.jenkins.plugins.inkit.cli.UnexpectedFailuresTest$ThrowsError.call:"),
                error.err());
        assertEquals(1, error.err().lines().count());

        Run exception = run(name -> null, "exception");
        assertEquals(ExitCode.API_FAILURE, exception.exit(), exception.toString());
        assertTrue(
                exception
                        .err()
                        .startsWith("inkit-batch-status exception: Unexpected error (java.lang.IllegalStateException"),
                exception.err());
    }

    @Command(name = "error")
    static final class ThrowsError implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new LinkageError(SECRET);
        }
    }

    @Command(name = "exception")
    static final class ThrowsException implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException(SECRET);
        }
    }
}
