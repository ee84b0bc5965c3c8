package io.jenkins.plugins.inkit.client.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Inkit answered to a launch: the new batch's ID, its name and description, and the ID of
 * each document's workflow run. Holds no merge parameter and no secret, so the plugin may keep it
 * with the build.
 */
public final class LaunchedBatch implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String id;
    private final String name;
    private final String description;
    private final List<LaunchedDocument> documents;

    public LaunchedBatch(String id, String name, String description, List<LaunchedDocument> documents) {
        this.id = id;
        this.name = name;
        this.description = description;
        this.documents = List.copyOf(documents);
    }

    /** The batch ID, {@code fb_...}: what to check or wait for. */
    public String id() {
        return id;
    }

    /** The name, or {@code null}. */
    public String name() {
        return name;
    }

    /** The description, or {@code null}. */
    public String description() {
        return description;
    }

    /** The documents, in the order of Inkit's {@code flows_data}. */
    public List<LaunchedDocument> documents() {
        return documents;
    }

    /**
     * Plain JDK values for a Pipeline or {@code --json}: {@code id}, {@code name}, {@code description}
     * and {@code documents}, a list of {@code {id, documentId}}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("name", name);
        map.put("description", description);
        List<Map<String, Object>> docs = new ArrayList<>(documents.size());
        for (LaunchedDocument d : documents) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", d.id());
            doc.put("documentId", d.documentId());
            docs.add(doc);
        }
        map.put("documents", docs);
        return map;
    }

    @Override
    public String toString() {
        return "LaunchedBatch[" + id + ", " + documents.size() + " document(s)]";
    }
}
