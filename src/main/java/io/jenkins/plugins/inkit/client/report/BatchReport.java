package io.jenkins.plugins.inkit.client.report;

import io.jenkins.plugins.inkit.client.model.Batch;
import io.jenkins.plugins.inkit.client.model.Destination;
import io.jenkins.plugins.inkit.client.model.FailedDocument;
import io.jenkins.plugins.inkit.client.model.FailedDocuments;
import io.jenkins.plugins.inkit.client.text.Excerpts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What people read: a line when a batch changed while waiting, and at the end a table of the
 * destinations. Batch names come from outside, so everything printed is made printable.
 */
public final class BatchReport {

    /** Failed documents named one per line; more are counted. */
    public static final int MAX_FAILED_LINES = 20;

    private BatchReport() {}

    /** "batch 'Invoices' (fb_123)" */
    public static String label(Batch batch) {
        String name =
                batch.name() == null || batch.name().isBlank() ? "" : "'" + Excerpts.printable(batch.name(), 80) + "' ";
        return "Inkit batch " + name + "(" + batch.id() + ")";
    }

    /** A progress line when {@code current} differs from {@code previous}, else {@code null}. */
    public static String changeLine(Batch previous, Batch current) {
        return changeLine(previous, current, null);
    }

    /**
     * A progress line when {@code current} differs from {@code previous}, else {@code null}, ending
     * with how long is left ("about 40 s left") when {@code left} is given and the batch is not finished.
     */
    public static String changeLine(Batch previous, Batch current, java.time.Duration left) {
        if (current.sameProgressAs(previous)) {
            return null;
        }
        StringBuilder line = new StringBuilder(label(current)).append(' ');
        line.append(current.status() == null ? "(no status)" : Excerpts.printable(current.status(), 40));
        line.append(": ")
                .append(current.settledDocuments())
                .append('/')
                .append(current.expectedDocuments())
                .append(" settled");
        if (current.failedDocuments() > 0) {
            line.append(", ").append(current.failedDocuments()).append(" failed");
        }
        List<String> parts = new ArrayList<>();
        for (Destination d : current.destinations().values()) {
            parts.add(Excerpts.printable(d.name(), 40) + " " + d.completed() + "/" + d.count()
                    + (d.failed() > 0 ? " (" + d.failed() + " failed)" : ""));
        }
        if (!parts.isEmpty()) {
            line.append(" [").append(String.join(", ", parts)).append(']');
        }
        if (left != null && !current.isFinished()) {
            line.append(", about ").append(roughly(left)).append(" left");
        }
        return line.toString();
    }

    /** "in about 40 s", "in about 3 min": when an estimate says a batch should finish, for people. */
    public static String about(java.time.Duration left) {
        return "in about " + roughly(left);
    }

    /**
     * A time left as precisely as an estimate deserves: to 5 seconds under a minute, to minutes under
     * an hour, then hours and tens of minutes, then days; never "0 s".
     */
    static String roughly(java.time.Duration left) {
        long s = Math.max(0, left.getSeconds()) + (left.getNano() > 0 ? 1 : 0);
        if (s < 58) {
            return Math.max(5, (s + 2) / 5 * 5) + " s";
        }
        if (s < 59 * 60 + 30) {
            return Math.max(1, (s + 30) / 60) + " min";
        }
        if (s < 47 * 3600 + 55 * 60) {
            long tens = (s + 300) / 600; // of minutes
            return tens / 6 + " h" + (tens % 6 == 0 ? "" : " " + tens % 6 * 10 + " min");
        }
        return (s + 43_200) / 86_400 + " days";
    }

    /** The destination table, with the batch's name, status and ID above it. */
    public static String table(Batch batch) {
        StringBuilder out = new StringBuilder();
        out.append(label(batch))
                .append(", status ")
                .append(batch.status() == null ? "(none)" : Excerpts.printable(batch.status(), 40));
        out.append(", ")
                .append(batch.total() == null ? "?" : batch.total().toString())
                .append(" document(s)");
        if (batch.createdAt() != null) {
            out.append(", created ").append(Excerpts.printable(batch.createdAt(), 40));
        }
        out.append('\n');
        if (batch.destinations().isEmpty()) {
            return out.append("  (no destination reported yet)\n").toString();
        }
        String[] header = {"destination", "count", "completed", "failed", "in progress", "status"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (Destination d : batch.destinations().values()) {
            rows.add(new String[] {
                Excerpts.printable(d.name(), 40),
                Long.toString(d.count()),
                Long.toString(d.completed()),
                Long.toString(d.failed()),
                Long.toString(d.inProgress()),
                d.status() == null ? "" : Excerpts.printable(d.status(), 30)
            });
        }
        int[] width = new int[header.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                // Names and statuses to the left, numbers to the right.
                boolean left = i == 0 || i == row.length - 1;
                String cell = left ? pad(row[i], width[i], false) : pad(row[i], width[i], true);
                line.append(cell).append(i + 1 < row.length ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** The table and the verdict line: what is printed when a check or a wait ends. */
    public static String summary(Batch batch, Verdict verdict) {
        return summary(batch, verdict, null);
    }

    /**
     * The table, the failed documents (see {@link #failedDocuments(FailedDocuments)}) and the
     * verdict line: what is printed when a check or a wait ends.
     *
     * @param failed {@code null} when nothing was looked up
     */
    public static String summary(Batch batch, Verdict verdict, FailedDocuments failed) {
        return table(batch) + failedDocuments(failed) + verdict.describe() + "\n";
    }

    /**
     * The failed documents, for after the table: a heading, one line per failed run (at most
     * {@value #MAX_FAILED_LINES}, then "and N more"), and when the list is incomplete, one line
     * saying why. Every line ends with a line break; empty when {@code failed} is {@code null}.
     *
     * <pre>
     * Failed documents:
     *   rend_0151  Monthly statement  salesforce: INVALID_FIELD: ...
     * </pre>
     */
    public static String failedDocuments(FailedDocuments failed) {
        if (failed == null) {
            return "";
        }
        List<FailedDocument> documents = failed.documents();
        StringBuilder out = new StringBuilder();
        if (!documents.isEmpty()) {
            out.append("Failed documents:\n");
            for (FailedDocument d : documents.subList(0, Math.min(documents.size(), MAX_FAILED_LINES))) {
                out.append("  ").append(failedLine(d)).append('\n');
            }
            if (documents.size() > MAX_FAILED_LINES) {
                out.append("  and ").append(documents.size() - MAX_FAILED_LINES).append(" more\n");
            }
        }
        if (!failed.complete()) {
            out.append(
                            documents.isEmpty()
                                    ? "The failed documents could not be named: "
                                    : "Not every failed document could be named: ")
                    .append(Excerpts.printable(failed.why(), 1000))
                    .append('\n');
        }
        return out.toString();
    }

    /** "rend_0151  Monthly statement  salesforce: INVALID_FIELD ...; docusign" */
    static String failedLine(FailedDocument d) {
        String flow = d.flowName() != null && !d.flowName().isBlank()
                ? d.flowName()
                : d.flowId() != null && !d.flowId().isBlank() ? d.flowId() : "(no flow name)";
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : d.destinations().entrySet()) {
            String name = Excerpts.printable(e.getKey(), 60);
            parts.add(e.getValue() == null ? name : name + ": " + Excerpts.printable(e.getValue(), 200));
        }
        return Excerpts.printable(d.runId(), 80) + "  " + Excerpts.printable(flow, 120) + "  "
                + (parts.isEmpty() ? "(no failed destination named)" : String.join("; ", parts));
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
