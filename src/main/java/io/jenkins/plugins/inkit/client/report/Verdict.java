package io.jenkins.plugins.inkit.client.report;

import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What a batch means for the build: finished or not, failed documents, and whether to fail. */
public final class Verdict {

    private final Batch batch;
    private final boolean finished;
    private final long failedDocuments;
    private final Map<String, Long> failedByDestination;
    private final boolean failsBuild;

    private Verdict(Batch batch, boolean failOnFailedDocuments) {
        this.batch = batch;
        this.finished = batch.isFinished();
        Map<String, Long> failed = new LinkedHashMap<>();
        for (Destination d : batch.destinations().values()) {
            if (d.failed() > 0) {
                failed.put(d.name(), d.failed());
            }
        }
        this.failedByDestination = Collections.unmodifiableMap(failed);
        this.failedDocuments = batch.failedDocuments();
        this.failsBuild = failOnFailedDocuments && failedDocuments > 0;
    }

    /** @param failOnFailedDocuments whether any failed document fails the build (the default) */
    public static Verdict of(Batch batch, boolean failOnFailedDocuments) {
        return new Verdict(batch, failOnFailedDocuments);
    }

    public boolean finished() {
        return finished;
    }

    public long failedDocuments() {
        return failedDocuments;
    }

    /** Destinations with failed documents, and how many, in Inkit's order. */
    public Map<String, Long> failedByDestination() {
        return failedByDestination;
    }

    public boolean failsBuild() {
        return failsBuild;
    }

    /** "salesforce: 2, docusign: 1" */
    public String failedList() {
        return failedByDestination.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** One line for the end of the report. */
    public String describe() {
        String what = BatchReport.label(batch);
        if (failedDocuments > 0) {
            return what + (finished ? " finished with " : " has ") + failedDocuments + " failed document"
                    + (failedDocuments == 1 ? "" : "s") + " (" + failedList() + ")"
                    + (failsBuild ? "." : "; not failing, as asked.");
        }
        if (finished) {
            return what + " finished: all " + batch.settledDocuments() + " document generations completed.";
        }
        return what + " is not finished yet: " + batch.settledDocuments() + " of " + batch.expectedDocuments()
                + " document generations settled, none failed so far.";
    }
}
