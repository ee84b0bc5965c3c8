package io.jenkins.plugins.inkit.client;

import io.jenkins.plugins.inkit.client.json.BatchParser;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.util.StringJoiner;

/** JSON answers of the batch endpoint, built for tests. */
public final class TestBatches {

    /** The documentation's own example, verbatim. */
    public static final String DOCUMENTED_EXAMPLE = """
            {
              "created_at": "2023-11-07T02:16:22.319388Z",
              "destinations": {
                "inkit_storage": {
                  "completed": 1,
                  "count": 1,
                  "failed": 0,
                  "in_progress": 0,
                  "status": "completed"
                }
              },
              "id": "fb_4AO6oyjh5yc9jvRKJplghb",
              "name": "Batch Name",
              "status": "Completed",
              "total": 1
            }
            """;

    private TestBatches() {}

    public static String dest(String name, long count, long completed, long failed, long inProgress) {
        return "\"" + name + "\": {\"count\": " + count + ", \"completed\": " + completed + ", \"failed\": " + failed
                + ", \"in_progress\": " + inProgress + ", \"status\": \""
                + (inProgress > 0 ? "in_progress" : "completed") + "\"}";
    }

    public static String batch(String id, long total, String... destinations) {
        StringJoiner dests = new StringJoiner(", ", "{", "}");
        for (String d : destinations) {
            dests.add(d);
        }
        return "{\"id\": \"" + id + "\", \"name\": \"Test batch\", \"status\": \"Processing\", \"total\": " + total
                + ", \"created_at\": \"2026-11-29T10:00:00.000000Z\", \"destinations\": " + dests + "}";
    }

    public static Batch parse(String json) throws InkitException {
        return BatchParser.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
