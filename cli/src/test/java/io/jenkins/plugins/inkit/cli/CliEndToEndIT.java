package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.inkit.cli.JarRun.Run;
import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built jar, run as a user runs it, against the simulator. */
class CliEndToEndIT {

    static final String TOKEN = "e2e-SECRET-token-0123456789";
    static InkitSimulator simulator;

    @BeforeAll
    static void startSimulator() throws IOException {
        simulator = new InkitSimulator(0, 3, 2);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    static Run run(String token, String... args) throws Exception {
        return JarRun.run(token, Map.of(), List.of(), args);
    }

    static Run check(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--api-url", simulator.url()));
        all.addAll(List.of(args));
        return run(TOKEN, all.toArray(String[]::new));
    }

    @Test
    void exit0ForAFinishedBatchWithTheTable() throws Exception {
        Run r = check(InkitSimulator.COMPLETED);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("  inkit_storage      3          3       0            0  completed"), r.out());
        assertTrue(r.out().contains("finished: all 6 document generations completed."), r.out());
    }

    @Test
    void exit0AfterWaitingForAProgressingBatchWithProgressLines() throws Exception {
        Run r = check("--wait", "--poll-interval", "1s", "--max-poll-interval", "2s", InkitSimulator.PROGRESS);
        assertEquals(0, r.exit(), r.toString());
        long progressLines = r.out()
                .lines()
                .filter(l -> l.contains("settled [inkit_storage"))
                .count();
        assertTrue(progressLines >= 2, r.out());
        assertTrue(r.out().contains("Completed: 80/80 settled"), r.out());
    }

