package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built jar names the failed documents of the simulator's failed batch, and shows no personal data. */
class FailedDocumentsIT {

    static InkitSimulator simulator;

    @BeforeAll
    static void startSimulator() throws IOException {
        simulator = new InkitSimulator(0, 3, 2);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    static JarRun.Run check(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--api-url", simulator.url()));
        all.addAll(List.of(args));
        JarRun.Run run = CliEndToEndIT.run(CliEndToEndIT.TOKEN, all.toArray(String[]::new));
        assertNoPersonalData(run);
        return run;
    }

    static void assertNoPersonalData(JarRun.Run run) {
        for (String pii : InkitSimulator.PERSONAL_DATA) {
            assertFalse(run.all().contains(pii), pii + " shown: " + run);
        }
        assertFalse(run.all().contains("Placeholder"), run.toString());
        assertFalse(run.all().contains("merge_parameters"), run.toString());
    }

    @Test
    void theReportNamesTheFailedDocumentsAfterTheTable() throws Exception {
        int before = simulator.runListRequestCount();
        JarRun.Run r = check(InkitSimulator.FAILED);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(
                r.out()
                        .contains("  salesforce         3          1       2            0  failed\n"
                                + "Failed documents:\n"
                                + "  rend_demo_failed_0003  Contract  salesforce: " + InkitSimulator.SALESFORCE_MISSING
                                + "\n"
                                + "  rend_demo_failed_0002  Contract  salesforce: " + InkitSimulator.SALESFORCE_ERROR
                                + "\n"
                                + "Inkit batch 'Contracts' (fb_demo_failed) finished with 2 failed documents"
                                + " (salesforce: 2)."),
                r.out());
        assertEquals(2, simulator.runListRequestCount() - before, "the batch's runs are on the second page");
    }

    @Test
    void jsonListsThemAndNoFailDoesNotHideThem() throws Exception {
        JarRun.Run r = check("--json", InkitSimulator.FAILED);
        assertEquals(1, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("failedDocumentsComplete").asBoolean());
        JsonNode docs = json.get("failedDocuments");
        assertEquals(2, docs.size());
        assertEquals("rend_demo_failed_0003", docs.get(0).get("id").asText());
        assertEquals("flow_contract", docs.get(0).get("flowId").asText());
        assertEquals("Contract", docs.get(0).get("flowName").asText());
        assertTrue(docs.get(0).get("createdAt").asText().endsWith("Z"), docs.toString());
        assertEquals(
                InkitSimulator.SALESFORCE_ERROR,
                docs.get(1).get("destinations").get("salesforce").asText());
        assertEquals(2, json.get("verdict").get("failedDocuments").asLong(), "the verdict is unchanged");
        assertTrue(r.err().contains("Failed documents:"), "the report on standard error: " + r.err());

        JarRun.Run lenient = check("--no-fail", InkitSimulator.FAILED);
        assertEquals(0, lenient.exit(), lenient.toString());
        assertTrue(lenient.out().contains("rend_demo_failed_0002  Contract"), lenient.out());
    }

    @Test
    void aBatchWithoutFailuresListsNoRuns() throws Exception {
        int before = simulator.runListRequestCount();
        JarRun.Run r = check("--json", InkitSimulator.COMPLETED);
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.all().contains("Failed documents"), r.toString());
        assertFalse(new ObjectMapper().readTree(r.out()).has("failedDocuments"));
        assertEquals(before, simulator.runListRequestCount());
    }

    @Test
    void theSimulatorReallyServesPersonalDataThatTheToolNeverShows() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        simulator.url() + "/v1/invoke?page=2&page_size=100&sort=-created_at"))
                                .header("X-Inkit-API-Token", "any")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        for (String pii : InkitSimulator.PERSONAL_DATA) {
            assertTrue(page.body().contains(pii), "the test would prove nothing without " + pii);
        }
        JsonNode pagination =
                new ObjectMapper().readTree(page.body()).get("metadata").get("pagination");
        assertEquals(2, pagination.get("current_page").asInt());
        assertTrue(pagination.get("next_page").isNull());
        assertEquals(1, pagination.get("prev_page").asInt());
        assertEquals(
                InkitSimulator.SINGLE_RUNS + 60, pagination.get("total_count").asInt());
    }

    @Test
    void theDemoShowsTheFailedDocuments() throws Exception {
        JarRun.Run r = CliEndToEndIT.run(null, "demo", "--progress-seconds", "3");
        assertNoPersonalData(r);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("finished: all 80 document generations completed."), r.out());
        assertTrue(
                r.out().contains("  rend_demo_failed_0002  Contract  salesforce: " + InkitSimulator.SALESFORCE_ERROR),
                r.out());
    }
}
