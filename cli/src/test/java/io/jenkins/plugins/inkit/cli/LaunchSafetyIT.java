package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * {@code launch} as the built jar, on the hostile and unlucky paths: stopped while in flight, durations and
 * files it must refuse unread, a flows file too large for the heap. What it says of the launch always
 * follows from whether a request may have been sent.
 */
class LaunchSafetyIT extends LaunchFixture {

    @Test
    void aTimeoutBeyondThirtyDaysIsExit2AndNothingIsSent() throws Exception {
        int before = simulator.launchRequestCount();
        JarRun.Run r = launch(flowsFile("flow_long", 1, false), "--timeout", "2600000h", "--name", "Long");
        assertEquals(2, r.exit(), r.toString());
        String first = r.err().lines().findFirst().orElseThrow();
        assertEquals(
                "Invalid value for option '--timeout': '2600000h' is longer than 720h (30 days), the longest a"
                        + " duration may be",
                first);
        assertEquals(before, simulator.launchRequestCount(), "nothing was sent");
    }

    @Test
    void aFlowsFileThatIsNotARegularFileIsRefusedUnread() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "a system with /dev/zero");
        String notRegular = "is not a regular file but a device, a pipe or a socket, which may never end. Give the JSON"
                + " file of the flows.";
        JarRun.Run zero = launch(Path.of("/dev/zero"));
        assertEquals(2, zero.exit(), zero.toString());
        assertTrue(zero.err().contains("The flows file '/dev/zero' " + notRegular), zero.err());

        // Standard input a pipe that nobody writes to or closes: a FIFO, which reading would wait on forever.
        JarRun.Started fifo = JarRun.start(
                CliEndToEndIT.TOKEN,
                Map.of(),
                List.of(),
                ProcessBuilder.Redirect.PIPE,
                "launch",
                "--api-url",
                simulator.url(),
                "--flows-file",
                "/dev/stdin");
        try {
            JarRun.Run r = fifo.finish();
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().contains("The flows file '/dev/stdin' " + notRegular), r.err());
        } finally {
            fifo.process().getOutputStream().close();
        }
    }

    @Test
    void aFlowsFileTooLargeForTheHeapIsOneClearLineAndExit4() throws Exception {
        Path big = dir.resolve("big.json");
        try (java.io.Writer w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            w.write("[{\"flow_id\": \"flow_big\", \"merge_parameters\": [");
            for (int i = 0; i < 400_000; i++) {
                w.write((i == 0 ? "" : ",") + doc(i));
            }
            w.write("]}]");
        }
        assertTrue(Files.size(big) > 32 << 20, "larger than the heap given below");
        int before = simulator.launchRequestCount();
        JarRun.Run r = JarRun.run(
                CliEndToEndIT.TOKEN,
                Map.of(),
                List.of("-Xmx32m"),
                "launch",
                "--api-url",
                simulator.url(),
                "--flows-file",
                big.toString());
        assertEquals(4, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(
                r.err()
                        .startsWith("inkit-batch-status launch: The flows file '" + big
                                + "' is too large for the JVM's heap of at most "),
                r.err());
        assertTrue(r.err().contains("give the JVM more with -Xmx"), r.err());
        assertFalse(r.all().contains(PII_NAME));
        assertEquals(before, simulator.launchRequestCount(), "nothing was sent");
    }

    @Test
    void stoppedWhileThePostIsHeldItSaysTheBatchMayOrMayNotHaveBeenLaunched() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (MockWebServer inkit = new MockWebServer()) {
            inkit.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    received.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    return new MockResponse.Builder().code(503).build();
                }
            });
            inkit.start(InetAddress.getByName("127.0.0.1"), 0);
            JarRun.Started started = JarRun.start(
                    CliEndToEndIT.TOKEN,
                    Map.of(),
                    List.of(),
                    "launch",
                    "--api-url",
                    inkit.url("/").toString(),
                    "--flows-file",
                    flowsFile("flow_held", 2, false).toString(),
                    "--name",
                    "Stopped launch");
            try {
                assertTrue(received.await(60, TimeUnit.SECONDS), "the POST arrived");
                started.process().destroy(); // SIGTERM, as a CI system stops a job
                JarRun.Run r = started.finish();
                assertTrue(
                        r.err()
                                .contains("inkit-batch-status launch: stopped. Inkit batch 'Stopped launch' may or may"
                                        + " not have been launched (the command was stopped while launching). Do not"
                                        + " simply run this again: look for it in Inkit's batch list (by its name)"
                                        + " first."),
                        r.err());
                assertEquals("", r.out());
                assertFalse(r.all().contains(CliEndToEndIT.TOKEN));
                assertFalse(r.all().contains(PII_NAME), r.toString());
            } finally {
                release.countDown();
                started.process().destroyForcibly();
            }
        }
    }

    @Test
    void stoppedBetweenRefusedConnectionsItSaysNothingWasLaunched() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        JarRun.Started started = JarRun.start(
                CliEndToEndIT.TOKEN,
                Map.of(),
                List.of(),
                "launch",
                "--api-url",
                "http://127.0.0.1:" + closed,
                "--flows-file",
                flowsFile("flow_refused", 1, false).toString(),
                "--name",
                "Never sent");
        try {
            // The second retry waits at least a second, with nothing in flight: stop it then.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!started.errSoFar().contains("(retry 2 of 6)")) {
                assertTrue(System.nanoTime() < deadline, "no second retry: " + started.errSoFar());
                assertTrue(started.process().isAlive(), started.errSoFar());
                Thread.sleep(20);
            }
            started.process().destroy();
            JarRun.Run r = started.finish();
            assertTrue(
                    r.err()
                            .contains("inkit-batch-status launch: stopped. The command was stopped while launching;"
                                    + " nothing was launched: no request to launch Inkit batch 'Never sent' reached"
                                    + " Inkit."),
                    r.err());
            assertFalse(r.err().contains("may or may not"), r.err());
        } finally {
            started.process().destroyForcibly();
        }
    }
}
