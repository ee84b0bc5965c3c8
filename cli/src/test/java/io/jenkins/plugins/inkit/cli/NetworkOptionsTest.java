package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The proxy and certificate options in-process: what is refused before anything is sent, and what is printed. */
class NetworkOptionsTest {

    static final String PASSWORD = "opt-SECRET-pw";
    /** A token in the texts of exceptions that must never be shown. */
    static final String TOKEN = "opt-SECRET-token";

    /** As {@link InProcess#run}, which checks that the token is never printed; nor is the proxy password. */
    static InProcess.Run run(Map<String, String> env, String... args) {
        InProcess.Run run = InProcess.run(env, args);
        assertFalse(run.all().contains(PASSWORD), "the proxy password was printed: " + run);
        return run;
    }

    @Test
    void helpDescribesTheProxyAndCertificateOptions() {
        InProcess.Run r = run(Map.of("HTTPS_PROXY", "http://u:" + PASSWORD + "@proxy:3128"), "--help");
        assertEquals(0, r.exit());
        for (String expected : List.of("--proxy=URL", "--no-proxy", "--ca-cert=FILE", "HTTPS_PROXY", "NO_PROXY")) {
            assertTrue(r.out().contains(expected), expected + " in " + r.out());
        }
    }

    @Test
    void aBrokenProxyVariableIsExit2NamingItWithoutThePassword() throws Exception {
        InProcess.Run r = run(Map.of("HTTPS_PROXY", "http://u:" + PASSWORD + "@proxy:31x8"), "--json", "fb_x");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(
                r.err().contains("The proxy URL in the environment variable HTTPS_PROXY is not usable: the port"),
                r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("INVALID_INPUT", json.get("error").get("kind").asText());
    }

    @Test
    void proxyAndNoProxyTogetherAreExit2() {
        InProcess.Run r = run(Map.of(), "--proxy", "http://proxy:3128", "--no-proxy", "fb_x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("either --proxy or --no-proxy"), r.err());
    }

    @Test
    void aBadCaCertFileIsExit2NamingIt() {
        InProcess.Run r = run(Map.of(), "--ca-cert", "/nonexistent/corp-ca.pem", "fb_x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--ca-cert: the file '/nonexistent/corp-ca.pem' does not exist"), r.err());
    }

    @Test
    void argumentsPicocliQuotesLoseTheirPassword() {
        InProcess.Run unknown = run(Map.of(), "--proxy-url=http://u:" + PASSWORD + "@proxy:3128", "fb_x");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("http://(user and password)@proxy:3128"), unknown.err());

        InProcess.Run twice = run(
                Map.of(),
                "--proxy",
                "http://u:" + PASSWORD + "@a:1",
                "--proxy",
                "http://u:" + PASSWORD + "@b:2",
                "fb_x");
        assertEquals(2, twice.exit());
        assertTrue(twice.err().contains("--proxy"), twice.err());
    }

    @Test
    void userInfoIsCutFromUrlsInText() {
        assertEquals(
                "Unknown option: '--x=http://(user and password)@proxy:3128' and https://(user and password)@h",
                InkitBatchStatusCli.withoutUserInfo("Unknown option: '--x=http://u:p@ss@proxy:3128' and https://a@h"));
        assertEquals("http://proxy:3128/", InkitBatchStatusCli.withoutUserInfo("http://proxy:3128/"));
    }

    @Test
    void theCoreAndOkHttpLogNothingThatReachesStandardError() {
        Logger core = Logger.getLogger("io.jenkins.plugins.inkit");
        Logger okhttp = Logger.getLogger("okhttp3");
        Level coreBefore = core.getLevel();
        Level okhttpBefore = okhttp.getLevel();
        List<LogRecord> published = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                published.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        Handler[] usual = root.getHandlers();
        for (Handler h : usual) {
            root.removeHandler(h);
        }
        root.addHandler(capture);
        try {
            InkitBatchStatusCli.quietLogging();
            Exception quoting = new IllegalArgumentException("Unexpected char in X-Inkit-API-Token value: " + TOKEN);
            Logger.getLogger("io.jenkins.plugins.inkit.client.watch.BatchWatch").log(Level.WARNING, "failed", quoting);
            Logger.getLogger("io.jenkins.plugins.inkit.client.http.NetworkFailures")
                    .log(Level.SEVERE, "failed", quoting);
            Logger.getLogger("okhttp3.OkHttpClient").log(Level.WARNING, "leaked", quoting);
            assertEquals(List.of(), published);
            // Other loggers are untouched: the capture works.
            Logger.getLogger("some.other.library").log(Level.WARNING, "kept");
            assertEquals(1, published.size());
        } finally {
            root.removeHandler(capture);
            for (Handler h : usual) {
                root.addHandler(h);
            }
            core.setLevel(coreBefore);
            okhttp.setLevel(okhttpBefore);
        }
    }

    @Test
    void aPastedTokenThatCannotBeSentIsBadInputAndIsNeverPrinted() {
        String pasted = "pasted-SECRET-key\u00a0";
        InProcess.Run r = run(Map.of("INKIT_API_TOKEN", pasted), "--api-url", "http://127.0.0.1:9", "fb_1");
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("contains a non-breaking space"), r.err());
        assertFalse(r.all().contains("pasted-SECRET-key"), r.toString());
    }

    @Test
    void anUnexpectedErrorNamesItsClassAndPlaceButNotItsText() {
        IllegalStateException e = new IllegalStateException("header value " + TOKEN);
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("okhttp3.Headers", "check", "Headers.kt", 1),
            new StackTraceElement("io.jenkins.plugins.inkit.cli.BatchCheck", "run", "BatchCheck.java", 87)
        });
        String line = CommandOutput.unexpected("inkit-batch-status", e);
        assertEquals(
                "inkit-batch-status: Unexpected error (java.lang.IllegalStateException at"
                        + " io.jenkins.plugins.inkit.cli.BatchCheck.run:87). Please report it; its message is not shown,"
                        + " as it may quote a secret.",
                line);
    }

    @Test
    void aPasswordTypedInTheWrongPlaceIsNeverEchoed() {
        for (String[] args : new String[][] {
            {"--prxy=alice:" + PASSWORD + "@proxy:3128", "fb_1"},
            {"http://alice:" + PASSWORD + "@proxy:3128"},
            {"alice:" + PASSWORD + "@proxy:3128"},
            {"--api-url", "htps://alice:" + PASSWORD + "@proxy:3128", "fb_1"},
        }) {
            InProcess.Run r = run(Map.of(), args);
            assertEquals(ExitCode.USAGE, r.exit(), r.toString());
            assertTrue(r.err().contains("(user and password)@"), r.err());
        }
        assertEquals(
                "see http://(user and password)@p:1 and (user and password)@p:2, not a@b.c",
                InkitBatchStatusCli.withoutUserInfo("see http://u:pw@p:1 and u:pw@p:2, not a@b.c"));
    }
}
