package io.jenkins.plugins.inkit.cli.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A simulated batch says it was created when its clock started, so that an estimate from its
 * creation holds against the simulator as it would against Inkit.
 */
class SimulatedCreationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static InkitSimulator simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = new InkitSimulator(0, 20, 2);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder request, String path) throws Exception {
        return HTTP.send(
                request.uri(URI.create(simulator.url() + path))
                        .header("X-Inkit-API-Token", "simulated-token")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Instant createdAt(String batchId) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder().GET(), "/v1/invoke/batch/" + batchId);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Date").isPresent(), "the answer is dated");
        return Instant.parse(JSON.readTree(answer.body()).get("created_at").asText());
    }

    @Test
    void aProgressingBatchWasCreatedAtItsFirstRequest() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant created = createdAt("fb_progress_20s_creation");
        Instant after = Instant.now();
        assertFalse(created.isBefore(before) || created.isAfter(after), created + " not in " + before + ".." + after);
        Thread.sleep(20);
        assertEquals(created, createdAt("fb_progress_20s_creation"), "the same creation at every look");
    }

    @Test
    void aLaunchedBatchWasCreatedAtItsLaunch() throws Exception {
        String body = "{\"name\": \"Created\", \"flows\": [{\"flow_id\": \"flow_created\","
                + " \"merge_parameters\": [{\"first_name\": \"Ada\"}]}]}";
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        HttpResponse<String> launched = send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json"),
                "/v1/invoke/batch");
        Instant after = Instant.now();
        assertEquals(201, launched.statusCode(), launched.body());
        JsonNode answer = JSON.readTree(launched.body());
        // Inkit may not show a batch at once; the simulator hides it for its first second.
        Thread.sleep(InkitSimulator.INVISIBLE_MILLIS + 100);
        Instant created = createdAt(answer.get("id").asText());
        assertFalse(created.isBefore(before) || created.isAfter(after), created + " not in " + before + ".." + after);
    }
}
