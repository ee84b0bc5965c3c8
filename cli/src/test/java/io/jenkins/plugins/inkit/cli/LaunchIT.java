package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code launch}, run as the built jar against the simulator: output, exit codes, and never a second launch. */
class LaunchIT {

    static final String PII_NAME = "Zelda Launchperson";
    static final String PII_EMAIL = "zelda.launchperson@example.org";

    static InkitSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSimulator() throws IOException {
        simulator = new InkitSimulator(0, 2, 2);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    static String doc(int i) {
        return "{\"customer_name\": \"" + PII_NAME + "\", \"email\": \"" + PII_EMAIL + "\", \"n\": " + i + "}";
    }

    Path flowsFile(String flowId, int documents, boolean wholeBody) throws IOException {
        StringBuilder docs = new StringBuilder();
        for (int i = 0; i < documents; i++) {
            docs.append(i == 0 ? "" : ",\n").append(doc(i));
        }
        String flows =
                "[{\"flow_id\": \"" + flowId + "\", \"name\": \"Statement\", \"merge_parameters\": [" + docs + "]}]";
        String json = wholeBody ? "{\"name\": \"From the file\", \"flows\": " + flows + "}" : flows;
        Path file = dir.resolve(flowId + "-" + documents + ".json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    static JarRun.Run launch(Path file, String... args) throws Exception {
        List<String> all =
                new ArrayList<>(List.of("launch", "--api-url", simulator.url(), "--flows-file", file.toString()));
        all.addAll(List.of(args));
        JarRun.Run run = CliEndToEndIT.run(CliEndToEndIT.TOKEN, all.toArray(String[]::new));
        for (String pii : List.of(PII_NAME, PII_EMAIL, "Launchperson")) {
            assertFalse(run.all().contains(pii), pii + " shown: " + run);
        }
        for (String pii : InkitSimulator.PERSONAL_DATA) {
            assertFalse(run.all().contains(pii), pii + " shown: " + run);
        }
        return run;
    }

    @Test
    void printsTheBatchIdAloneOnStandardOutputAndTheReportOnStandardError() throws Exception {
        JarRun.Run r = launch(flowsFile("flow_plain", 3, false), "--name", "November statements");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("fb_sim_\\d+\n"), "the ID alone: '" + r.out() + "'");
        String id = r.out().strip();
        assertTrue(
                r.err().contains("Launched Inkit batch 'November statements' (" + id + "): 1 flow(s), 3 document(s)."),
                r.err());
        assertEquals(3, simulator.launchedDocuments(id));
    }

    @Test
    void jsonPrintsTheAnswerAndTheFilesNameIsUsed() throws Exception {
        JarRun.Run r = launch(flowsFile("flow_json", 2, true), "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("id").asText().startsWith("fb_sim_"));
        assertEquals("From the file", json.get("name").asText());
        assertEquals(2, json.get("documents").size());
        assertTrue(json.get("documents").get(0).get("id").asText().startsWith("rend_sim_"));
        assertTrue(json.get("documents").get(0).get("documentId").asText().startsWith("doc_sim_"));
    }

    @Test
    void waitsForTheLaunchedBatchThroughItsFirstInvisibleSecond() throws Exception {
        JarRun.Run r = launch(
                flowsFile("flow_wait", 4, false), "--name", "Waited", "--wait", "--poll-interval", "1s", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("finished").asBoolean(), r.out());
        assertEquals(4, json.get("total").asLong());
        assertEquals(json.get("id").asText(), json.get("launch").get("id").asText());
        assertTrue(
                r.err().contains("does not show batch " + json.get("id").asText() + " yet; looking again in"), r.err());
        assertTrue(r.err().contains("finished: all 4 document generations completed."), r.err());
    }

    @Test
    void exit5WhenTheLaunchMayOrMayNotHaveHappenedAndExactlyOnePost() throws Exception {
        for (String flow : List.of(InkitSimulator.FLOW_FAIL_503, InkitSimulator.FLOW_DROP)) {
            int before = simulator.launchRequestCount();
            JarRun.Run r = launch(flowsFile(flow, 2, false), "--name", "Maybe launched", "--json");
            assertEquals(5, r.exit(), r.toString());
            assertEquals(1, simulator.launchRequestCount() - before, "exactly one POST for " + flow);
            assertTrue(
                    r.err().contains("Inkit batch 'Maybe launched' may or may not have been launched (")
                            && r.err().contains("look for it in Inkit's batch list (by its name) first."),
                    r.err());
            JsonNode error = new ObjectMapper().readTree(r.out()).get("error");
            assertEquals("LAUNCH_UNCERTAIN", error.get("kind").asText());
        }
    }

    @Test
    void aRateLimitIsRetriedAndLaunchesOnce() throws Exception {
        int before = simulator.launchRequestCount();
        JarRun.Run r = launch(flowsFile(InkitSimulator.FLOW_RATE_LIMITED, 1, false));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, simulator.launchRequestCount() - before);
        assertTrue(r.err().contains("(HTTP 429)") && r.err().contains("Nothing was launched; trying again"), r.err());
    }

    @Test
    void exit4WhenInkitRefusesTheLaunch() throws Exception {
        JarRun.Run r = launch(flowsFile(InkitSimulator.FLOW_MISSING_PREFIX + "_x", 1, false));
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("(HTTP 422): {\"detail\":\"Flow flow_missing_x not found\"}"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void exit4WhenNothingListens() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        JarRun.Run r = CliEndToEndIT.run(
                CliEndToEndIT.TOKEN,
                "launch",
                "--api-url",
                "http://127.0.0.1:" + port,
                "--timeout",
                "3s",
                "--flows-file",
                flowsFile("flow_nowhere", 1, false).toString());
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("the connection was refused"), r.err());
        assertTrue(r.err().contains("nothing was launched"), r.err());
    }

    @Test
    void exit2ForAFlowsFileThatCannotBeUsedSayingWhere() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "[{\"flow_id\": \"f\",\n \"merge_parameters\": [{\"name\": " + PII_NAME + "}]}]");
        JarRun.Run r = launch(broken);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("The flows file '" + broken + "' is not valid JSON at line 2, column 32"), r.err());

        JarRun.Run missing = launch(dir.resolve("nope.json"));
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        Path camel = dir.resolve("camel.json");
        Files.writeString(camel, "[{\"flowId\": \"f\", \"mergeParameters\": [" + doc(1) + "]}]");
        JarRun.Run wrongNames = launch(camel);
        assertEquals(2, wrongNames.exit());
        assertTrue(wrongNames.err().contains("flows[0] has the field 'flowId'"), wrongNames.err());

        JarRun.Run noFile = CliEndToEndIT.run(CliEndToEndIT.TOKEN, "launch", "--api-url", simulator.url());
        assertEquals(2, noFile.exit());
        assertTrue(noFile.err().contains("--flows-file"), noFile.err());
    }

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
    void tenThousandDocumentsAreSentWholeAndCounted() throws Exception {
        JarRun.Run r = launch(flowsFile("flow_big", 10_000, false), "--name", "Big");
        assertEquals(0, r.exit(), r.toString());
        String id = r.out().strip();
        assertEquals(10_000, simulator.launchedDocuments(id));
        assertTrue(r.err().contains("1 flow(s), 10000 document(s)"), r.err());
    }

    @Test
    void helpListsExitCode5() throws Exception {
        JarRun.Run r = CliEndToEndIT.run(null, "launch", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("5   the launch may or may not have happened"), r.out());
        assertTrue(r.out().contains("[{\"flow_id\""), r.out());
    }

    @Test
    void theDemoLaunchesAndWaitsWithoutShowingPersonalData() throws Exception {
        JarRun.Run r = CliEndToEndIT.run(null, "demo", "--progress-seconds", "2");
        FailedDocumentsIT.assertNoPersonalData(r);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(
                r.out().contains("Launched Inkit batch 'Demo launch' (fb_sim_1): 2 flow(s), 5 document(s)."), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "Inkit batch 'Demo launch' (fb_sim_1) finished: all 5 document generations completed."),
                r.out());
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
