package io.jenkins.plugins.inkit.client;

import java.util.LinkedHashMap;
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
}
