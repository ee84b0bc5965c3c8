package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code launch}, run as the built jar against the simulator: output, exit codes, and never a second launch. */
class LaunchIT extends LaunchFixture {

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
}