    @Test
    void exit1ForFailedDocumentsUnlessNoFail() throws Exception {
        Run r = check(InkitSimulator.FAILED);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("finished with 2 failed documents (salesforce: 2)."), r.out());
        Run lenient = check("--no-fail", InkitSimulator.FAILED);
        assertEquals(0, lenient.exit(), lenient.toString());
        assertTrue(lenient.out().contains("not failing, as asked."), lenient.out());
    }

    @Test
    void exit2ForBadInput() throws Exception {
        Run noToken = run(null, "--api-url", simulator.url(), InkitSimulator.COMPLETED);
        assertEquals(2, noToken.exit(), noToken.toString());
        assertTrue(noToken.err().contains("set the environment variable INKIT_API_TOKEN"), noToken.err());

        Run renamed =
                run(TOKEN, "--api-url", simulator.url(), "--token-env", "MY_INKIT_TOKEN", InkitSimulator.COMPLETED);
        assertEquals(2, renamed.exit());
        assertTrue(renamed.err().contains("MY_INKIT_TOKEN"), renamed.err());

        // The key itself given as the variable's name: never printed, not even as the name.
        String key = "tok_7Hq2XmP9vLr4SECRETnb";
        Run keyAsName = run(TOKEN, "--api-url", simulator.url(), "--token-env", key, InkitSimulator.COMPLETED);
        assertEquals(2, keyAsName.exit(), keyAsName.toString());
        assertTrue(keyAsName.err().contains("did you pass the key itself?"), keyAsName.err());
        assertFalse(keyAsName.all().contains(key), keyAsName.toString());

        Run badId = check("fb/../../admin");
        assertEquals(2, badId.exit(), badId.toString());
        assertTrue(badId.err().contains("may contain only letters, digits"), badId.err());

        Run badDuration = check("--timeout", "5 minutes", InkitSimulator.COMPLETED);
        assertEquals(2, badDuration.exit(), badDuration.toString());
        assertTrue(badDuration.err().contains("30s, 5m or 1h"), badDuration.err());

        Run tooLong = check("--wait", "--timeout", "2600000h", InkitSimulator.COMPLETED);
        assertEquals(2, tooLong.exit(), tooLong.toString());
        assertTrue(tooLong.err().contains("'--timeout': '2600000h' is longer than 720h (30 days)"), tooLong.err());

        Run plainHttp = run(TOKEN, "--api-url", "http://api.inkit.com", InkitSimulator.COMPLETED);
        assertEquals(2, plainHttp.exit(), plainHttp.toString());
        assertTrue(plainHttp.err().contains("unencrypted"), plainHttp.err());

        Run noId = check();
        assertEquals(2, noId.exit());
        assertTrue(noId.err().contains("give the batch ID"), noId.err());
    }

    @Test
    void anAbsurdRetryAfterOnA503IsReadAsSuchNotAsAStackTrace() throws Exception {
        try (MockWebServer inkit = new MockWebServer()) {
            inkit.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    return new mockwebserver3.MockResponse.Builder()
                            .code(503)
                            .addHeader("Retry-After", "99999999999999999")
                            .body("down for maintenance")
                            .build();
                }
            });
            inkit.start(InetAddress.getByName("127.0.0.1"), 0);
            String api = "http://127.0.0.1:" + inkit.getPort();
            for (String wait : List.of("", "--wait")) {
                List<String> args = new ArrayList<>(List.of("--api-url", api, "--timeout", "20s"));
                if (!wait.isEmpty()) {
                    args.add(wait);
                }
                args.add("fb_maintenance");
                Run r = run(TOKEN, args.toArray(String[]::new));
                assertEquals(3, r.exit(), r.toString());
                assertTrue(r.err().contains("Inkit asked to wait 87600h before trying again (Retry-After)"), r.err());
                assertFalse(r.all().contains("NumberFormatException") || r.all().contains("\tat "), r.toString());
            }
            assertEquals(2, inkit.getRequestCount(), "one request each: OkHttp did not try again by itself");
        }
    }

    @Test
    void jsonCarriesWhenAnUnfinishedBatchShouldFinish() throws Exception {
        // Half of the batch settled in the ten seconds since it was created, by the server's own clock.
        java.time.Instant now = java.time.Instant.now();
        String body = "{\"id\": \"fb_half\", \"name\": \"Half\", \"status\": \"Processing\", \"total\": 10,"
                + " \"created_at\": \"" + now.minusSeconds(10) + "\", \"destinations\": {\"inkit_storage\":"
                + " {\"count\": 10, \"completed\": 5, \"failed\": 0, \"in_progress\": 5}}}";
        try (MockWebServer inkit = new MockWebServer()) {
            inkit.enqueue(new mockwebserver3.MockResponse.Builder()
                    .addHeader(
                            "Date",
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                    now.atZone(java.time.ZoneOffset.UTC)))
                    .body(body)
                    .build());
            inkit.start(InetAddress.getByName("127.0.0.1"), 0);
            Run r = run(TOKEN, "--api-url", "http://127.0.0.1:" + inkit.getPort(), "--json", "fb_half");
            assertEquals(0, r.exit(), r.toString());
            JsonNode json = new ObjectMapper().readTree(r.out());
            JsonNode estimate = json.get("estimate");
            assertTrue(estimate != null && estimate.isObject(), r.out());
            assertEquals("creation", estimate.get("basis").asText());
            long left = estimate.get("secondsLeft").asLong();
            assertTrue(left >= 5 && left <= 15, "about ten seconds: " + r.out());
            assertTrue(
                    java.time.Instant.parse(estimate.get("finishAt").asText()).isAfter(now), r.out());
        }
        Run finished = check("--json", InkitSimulator.COMPLETED);
        assertFalse(
                new ObjectMapper().readTree(finished.out()).has("estimate"), "none for a finished batch: " + finished);
    }

    @Test
    void aLocalApiIsNeverReachedThroughAProxyWhateverSetsOne() throws Exception {
        try (MockWebServer proxy = new MockWebServer()) {
            // Were it asked, it would answer at once, as a proxy that cannot reach the server does.
            proxy.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    return new mockwebserver3.MockResponse.Builder().code(502).build();
                }
            });
            proxy.start(InetAddress.getByName("127.0.0.1"), 0);
            String proxyUrl = "http://alice:proxy-SECRET-pw@127.0.0.1:" + proxy.getPort();
            Map<String, String> env = Map.of(
                    "HTTP_PROXY", proxyUrl, "http_proxy", proxyUrl, "HTTPS_PROXY", proxyUrl, "https_proxy", proxyUrl);
            String localhost = simulator.url().replace("127.0.0.1", "localhost");
            for (List<String> args : List.of(
                    List.of("--api-url", simulator.url(), InkitSimulator.COMPLETED),
                    List.of("--api-url", localhost, InkitSimulator.COMPLETED),
                    List.of("--proxy", proxyUrl, "--api-url", simulator.url(), InkitSimulator.COMPLETED))) {
                Run r = JarRun.run(TOKEN, env, List.of(), args.toArray(String[]::new));
                assertEquals(0, r.exit(), r.toString());
                assertTrue(r.out().contains("finished: all 6 document generations completed."), r.out());
                assertFalse(r.all().contains("proxy-SECRET-pw"), r.toString());
            }
            assertEquals(0, proxy.getRequestCount(), "the proxy never saw the token");
        }
    }

    @Test
    void exit3WhenTheTimeoutPassesFirst() throws Exception {
        Run r = check("--wait", "--timeout", "4s", "--poll-interval", "1s", InkitSimulator.STUCK);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(
                r.err().contains("did not finish within 4s. Last seen: 4 of 20 document generations settled"), r.err());
        assertTrue(r.err().contains("Raise --timeout"), r.err());
    }

    @Test
    void exit4WhenTheApiFails() throws Exception {
        Run unknown = check("fb_no_such_batch");
        assertEquals(4, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("Inkit has no batch 'fb_no_such_batch' (HTTP 404)"), unknown.err());
        assertTrue(unknown.err().contains("the environment variable INKIT_API_TOKEN"), unknown.err());
    }

    @Test
    void rateLimitsAndOutagesAreRetried() throws Exception {
        Run limited = check(InkitSimulator.RATE_LIMITED);
        assertEquals(0, limited.exit(), limited.toString());
        assertTrue(limited.out().contains("rate limiting requests (HTTP 429)"), limited.out());
        Run unavailable = check(InkitSimulator.UNAVAILABLE);
        assertEquals(0, unavailable.exit(), unavailable.toString());
        assertTrue(
                unavailable.out().contains("(HTTP 503)") && unavailable.out().contains("retry 2 of 6"),
                unavailable.out());
    }

    @Test
    void jsonOnStandardOutputTheReportOnStandardError() throws Exception {
        Run r = check("--json", InkitSimulator.FAILED);
        assertEquals(1, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(InkitSimulator.FAILED, json.get("id").asText());
        assertEquals(2, json.get("failed").asLong());
        assertTrue(json.get("finished").asBoolean());
        assertEquals(2, json.get("destinations").get("salesforce").get("failed").asLong());
        assertEquals(
                1, json.get("destinations").get("salesforce").get("completed").asLong());
        assertTrue(json.get("verdict").get("failsBuild").asBoolean());
        assertEquals(
                2,
                json.get("verdict").get("failedByDestination").get("salesforce").asLong());
        assertTrue(r.err().contains("destination"), "the table went to standard error: " + r.err());

        Run error = check("--json", "fb_missing");
        assertEquals(4, error.exit());
        JsonNode e = new ObjectMapper().readTree(error.out());
        assertEquals("BATCH_NOT_FOUND", e.get("error").get("kind").asText());
        assertEquals(404, e.get("error").get("httpStatus").asInt());
    }

    @Test
    void theDemoShowsTheProductWorking() throws Exception {
        Run r = run(null, "demo", "--progress-seconds", "3");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Completed: 80/80 settled"), r.out());
        assertTrue(r.out().contains("finished: all 80 document generations completed."), r.out());
    }

    @Test
    void helpListsTheExitCodes() throws Exception {
        Run r = run(null, "--help");
        assertEquals(0, r.exit());
        assertTrue(
                r.out().contains("--max-poll-interval") && r.out().contains("3   the timeout passed first"), r.out());
    }
}
