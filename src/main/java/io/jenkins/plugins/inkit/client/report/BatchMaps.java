package io.jenkins.plugins.inkit.client.report;

import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import io.jenkins.plugins.inkit.client.model.FailedDocument;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch as plain values (strings, numbers, booleans, maps): what the Pipeline step returns
 * without needing a script-security approval, and what the command line prints as JSON.
 */
public final class BatchMaps {

    private BatchMaps() {}

    public static Map<String, Object> toMap(Batch batch) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", batch.id());
        map.put("name", batch.name());
        map.put("status", batch.status());
        map.put("total", batch.total());
        map.put("createdAt", batch.createdAt());
        map.put("finished", batch.isFinished());
        map.put("failed", batch.failedDocuments());
        Map<String, Object> destinations = new LinkedHashMap<>();
        for (Destination d : batch.destinations().values()) {
            Map<String, Object> dest = new LinkedHashMap<>();
            dest.put("count", d.count());
            dest.put("completed", d.completed());
            dest.put("failed", d.failed());
            dest.put("inProgress", d.inProgress());
            dest.put("status", d.status());
            destinations.put(d.name(), dest);
        }
        map.put("destinations", destinations);
        return map;
    }

    /**
     * {@link #toMap(Batch)} and, when failed documents were looked up, {@code failedDocuments}: a
     * list of maps {@code id}, {@code flowId}, {@code flowName}, {@code createdAt} and
     * {@code destinations} (each failed destination's name to Inkit's error text, or {@code null}),
     * newest first; and {@code failedDocumentsComplete}, false when the list does not name them all.
     * Without a look-up ({@code failed} is {@code null}: no document failed) neither key is present.
     */
    public static Map<String, Object> toMap(Batch batch, FailedDocuments failed) {
        Map<String, Object> map = toMap(batch);
        if (failed != null) {
            List<Map<String, Object>> documents = new ArrayList<>();
            for (FailedDocument d : failed.documents()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("id", d.runId());
                doc.put("flowId", d.flowId());
                doc.put("flowName", d.flowName());
                doc.put("createdAt", d.createdAt());
                doc.put("destinations", new LinkedHashMap<>(d.destinations()));
                documents.add(doc);
            }
            map.put("failedDocuments", documents);
            map.put("failedDocumentsComplete", failed.complete());
        }
        return map;
    }
}
