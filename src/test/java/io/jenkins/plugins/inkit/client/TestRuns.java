package io.jenkins.plugins.inkit.client;

import io.jenkins.plugins.inkit.client.json.RunParser;
import io.jenkins.plugins.inkit.client.model.RunPage;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;

/** JSON answers of the run list, {@code GET /v1/invoke}, built for tests. */
public final class TestRuns {

    /** Made-up personal data in every run's merge parameters: it must never show anywhere. */
    public static final String PII_NAME = "Grace Testperson";

    public static final String PII_EMAIL = "grace.testperson@example.org";
    public static final String PII_IBAN = "NL91ABNA0417164300";

    public static final String MERGE_PARAMETERS = "\"merge_parameters\": {\"name\": \"" + PII_NAME + "\", \"email\": \""
            + PII_EMAIL + "\", \"account\": {\"iban\": \"" + PII_IBAN + "\", \"notes\": [\"" + PII_NAME + "\"]}}";

    private TestRuns() {}

    /** A run with the given destinations (JSON members) and a status. */
    public static String run(String id, String batchId, Instant created, String status, String... destinations) {
        StringJoiner dests = new StringJoiner(", ", "{", "}");
        for (String d : destinations) {
            dests.add(d);
        }
        return "{\"id\": \"" + id + "\", \"flow_id\": \"flow_1\", \"flow_name\": \"Monthly statement\","
                + " \"flows_batch_id\": " + (batchId == null ? "null" : "\"" + batchId + "\"") + ", \"status\": \""
                + status + "\", \"destination_status\": \"" + status + "\", \"destinations\": " + dests + ", "
                + MERGE_PARAMETERS + ", \"created_at\": \"" + created + "\"}";
    }

    /** A run that completed on inkit_storage. */
    public static String ok(String id, String batchId, Instant created) {
        return run(id, batchId, created, "completed", "\"inkit_storage\": {\"status\": \"completed\"}");
    }

    /** A run that failed on salesforce with an error text. */
    public static String failed(String id, String batchId, Instant created, String error) {
        return run(
                id,
                batchId,
                created,
                "failed",
                "\"inkit_storage\": {\"status\": \"completed\"}",
                "\"salesforce\": {\"status\": \"failed\", \"error\": \"" + error + "\"}");
    }

    /** A page with Inkit's pagination: {@code next_page} is {@code null} on the last page. */
    public static String page(int page, int pageCount, List<String> runs) {
        return "{\"items\": [" + String.join(", ", runs) + "], \"metadata\": {\"pagination\": {\"page_size\": 100,"
                + " \"current_page\": " + page + ", \"next_page\": " + (page < pageCount ? page + 1 : "null")
                + ", \"prev_page\": " + (page > 1 ? page - 1 : "null") + ", \"page_count\": " + pageCount
                + ", \"total_count\": " + (pageCount * 100) + "}}}";
    }

    public static RunPage parse(String json) throws InkitException {
        return RunParser.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, 100, TestClients.TOKEN);
    }
}
