package io.jenkins.plugins.inkit.client.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Which documents of a batch failed, as far as Inkit's list of workflow runs told: the failed runs
 * found, newest first, and whether that is all of them. When it is not ({@link #complete()} is
 * false), {@link #why()} says why in a sentence for people: the list could not be read (a key
 * whose role may not list runs, a timeout, an answer that cannot be trusted), the look-up stopped
 * at its page limit, or the runs found do not account for every failed document the batch counts.
 * Serialisable and free of secrets and personal data, so that it can be kept with a build.
 */
public final class FailedDocuments implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ArrayList<FailedDocument> documents;
    private final boolean complete;
    private final String why;

    private FailedDocuments(List<FailedDocument> documents, boolean complete, String why) {
        this.documents = new ArrayList<>(documents);
        this.complete = complete;
        this.why = why;
    }

    /** Every failed document of the batch. */
    public static FailedDocuments complete(List<FailedDocument> documents) {
        return new FailedDocuments(documents, true, null);
    }

    /** Only {@code documents} were named, for the reason given. */
    public static FailedDocuments incomplete(List<FailedDocument> documents, String why) {
        return new FailedDocuments(documents, false, Objects.requireNonNull(why));
    }

    /** The failed runs found, newest first. */
    public List<FailedDocument> documents() {
        return Collections.unmodifiableList(documents);
    }

    /** Whether {@link #documents()} names every failed document of the batch. */
    public boolean complete() {
        return complete;
    }

    /** Why the list is not complete, for people; {@code null} when it is. */
    public String why() {
        return why;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FailedDocuments f
                && f.complete == complete
                && Objects.equals(f.why, why)
                && f.documents.equals(documents);
    }

    @Override
    public int hashCode() {
        return Objects.hash(documents, complete, why);
    }

    @Override
    public String toString() {
        return documents.size() + " failed document(s)" + (complete ? "" : ", incomplete: " + why);
    }
}
