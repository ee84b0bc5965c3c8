package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.cli.network.TestTls;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every duration option is at most 720h: longer is exit 2 naming the option and the limit, before anything is sent. */
class OptionLimitsTest {

    @TempDir
    Path dir;

    MockWebServer inkit;

    @BeforeEach
    void start() throws Exception {
        inkit = new MockWebServer();
        inkit.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        inkit.close();
    }

    String api() {
        return "http://127.0.0.1:" + inkit.getPort();
    }

    Path flows() throws Exception {
        return Files.writeString(
                dir.resolve("flows.json"), "[{\"flow_id\": \"flow_1\", \"merge_parameters\": [{\"n\": 1}]}]");
    }

    void assertTooLong(InProcess.Run r, String option, String value) {
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        assertTrue(
                r.err()
                        .contains("Invalid value for option '" + option + "': '" + value
                                + "' is longer than 720h (30 days), the longest a duration may be"),
                r.err());
        String first = r.err().lines().findFirst().orElseThrow();
        assertFalse(first.contains("may or may not"), first);
        assertFalse(first.contains("nexpected"), first);
    }

    @Test
    void aCheckRefusesLongDurationsUnsent() {
        assertTooLong(
                InProcess.run(Map.of(), "--api-url", api(), "--timeout", "2600000h", "fb_1"), "--timeout", "2600000h");
        assertTooLong(
                InProcess.run(Map.of(), "--api-url", api(), "--wait", "--poll-interval", "721h", "fb_1"),
                "--poll-interval",
                "721h");
        assertTooLong(
                InProcess.run(Map.of(), "--api-url", api(), "--wait", "--max-poll-interval", "43201m", "fb_1"),
                "--max-poll-interval",
                "43201m");
        assertEquals(0, inkit.getRequestCount());
    }

    @Test
    void aLaunchRefusesLongDurationsWithoutSayingItMayHaveLaunched() throws Exception {
        String file = flows().toString();
        assertTooLong(
                InProcess.run(Map.of(), "launch", "--api-url", api(), "--flows-file", file, "--timeout", "2600000h"),
                "--timeout",
                "2600000h");
        assertTooLong(
                InProcess.run(
                        Map.of(),
                        "launch",
                        "--api-url",
                        api(),
                        "--flows-file",
                        file,
                        "--wait",
                        "--max-poll-interval",
                        "99999999999999h"),
                "--max-poll-interval",
                "99999999999999h");
        assertEquals(0, inkit.getRequestCount());
    }

    @Test
    void thirtyDaysItselfWorks() throws Exception {
        inkit.enqueue(new MockResponse.Builder()
                .code(201)
                .body("{\"id\":\"fb_long\",\"flows_data\":[{\"id\":\"rend_1\",\"document_id\":\"doc_1\"}]}")
                .build());
        inkit.enqueue(new MockResponse.Builder()
                .code(200)
                .body(TestTls.batch("fb_long"))
                .build());
        InProcess.Run r = InProcess.run(
                Map.of(),
                "launch",
                "--api-url",
                api(),
                "--flows-file",
                flows().toString(),
                "--timeout",
                "720h",
                "--wait",
                "--poll-interval",
                "720h",
                "--max-poll-interval",
                "720h");
        assertEquals(ExitCode.OK, r.exit(), r.toString());
        assertEquals("fb_long\n", r.out());
        assertTrue(r.err().contains("finished: all 2 document generations completed."), r.err());
    }

    @Test
    void theSimulatorsProgressIsBoundedToo() {
        InProcess.Run demo = InProcess.run(Map.of(), "demo", "--progress-seconds", "2592001");
        assertEquals(ExitCode.USAGE, demo.exit(), demo.toString());
        assertEquals("inkit-batch-status demo: --progress-seconds must be from 0 to 2592000 (30 days).\n", demo.err());
        InProcess.Run simulate = InProcess.run(Map.of(), "simulate", "--progress-seconds", "-1");
        assertEquals(ExitCode.USAGE, simulate.exit(), simulate.toString());
        assertEquals(
                "inkit-batch-status simulate: --progress-seconds must be from 0 to 2592000 (30 days).\n",
                simulate.err());
    }

    @Test
    void aSimulatorOnAPortInUseSaysSoInOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            InProcess.Run simulate = InProcess.run(Map.of(), "simulate", "--port", String.valueOf(port));
            assertEquals(ExitCode.USAGE, simulate.exit(), simulate.toString());
            assertEquals(
                    "inkit-batch-status simulate: port " + port + " on 127.0.0.1 is in use (another simulator?): stop"
                            + " what uses it, or choose another port with --port (0 for any free one).\n",
                    simulate.err());
        }
    }
}
