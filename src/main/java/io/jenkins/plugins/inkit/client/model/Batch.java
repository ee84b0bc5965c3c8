package io.jenkins.plugins.inkit.client.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A workflow batch as {@code GET /v1/invoke/batch/{id}} describes it. Destinations keep Inkit's
 * order and every name Inkit sends, documented or not. Instances are made by
 * {@link io.jenkins.plugins.inkit.client.json.BatchParser}, which has already checked that the
 * numbers can be true, cleaned every text (no control or format character, short) and blanked the
 * API token out of it.
 */
public final class Batch implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String id;
    private final String name;
    private final String status;
    private final Long total;
    private final String createdAt;
    private final LinkedHashMap<String, Destination> destinations;

    public Batch(
            String id,
            String name,
            String status,
            Long total,
            String createdAt,
            Map<String, Destination> destinations) {
        this.id = Objects.requireNonNull(id);
        this.name = name;
        this.status = status;
        this.total = total;
        this.createdAt = createdAt;
        this.destinations = new LinkedHashMap<>(destinations);
    }

    public String id() {
        return id;
    }

    /** The batch name, or {@code null}. */
    public String name() {
        return name;
    }

    /** The status word as given ("Completed"), or {@code null}. */
    public String status() {
        return status;
    }

    /** The number of documents in the batch, or {@code null} when Inkit did not say. */
    public Long total() {
        return total;
    }

    /** When the batch was created, as Inkit wrote it, or {@code null}. */
    public String createdAt() {
        return createdAt;
    }

    /** The destinations in use, by name, in Inkit's order. */
    public Map<String, Destination> destinations() {
        return Collections.unmodifiableMap(destinations);
    }

    public boolean statusIs(String word) {
        return status != null && status.equalsIgnoreCase(word);
    }

    /** Document generations settled (completed or failed) over all destinations. */
    public long settledDocuments() {
        return destinations.values().stream().mapToLong(Destination::settled).sum();
    }

    /**
     * How many document generations the batch will have settled when it is finished: the
     * destinations' counts, and never fewer than the batch's total, since destinations may
     * appear only once their documents are registered.
     */
    public long expectedDocuments() {
        long counted =
                destinations.values().stream().mapToLong(Destination::count).sum();
        return total == null ? counted : Math.max(counted, total);
    }

    public long failedDocuments() {
        return destinations.values().stream().mapToLong(Destination::failed).sum();
    }

    public long inProgressDocuments() {
        return destinations.values().stream().mapToLong(Destination::inProgress).sum();
    }

    /**
     * Finished, decided from the counts and not from the status word (whose values Inkit does
     * not document): every destination settled, and every document of the total accounted for
     * by at least one destination. A batch that has no destination yet is not finished unless it
     * is empty.
     */
    public boolean isFinished() {
        if (destinations.values().stream().anyMatch(d -> !d.isFinished())) {
            return false;
        }
        long counted =
                destinations.values().stream().mapToLong(Destination::count).sum();
        if (total == null) {
            return !destinations.isEmpty();
        }
        return counted >= total;
    }

    /** Same counts and statuses as {@code other}: nothing a person would notice changed. */
    public boolean sameProgressAs(Batch other) {
        if (other == null
                || !Objects.equals(status, other.status)
                || !Objects.equals(total, other.total)
                || destinations.size() != other.destinations.size()) {
            return false;
        }
        for (Destination d : destinations.values()) {
            if (!d.sameCounts(other.destinations.get(d.name()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b
                && b.id.equals(id)
                && Objects.equals(b.name, name)
                && Objects.equals(b.createdAt, createdAt)
                && sameProgressAs(b)
                && b.destinations.equals(destinations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, status, total);
    }

    @Override
    public String toString() {
        return "Batch " + id + " (" + status + ", " + settledDocuments() + "/" + expectedDocuments() + " settled)";
    }
}
