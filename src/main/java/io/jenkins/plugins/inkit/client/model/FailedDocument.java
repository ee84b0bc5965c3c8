package io.jenkins.plugins.inkit.client.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One workflow run of a batch that failed, as {@code GET /v1/invoke} lists it: which document,
 * which flow, and for each destination it failed on, Inkit's error text when it gave one. Every
 * text is already a short printable excerpt with the token blanked out; the run's merge parameters
 * (the customer's personal data) are never read, so they cannot be here.
 */
public final class FailedDocument implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String runId;
    private final String flowId;
    private final String flowName;
    private final String createdAt;
    private final LinkedHashMap<String, String> destinations;

    public FailedDocument(
            String runId, String flowId, String flowName, String createdAt, Map<String, String> destinations) {
        this.runId = Objects.requireNonNull(runId);
        this.flowId = flowId;
        this.flowName = flowName;
        this.createdAt = createdAt;
        this.destinations = new LinkedHashMap<>(destinations);
    }

    /** The run's ID, such as {@code rend_0151}. */
    public String runId() {
        return runId;
    }

    /** The flow's ID, or {@code null}. */
    public String flowId() {
        return flowId;
    }

    /** The flow's name, or {@code null}. */
    public String flowName() {
        return flowName;
    }

    /** When the run was created, as Inkit wrote it, or {@code null}. */
    public String createdAt() {
        return createdAt;
    }

    /**
     * The destinations the run failed on, in Inkit's order, each with Inkit's error text or
     * {@code null}; empty when the run's own status says it failed but no destination does.
     */
    public Map<String, String> destinations() {
        return Collections.unmodifiableMap(destinations);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FailedDocument d
                && d.runId.equals(runId)
                && Objects.equals(d.flowId, flowId)
                && Objects.equals(d.flowName, flowName)
                && Objects.equals(d.createdAt, createdAt)
                && d.destinations.equals(destinations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, flowId, flowName, createdAt, destinations);
    }

    @Override
    public String toString() {
        return "FailedDocument " + runId + " (" + flowName + ") " + destinations;
    }
}
